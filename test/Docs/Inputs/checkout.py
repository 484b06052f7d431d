"""Copies the files a clean checkout of SRC has into DEST (docs/site.test).

In a git work tree: the tracked files plus new files git does not ignore
(what a commit of the tree would check out), never build output. Outside
git (a source tarball): everything but build*/ directories.
"""

import pathlib
import shutil
import subprocess
import sys

src, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
listing = subprocess.run(
    ["git", "-C", str(src), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    capture_output=True)
if listing.returncode == 0:
    files = [f for f in listing.stdout.decode().split("\0") if f]
else:
    files = [str(p.relative_to(src)) for p in src.rglob("*")
             if p.is_file() and not p.relative_to(src).parts[0].startswith("build")]
for name in files:
    path = src / name
    if not path.is_file():  # deleted in the work tree, or a submodule
        continue
    target = dest / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
print(f"{len(files)} files")
