#!/usr/bin/env python3
"""Measure what an idle keep-alive connection costs a running server:
`pygen serve`, or any server that answers `GET /` with a Content-Length
body and keeps the connection open (scripts/load.py runs it against the
peers too).

Starts nothing itself. Given a server's address and process id, it opens
COUNT connections (10,000 by default); each sends one request, reads the
whole response and then stays open and idle, as a browser's keep-alive
connection does. The server's resident memory (VmRSS in /proc/PID/status)
is read before and after, and the difference divided by COUNT is the cost
of one idle connection: its socket's user-space state, its parser and
buffers, and, in pygen, its handler coroutine paused at
`request = yield response`.
(Kernel socket buffers are not in RSS, and are not counted.)

In one terminal:

    cargo build --release
    ./target/release/pygen serve --impl nightly --addr 127.0.0.1:8080

In another:

    python3 scripts/idle_connections.py 127.0.0.1:8080 "$(pgrep -f 'pygen serve')"

Stdlib only. Loopback addresses only: it refuses any other. Bounded in
time (--timeout, 120 s by default) and in count. The server's keep-alive
timeout (60 s by default) must be longer than the run, or the first
connections are closed before the last are opened; the script counts how
many are still open when it measures and says so.
"""

import argparse
import ipaddress
import os
import resource
import selectors
import socket
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(
        description="Bytes of server memory per idle keep-alive connection."
    )
    parser.add_argument("address", help="the server's HOST:PORT, on loopback")
    parser.add_argument("pid", type=int, help="the server's process id")
    parser.add_argument(
        "--count", type=int, default=10_000, help="connections to open (default 10000)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="give up after this many seconds (default 120)",
    )
    parser.add_argument("--path", default="/", help="the request's path (default /)")
    return parser.parse_args()


def loopback_address(text):
    """(host, port) for HOST:PORT, or exit if HOST is not a loopback address."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        sys.exit(f"idle_connections: expected HOST:PORT, got {text!r}")
    host = host.strip("[]")
    try:
        resolved = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        sys.exit(f"idle_connections: cannot resolve {host!r}: {error}")
    for family, _, _, _, sockaddr in resolved:
        if not ipaddress.ip_address(sockaddr[0]).is_loopback:
            sys.exit(f"idle_connections: {sockaddr[0]} is not a loopback address; refusing")
    family, _, _, _, sockaddr = resolved[0]
    return family, sockaddr


def rss_bytes(pid):
    """The process's resident set size, from /proc/PID/status."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    sys.exit(f"idle_connections: no VmRSS for process {pid}")


def open_files_limit(pid):
    """The soft limit on open files of process PID, or None if unknown."""
    try:
        with open(f"/proc/{pid}/limits") as limits:
            for line in limits:
                if line.startswith("Max open files"):
                    soft = line.split()[3]
                    return None if soft == "unlimited" else int(soft)
    except OSError:
        return None
    return None


def raise_own_open_files_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            sys.exit(
                f"idle_connections: need {needed} open files, the hard limit is {hard}; "
                "use a smaller --count"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def request_bytes(host, path):
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: idle_connections.py\r\n\r\n".encode()


def read_response(sock, deadline):
    """Read one response with a Content-Length body; its status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        if name.strip().lower() == "transfer-encoding":
            raise ValueError("use a path with a Content-Length response, such as /")
    while len(body) < length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-body")
        body += chunk
    return status


def one_request(family, sockaddr, request, deadline):
    """A new connection that has sent one request and read its response."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        sock.connect(sockaddr)
        sock.sendall(request)
        status = read_response(sock, deadline)
    except BaseException:
        sock.close()
        raise
    if status != 200:
        sock.close()
        raise ValueError(f"the server answered {status}")
    return sock


def still_open(sockets):
    """How many of `sockets` the server has not closed (no EOF waiting)."""
    selector = selectors.DefaultSelector()
    for sock in sockets:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
    closed = len(selector.select(timeout=0))
    selector.close()
    return len(sockets) - closed


def main():
    args = parse_args()
    family, sockaddr = loopback_address(args.address)
    if args.count < 1:
        sys.exit("idle_connections: --count must be at least 1")
    if not os.path.exists(f"/proc/{args.pid}/status"):
        sys.exit(f"idle_connections: no process {args.pid}")
    server_limit = open_files_limit(args.pid)
    if server_limit is not None and server_limit < args.count + 64:
        print(
            f"warning: the server may open only {server_limit} files; "
            f"{args.count} connections may not fit",
            file=sys.stderr,
        )
    raise_own_open_files_limit(args.count + 64)

    deadline = time.monotonic() + args.timeout
    host = args.address.rpartition(":")[0].strip("[]")
    request = request_bytes(host, args.path)

    # Warm up: the server's one-time allocations (its read buffer, the
    # allocator's first arenas) should not be charged to the connections.
    for _ in range(200):
        one_request(family, sockaddr, request, deadline).close()
    time.sleep(0.5)
    before = rss_bytes(args.pid)

    sockets = []
    started = time.monotonic()
    try:
        for n in range(args.count):
            if time.monotonic() > deadline:
                sys.exit(f"idle_connections: timed out after {n} connections")
            sockets.append(one_request(family, sockaddr, request, deadline))
        opened_in = time.monotonic() - started
        # Let the server finish whatever it does after a response.
        time.sleep(1.0)
        after = rss_bytes(args.pid)
        open_now = still_open(sockets)
    finally:
        for sock in sockets:
            sock.close()

    per_connection = (after - before) / args.count
    print(f"server pid {args.pid} at {args.address}, path {args.path}")
    print(f"opened {args.count} keep-alive connections in {opened_in:.1f} s; "
          f"{open_now} still open when measured")
    print(f"server RSS before: {before / 1024:,.0f} KiB; with them idle: {after / 1024:,.0f} KiB")
    print(f"bytes per idle connection: {per_connection:,.0f}")
    if open_now < args.count:
        print("warning: the server closed some connections before the measurement; "
              "the figure is too low", file=sys.stderr)


if __name__ == "__main__":
    main()
