"""A minimal LSP client, speaking to a server the way an editor does.

Usage: lsp_client.py SERVER FILE.mlir

Starts SERVER, and over its stdin/stdout with the base protocol's framing
(`Content-Length: N\\r\\n\\r\\n` + N bytes of JSON-RPC) sends initialize,
initialized, textDocument/didOpen of FILE, waits for the server's
textDocument/publishDiagnostics, then shutdown and exit. Prints the
diagnostics (one line each: line:column severity message, 1-based like a
compiler) and the server's exit status. Exits 1 on a protocol error or
when the server does not answer within 60 seconds.
"""

import json
import pathlib
import subprocess
import sys
import threading


def send(stream, message):
    body = json.dumps(message).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def receive(stream):
    """One framed message, or None at end of stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise RuntimeError("message without Content-Length")
    return json.loads(stream.read(length))


def main():
    server, path = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    proc = subprocess.Popen([server], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    timer = threading.Timer(60, proc.kill)
    timer.start()
    try:
        send(proc.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                          "params": {"processId": None, "rootUri": None,
                                     "capabilities": {}}})
        while True:
            reply = receive(proc.stdout)
            if reply is None:
                raise RuntimeError("server closed the stream before initialize")
            if reply.get("id") == 1:
                break
        caps = reply["result"]["capabilities"]
        print("capabilities:", " ".join(sorted(
            k for k, v in caps.items() if v and k.endswith("Provider"))))
        send(proc.stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = path.as_uri()
        send(proc.stdin, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                          "params": {"textDocument": {
                              "uri": uri, "languageId": "mlir", "version": 1,
                              "text": path.read_text()}}})
        while True:
            message = receive(proc.stdout)
            if message is None:
                raise RuntimeError("server closed the stream before diagnostics")
            if message.get("method") == "textDocument/publishDiagnostics":
                break
        params = message["params"]
        assert params["uri"] == uri, params["uri"]
        for d in params["diagnostics"]:
            start = d["range"]["start"]
            severity = {1: "error", 2: "warning", 3: "info", 4: "hint"}[d["severity"]]
            print(f"{path.name}:{start['line'] + 1}:{start['character'] + 1}: "
                  f"{severity}: {d['message']}")
        send(proc.stdin, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        while True:
            reply = receive(proc.stdout)
            if reply is None or reply.get("id") == 2:
                break
        send(proc.stdin, {"jsonrpc": "2.0", "method": "exit"})
        proc.stdin.close()
        print("exit status:", proc.wait())
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            sys.exit(1)


if __name__ == "__main__":
    main()
