#!/usr/bin/env python3
"""Writes the PTX of every gpu.binary object in an MLIR file.

Reads the `--inhibitor-to-gpu` output (format=isa) on stdin or from a file
and writes each `assembly = "..."` string, unescaped, to
`<prefix><binary name>.ptx` and prints the paths written, one a line; with
the prefix `-`, prints every PTX text instead, each after a line
`// gpu.binary @<name>` (for FileCheck).
"""

import re
import sys

OBJECT = re.compile(r'gpu\.binary @(\w+)\s*\[#gpu\.object<.*?(?:assembly|object) = "((?:[^"\\]|\\.)*)"',
                    re.S)


def unescape(s: str) -> str:
    """MLIR string escapes: \\XX (two hex digits), \\\\, \\", \\n, \\t."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        nxt = s[i + 1]
        simple = {"\\": b"\\", '"': b'"', "n": b"\n", "t": b"\t"}
        if nxt in simple:
            out += simple[nxt]
            i += 2
        else:
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
    return out.decode()


def main(argv) -> int:
    if len(argv) < 2:
        print(f"usage: {argv[0]} OUTPUT_PREFIX [INPUT.mlir]", file=sys.stderr)
        return 2
    text = open(argv[2]).read() if len(argv) > 2 else sys.stdin.read()
    found = 0
    for name, body in OBJECT.findall(text):
        found += 1
        if argv[1] == "-":
            print(f"// gpu.binary @{name}")
            print(unescape(body).rstrip("\0"))
            continue
        path = f"{argv[1]}{name}.ptx"
        with open(path, "w") as f:
            f.write(unescape(body).rstrip("\0"))
        print(path)
    if not found:
        print("no gpu.binary with PTX text found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
