"""What the attack scripts share: finding the `pygen` binary, a free port
on loopback, room for as many sockets as they open, and reading the
status of one response.

    from pygen_server import find_pygen, free_loopback_port, raise_own_limit, read_status

Each function takes the calling script's name, so that a refusal says which
script refused.
"""

import os
import resource
import socket
import sys
import time

HOST = "127.0.0.1"


def find_pygen(given, script):
    """The `pygen` binary: `given`, else the release build, else the debug one."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = [given] if given else [
        os.path.join(root, "target", "release", "pygen"),
        os.path.join(root, "target", "debug", "pygen"),
    ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit(f"{script}: no pygen binary; run `cargo build --release` or pass --pygen")


def free_loopback_port():
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def raise_own_limit(needed, script):
    """Let this process open `needed` descriptors, or say why it cannot."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            sys.exit(f"{script}: this script needs {needed} descriptors, its hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def read_status(sock, deadline):
    """The status of one response (reading its Content-Length body), or
    None if the server closed the connection first; TimeoutError past
    `deadline` (a time.monotonic() value)."""
    data = b""
    while True:
        if b"\r\n\r\n" in data:
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(body) >= length:
                return int(lines[0].split()[1])
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return None
        if not chunk:
            return None
        data += chunk
