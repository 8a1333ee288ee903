#!/usr/bin/env python3
"""Reproduce the file-descriptor-limit attack on `pygen serve`, and say what happened.

Starts `pygen serve` itself, on a free loopback port, with a low soft
descriptor limit (--soft, 64 by default) under a hard one (--hard, 256),
as a process started from a default shell would have. Then it opens
COUNT connections (600 by default) as fast as it can, each sending one
request, and keeps every connection the server serves open, as an
attacker holding idle keep-alive connections would. It reports:

* the server's descriptor limit after start (it should have raised the
  soft limit to the hard one);
* how many clients were served, answered 503, closed without an answer,
  or left waiting (a client is "waiting" if nothing came within --wait
  seconds: it sits in the kernel's backlog, which is the bug);
* the slowest answer to a turned-away client;
* how many WARN lines the server logged (they are rate-limited: one a
  second at most, each with a count of the ones not logged);
* whether a new client is served once the held connections close.

Usage (build first):

    cargo build --release
    python3 scripts/fd_limit.py [--pygen target/release/pygen] [--count 600]

Stdlib only. Loopback only. Bounded: COUNT connections at most (at most
5,000), each waited for at most --wait seconds (default 5), and the whole
run stops by itself after --timeout seconds (default 60); the server it
started is stopped with SIGTERM (then SIGKILL) before it exits.
"""

import argparse
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import time

from pygen_server import find_pygen, free_loopback_port, raise_own_limit, read_status


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pygen", help="the pygen binary (default: target/release/pygen, else target/debug/pygen)")
    parser.add_argument("--count", type=int, default=600, help="connections to open (default 600, at most 5000)")
    parser.add_argument("--soft", type=int, default=64, help="the server's soft descriptor limit at start (default 64)")
    parser.add_argument("--hard", type=int, default=256, help="the server's hard descriptor limit (default 256)")
    parser.add_argument("--workers", type=int, default=1, help="the server's --workers (default 1)")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds a client waits for an answer (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0, help="stop after this many seconds (default 60)")
    args = parser.parse_args()
    if not 1 <= args.count <= 5000:
        sys.exit("fd_limit: --count must be between 1 and 5000")
    if not 16 <= args.soft <= args.hard:
        sys.exit("fd_limit: need 16 <= --soft <= --hard")
    return args




def open_files_limit(pid):
    with open(f"/proc/{pid}/limits") as limits:
        for line in limits:
            if line.startswith("Max open files"):
                return line.split()[3:5]
    return ["?", "?"]




def main():
    args = parse_args()
    pygen = find_pygen(args.pygen, "fd_limit")
    raise_own_limit(args.count + 64, "fd_limit")
    port = free_loopback_port()
    address = ("127.0.0.1", port)
    stop_at = time.monotonic() + args.timeout
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: fd_limit.py\r\n\r\n"

    def limits():
        resource.setrlimit(resource.RLIMIT_NOFILE, (args.soft, args.hard))

    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    log_path = f"/tmp/fd_limit.{os.getpid()}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [pygen, "serve", "--impl", "baseline", "--addr", f"127.0.0.1:{port}", "--workers", str(args.workers)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            preexec_fn=limits,
            env=env,
        )
    held = []
    try:
        while True:
            try:
                socket.create_connection(address, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > stop_at or server.poll() is not None:
                    sys.exit("fd_limit: the server never listened")
                time.sleep(0.05)
        soft, hard = open_files_limit(server.pid)
        print(f"server descriptor limit: started with soft {args.soft}, hard {args.hard}; now soft {soft}, hard {hard}")

        # Open every connection and send its request first, as a flood does.
        counts = {"served": 0, "503": 0, "closed": 0, "waiting": 0, "other": 0}
        slowest_turned_away = 0.0
        sockets = []
        for _ in range(args.count):
            if time.monotonic() > stop_at:
                break
            sock = socket.create_connection(address, timeout=args.wait)
            sock.sendall(request)
            sockets.append((sock, time.monotonic()))
        for sock, sent in sockets:
            deadline = max(time.monotonic(), sent) + args.wait
            try:
                status = read_status(sock, min(deadline, stop_at))
            except TimeoutError:
                counts["waiting"] += 1
                sock.close()
                continue
            except OSError:
                status = None
            if status == 200:
                counts["served"] += 1
                held.append(sock)
                continue
            slowest_turned_away = max(slowest_turned_away, time.monotonic() - sent)
            counts["503" if status == 503 else "closed" if status is None else "other"] += 1
            sock.close()
        print(
            f"{len(sockets)} clients: {counts['served']} served and held open, "
            f"{counts['503']} answered 503, {counts['closed']} closed without an answer, "
            f"{counts['waiting']} left waiting over {args.wait:g} s, {counts['other']} other"
        )
        print(f"slowest answer to a turned-away client: {slowest_turned_away * 1000:.0f} ms (includes reading the others before it)")

        # Still serving the held connections?
        still = 0
        for sock in held[:20]:
            try:
                sock.sendall(request)
                still += read_status(sock, time.monotonic() + args.wait) == 200
            except (OSError, TimeoutError):
                pass
        print(f"held connections still served: {still} of {min(20, len(held))} asked")
        for sock in held:
            sock.close()
        held = []
        served_again = False
        retry_until = min(stop_at, time.monotonic() + args.wait)
        while not served_again and time.monotonic() < retry_until:
            try:
                with socket.create_connection(address, timeout=args.wait) as sock:
                    sock.sendall(request)
                    served_again = read_status(sock, time.monotonic() + args.wait) == 200
            except (OSError, TimeoutError):
                time.sleep(0.05)
        print(f"a new client after the held ones closed: {'served' if served_again else 'NOT served'}")
    finally:
        for sock in held:
            sock.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with open(log_path) as log:
        warnings = [line.rstrip() for line in log if "WARN" in line]
    os.unlink(log_path)
    print(f"server WARN lines: {len(warnings)}")
    for line in warnings[:5]:
        print(f"  {line}")
    ok = counts["waiting"] == 0 and served_again and counts["503"] + counts["closed"] > 0
    print("result: " + ("every client answered at once, serving went on" if ok else "PROBLEM: see above"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
