import os
import sys

# Make the `inhibitor` package importable without installing it.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))
