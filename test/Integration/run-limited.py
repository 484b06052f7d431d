#!/usr/bin/env python3
"""Runs a command under resource limits (lit's internal shell has no ulimit).

    run-limited.py --address-space-mib 4096 -- mlir-runner ...

Exits with the command's status; a command killed by a signal exits with
128 + the signal number, as a shell reports it.
"""

import argparse
import os
import resource
import subprocess
import sys


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--address-space-mib", type=int, required=True)
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    limit = args.address_space_mib << 20

    def limit_child():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    rc = subprocess.run(cmd, preexec_fn=limit_child).returncode
    if rc < 0:
        # Re-raise the signal so that `not --crash` sees a crash.
        sys.stdout.flush()
        os.kill(os.getpid(), -rc)
    return rc


if __name__ == "__main__":
    sys.exit(main())
