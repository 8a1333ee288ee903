#!/usr/bin/env python3
"""Reproduce the resource attacks on `pygen serve` (issue 12) and print the figures.

Starts `pygen serve` itself on a free loopback port, with the default
limits, and runs four attacks against it, one after the other:

streams   STREAMS clients (200) each stream `GET /fib?n=100000` (about
          1 GB and 20 CPU-seconds each) and read it as fast as they can,
          while a probe sends a plain `GET /` to the same worker, on a
          kept-alive connection and on fresh ones, and times the answers:
          the median is the figure (it was 885 ms with 200 streams).
bodies    BODIES clients (1000) each send a `POST /echo` head with
          `Content-Length: BODY_BYTES` (1 MiB), all of the body but its
          last bytes as fast as the server takes them, then one byte every
          9 s. The server's resident memory (VmRSS from /proc) is sampled
          throughout: the peak is the figure (it was about 1 GB), with how
          many clients were answered (503 when the memory budget is spent,
          408 when too slow) and a probe `GET /` meanwhile.
heads     HEADS clients (200) send a request head a byte a second; half of
          them stay idle for IDLE seconds (9) first. When each gets its 408
          (or is closed) is the figure: a head's deadline must not restart
          when its first byte arrives (it did: 9 s idle, then 408 at 19 s).
readers   READERS clients (50) ask for `GET /fib?n=100000` with a small
          receive window and read 256 bytes a second: how many the server
          cuts off within the phase, and when (before, none: every byte
          taken restarted the write timeout). A client sees the end only
          after reading what the kernel still holds for it, so the server's
          side of each connection is watched in /proc/net/tcp instead.
legal     LEGAL clients (4) ask for `GET /fib?n=LEGAL_FIB` (30000, about
          94 MB) and read it at LEGAL_RATE (16 KiB/s, sixteen times the
          documented minimum) for LEGAL_SECONDS (35), then as fast as they
          can: each must receive the whole body, its terminating chunk
          included. Before the window was judged on what the client took,
          every one was cut off at 30.0 s with about 4 MB of 94.
tutor     a `pygen tutor` of its own (on another free port), whose python3
          is a fake that hangs (`sleep`): TUTOR_RUNS runs (4, the tutor's
          limit) are started and left hanging while a probe times a plain
          `GET /` (it waited for python3: an 8 s python3 delayed a GET by
          7.5 s, and a hung one froze the tutor); then one run more (503
          expected), when the hung runs are answered (their python3 killed
          at --tutor-deadline, 5 s), and how long SIGTERM takes to stop the
          tutor with a run hung (it was ignored until SIGKILL).

Usage (build first):

    cargo build --release
    python3 scripts/attack.py [--pygen target/release/pygen] [--model handler|tasks]
                              [--phases streams,bodies,heads,readers,legal,tutor]

The server is pinned to CPU 0 with `taskset` and this script (and its
children) to CPU 1 when there are two CPUs and taskset is there, so the
attackers do not take the server's CPU. The probe of the streams phase
runs on the server's CPU: it sleeps between requests, and on CPU 1 its
timings would be the stream readers' scheduling, not the server's. Stdlib only. Loopback only.
Bounded: every count has a ceiling, each phase stops after its own time
(--stream-seconds, --body-seconds, --head-seconds, --reader-seconds,
--legal-seconds plus the time the rest takes to read) and
the whole run after --timeout seconds (default 300); the server it started
is stopped with SIGTERM (then SIGKILL) before it exits.
"""

import argparse
import multiprocessing
import threading
import os
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

from pygen_server import find_pygen, free_loopback_port, raise_own_limit, read_status

HOST = "127.0.0.1"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pygen", help="the pygen binary (default: target/release/pygen, else target/debug/pygen)")
    parser.add_argument("--impl", default="nightly", help="the server's --impl (default nightly)")
    parser.add_argument("--model", default="handler", choices=["handler", "tasks"], help="the serving model (default handler)")
    parser.add_argument("--phases", default="streams,bodies,heads,readers,legal,tutor", help="which attacks, comma-separated (default all six)")
    parser.add_argument("--streams", type=int, default=200, help="/fib streams in flight (default 200, at most 2000)")
    parser.add_argument("--fib", type=int, default=100_000, help="K in /fib?n=K for the streams and readers (default 100000)")
    parser.add_argument("--probes", type=int, default=20, help="probe requests per kind (default 20, at most 500)")
    parser.add_argument("--stream-seconds", type=float, default=6.0, help="how long the streams run before probing (default 6)")
    parser.add_argument("--bodies", type=int, default=1000, help="slow-body clients (default 1000, at most 5000)")
    parser.add_argument("--body-bytes", type=int, default=1024 * 1024, help="each slow body's Content-Length (default 1 MiB)")
    parser.add_argument("--body-seconds", type=float, default=30.0, help="how long the slow-body phase lasts (default 30)")
    parser.add_argument("--heads", type=int, default=200, help="slowloris clients (default 200, at most 5000)")
    parser.add_argument("--idle", type=float, default=9.0, help="seconds half the slowloris clients wait before their first byte (default 9)")
    parser.add_argument("--head-seconds", type=float, default=25.0, help="how long the slowloris phase lasts (default 25)")
    parser.add_argument("--readers", type=int, default=50, help="slow readers (default 50, at most 2000)")
    parser.add_argument("--reader-seconds", type=float, default=75.0, help="how long the slow-reader phase lasts (default 75)")
    parser.add_argument("--legal", type=int, default=4, help="slow but legal readers (default 4, at most 64)")
    parser.add_argument("--legal-fib", type=int, default=30_000, help="K in their /fib?n=K (default 30000, about 94 MB)")
    parser.add_argument("--legal-rate", type=int, default=16 * 1024, help="their reading rate in bytes a second (default 16 KiB/s)")
    parser.add_argument("--legal-seconds", type=float, default=35.0, help="how long they read at that rate before reading at full speed (default 35)")
    parser.add_argument("--tutor-runs", type=int, default=4, help="hung python3 runs in flight in the tutor phase (default 4, at most 64)")
    parser.add_argument("--tutor-deadline", type=float, default=5.0, help="the tutor's --python-deadline in seconds (default 5)")
    parser.add_argument("--timeout", type=float, default=300.0, help="stop after this many seconds in all (default 300)")
    args = parser.parse_args()
    limits = {"streams": 2000, "probes": 500, "bodies": 5000, "heads": 5000, "readers": 2000, "legal": 64, "tutor_runs": 64}
    for name, most in limits.items():
        if not 1 <= getattr(args, name) <= most:
            sys.exit(f"attack: --{name.replace('_', '-')} must be between 1 and {most}")
    if not 1 <= args.legal_fib <= 100_000 or args.legal_rate < 1024:
        sys.exit("attack: --legal-fib must be between 1 and 100000 and --legal-rate at least 1024")
    if not 0.1 <= args.tutor_deadline <= 20:
        sys.exit("attack: --tutor-deadline must be between 0.1 and 20 seconds (the tutor's most)")
    if not 1 <= args.body_bytes <= 64 * 1024 * 1024:
        sys.exit("attack: --body-bytes must be between 1 and 64 MiB")
    args.phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    for phase in args.phases:
        if phase not in PHASES:
            sys.exit(f"attack: unknown phase {phase!r}; the phases are {', '.join(PHASES)}")
    return args





def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def summary(values, unit=ms):
    if not values:
        return "none"
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return f"median {unit(statistics.median(values))}, p90 {unit(p90)}, max {unit(values[-1])} ({len(values)})"



PLAIN = b"GET / HTTP/1.1\r\nHost: attack\r\n\r\n"


def probe(address, count, patience=5.0, plain=PLAIN):
    """Time `count` plain GET / on one kept-alive connection, then on fresh ones."""
    kept, fresh, failures = [], [], 0
    sock = None
    for _ in range(count):
        try:
            if sock is None:
                sock = socket.create_connection(address, timeout=patience)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            started = time.perf_counter()
            sock.sendall(plain)
            status = read_status(sock, time.monotonic() + patience)
            if status == 200:
                kept.append(time.perf_counter() - started)
            else:
                failures += 1
                sock.close()
                sock = None
        except (OSError, TimeoutError):
            failures += 1
            if sock is not None:
                sock.close()
            sock = None
        time.sleep(0.02)
    if sock is not None:
        sock.close()
    for _ in range(count):
        started = time.perf_counter()
        try:
            with socket.create_connection(address, timeout=patience) as sock:
                sock.sendall(plain)
                status = read_status(sock, time.monotonic() + patience)
            if status == 200:
                fresh.append(time.perf_counter() - started)
            else:
                failures += 1
        except (OSError, TimeoutError):
            failures += 1
        time.sleep(0.02)
    return kept, fresh, failures


def status_of(data):
    """The status code at the start of `data`, once its first line is whole."""
    if b"\r\n" not in data:
        return None
    try:
        return int(data.split(b"\r\n", 1)[0].split()[1])
    except (IndexError, ValueError):
        return 0


# ---------------------------------------------------------------------------
# streams


def stream_readers(address, count, fib, stop, report):
    """In a child process: `count` /fib streams, read and dropped until `stop` is set."""
    selector = selectors.DefaultSelector()
    request = f"GET /fib?n={fib} HTTP/1.1\r\nHost: attack\r\n\r\n".encode()
    states = {}
    for _ in range(count):
        try:
            sock = socket.create_connection(address, timeout=5)
        except OSError:
            continue
        sock.sendall(request)
        sock.setblocking(False)
        states[sock] = b""
        selector.register(sock, selectors.EVENT_READ)
    report.put(("started", len(states)))
    statuses = {}
    total = 0
    while not stop.is_set():
        for key, _ in selector.select(timeout=0.1):
            sock = key.fileobj
            try:
                chunk = sock.recv(1 << 18)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            total += len(chunk)
            head = states.get(sock)
            if head is not None and not isinstance(head, int):
                head += chunk
                status = status_of(head) if chunk else None
                states[sock] = status if status is not None else head
                if status is not None:
                    statuses[status] = statuses.get(status, 0) + 1
            if not chunk:
                selector.unregister(sock)
                if not isinstance(states[sock], int):
                    statuses["closed"] = statuses.get("closed", 0) + 1
                sock.close()
                del states[sock]
    report.put(("done", statuses, total))
    for sock in states:
        sock.close()


def phase_streams(args, address, server, server_cpu):
    print(f"\n== streams: {args.streams} x GET /fib?n={args.fib} read flat out, and a probe GET /")
    stop = multiprocessing.Event()
    report = multiprocessing.Queue()
    child = multiprocessing.Process(target=stream_readers, args=(address, args.streams, args.fib, stop, report))
    child.start()
    try:
        _, started = report.get(timeout=60)
        time.sleep(args.stream_seconds)
        cpu_before, wall_before = cpu_seconds(server.pid), time.monotonic()
        attackers = os.sched_getaffinity(0)
        if server_cpu is not None:
            os.sched_setaffinity(0, {server_cpu})
        try:
            kept, fresh, failures = probe(address, args.probes)
        finally:
            os.sched_setaffinity(0, attackers)
        busy = (cpu_seconds(server.pid) - cpu_before) / max(1e-9, time.monotonic() - wall_before)
    finally:
        stop.set()
    _, statuses, total = report.get(timeout=30)
    child.join(timeout=10)
    if child.is_alive():
        child.kill()
    print(f"streams opened {started}; answered {statuses}; {total / 2**20:.0f} MiB read")
    print(f"server CPU while probing: {busy * 100:.0f}% of a core")
    print(f"probe GET /, kept-alive connection: {summary(kept)}")
    print(f"probe GET /, fresh connection:      {summary(fresh)}")
    if failures:
        print(f"probe failures: {failures}")
    return {"probe_median_ms": statistics.median(kept) * 1000 if kept else None}


# ---------------------------------------------------------------------------
# bodies


def phase_bodies(args, address, server, server_cpu):
    size = args.body_bytes
    trickle = min(10, size)
    print(f"\n== bodies: {args.bodies} x POST /echo, Content-Length {size}, all but {trickle} bytes at once, then 1 byte every 9 s")
    selector = selectors.DefaultSelector()
    head = f"POST /echo HTTP/1.1\r\nHost: attack\r\nContent-Length: {size}\r\n\r\n".encode()
    payload = head + b"x" * (size - trickle)
    conns = {}
    baseline = rss_mib(server.pid)
    peak = baseline
    started = time.monotonic()
    ends = started + args.body_seconds
    for _ in range(args.bodies):
        try:
            sock = socket.create_connection(address, timeout=5)
        except OSError:
            break
        sock.setblocking(False)
        conns[sock] = {"sent": 0, "left": trickle, "next": None, "reply": b"", "status": None, "closed": None}
        selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent_total = 0
    next_sample = 0.0
    probe_times = []
    next_probe = started + 5
    while time.monotonic() < ends and conns:
        now = time.monotonic()
        if now >= next_sample:
            peak = max(peak, rss_mib(server.pid))
            next_sample = now + 0.25
        if now >= next_probe:
            kept, _, _ = probe(address, 1)
            probe_times += kept
            next_probe = now + 5
        for key, mask in selector.select(timeout=0.05):
            sock = key.fileobj
            state = conns[sock]
            if mask & selectors.EVENT_READ:
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    chunk = None
                except OSError:
                    chunk = b""
                if chunk:
                    state["reply"] += chunk
                    if state["status"] is None:
                        state["status"] = status_of(state["reply"])
                        if state["status"] is not None:
                            state["retry_after"] = b"retry-after" in state["reply"].lower()
                elif chunk == b"":
                    state["closed"] = time.monotonic() - started
                    selector.unregister(sock)
                    sock.close()
                    continue
            if mask & selectors.EVENT_WRITE and state["sent"] < len(payload):
                try:
                    count = sock.send(payload[state["sent"]:state["sent"] + (1 << 20)])
                    state["sent"] += count
                    sent_total += count
                except BlockingIOError:
                    pass
                except OSError:
                    pass
                if state["sent"] >= len(payload):
                    state["next"] = time.monotonic() + 9
                    selector.modify(sock, selectors.EVENT_READ)
        now = time.monotonic()
        for sock, state in conns.items():
            if state["closed"] is None and state["next"] is not None and now >= state["next"] and state["left"] > 0:
                try:
                    sock.send(b"x")
                    state["left"] -= 1
                except OSError:
                    pass
                state["next"] = now + 9
    peak = max(peak, rss_mib(server.pid))
    final = rss_mib(server.pid)
    counts = {}
    retry_after = 0
    for sock, state in conns.items():
        status = state["status"]
        name = str(status) if status else ("closed" if state["closed"] is not None else "open, unanswered")
        counts[name] = counts.get(name, 0) + 1
        retry_after += status == 503 and state.get("retry_after", False)
        if state["closed"] is None:
            sock.close()
    print(f"{len(conns)} connections, {sent_total / 2**20:.0f} MiB of body sent in {args.body_seconds:g} s")
    print(f"outcomes: {dict(sorted(counts.items()))}; 503s with Retry-After: {retry_after}")
    print(f"server RSS: {baseline:.0f} MiB before, peak {peak:.0f} MiB, {final:.0f} MiB at the end")
    print(f"probe GET / meanwhile: {summary(probe_times)}")
    return {"peak_rss_mib": peak}


# ---------------------------------------------------------------------------
# heads


def phase_heads(args, address, server, server_cpu):
    print(f"\n== heads: {args.heads} clients send a head a byte a second; half wait {args.idle:g} s first")
    head = b"GET / HTTP/1.1\r\nHost: attack\r\nX-Slow: " + b"a" * 4000 + b"\r\n\r\n"
    selector = selectors.DefaultSelector()
    conns = {}
    started = time.monotonic()
    for index in range(args.heads):
        try:
            sock = socket.create_connection(address, timeout=5)
        except OSError:
            break
        sock.setblocking(False)
        idle = index % 2 == 1
        conns[sock] = {"idle": idle, "next": started + (args.idle if idle else 0), "sent": 0, "end": None, "status": None, "reply": b""}
        selector.register(sock, selectors.EVENT_READ)
    ends = started + args.head_seconds
    while time.monotonic() < ends and any(state["end"] is None for state in conns.values()):
        for key, _ in selector.select(timeout=0.05):
            sock = key.fileobj
            state = conns[sock]
            try:
                chunk = sock.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            state["reply"] += chunk
            if state["status"] is None:
                state["status"] = status_of(state["reply"])
            if not chunk:
                state["end"] = time.monotonic() - started
                selector.unregister(sock)
        now = time.monotonic()
        for sock, state in conns.items():
            if state["end"] is None and now >= state["next"] and state["sent"] < len(head):
                try:
                    sock.send(head[state["sent"]:state["sent"] + 1])
                    state["sent"] += 1
                except OSError:
                    pass
                state["next"] = now + 1
    for kind, idle in (("trickling from the start", False), (f"idle {args.idle:g} s, then trickling", True)):
        group = [state for state in conns.values() if state["idle"] == idle]
        ended = [state["end"] for state in group if state["end"] is not None]
        statuses = {}
        for state in group:
            key = str(state["status"]) if state["status"] else ("closed" if state["end"] is not None else "still open")
            statuses[key] = statuses.get(key, 0) + 1
        print(f"{kind}: {statuses}; answered or closed after {summary(ended, unit=lambda s: f'{s:.1f} s')}")
    for sock in conns:
        sock.close()
    return {}


# ---------------------------------------------------------------------------
# readers


def held_by_server(server_port, client_ports):
    """The client ports whose connection the server still holds ESTABLISHED (from /proc/net/tcp)."""
    held = set()
    try:
        with open("/proc/net/tcp") as table:
            next(table)
            for line in table:
                fields = line.split()
                local, remote, state = fields[1], fields[2], fields[3]
                if state != "01" or int(local.split(":")[1], 16) != server_port:
                    continue
                port = int(remote.split(":")[1], 16)
                if port in client_ports:
                    held.add(port)
    except OSError:
        pass
    return held


def phase_readers(args, address, server, server_cpu):
    print(f"\n== readers: {args.readers} x GET /fib?n={args.fib}, read 256 bytes a second through a small window")
    request = f"GET /fib?n={args.fib} HTTP/1.1\r\nHost: attack\r\n\r\n".encode()
    conns = {}
    started = time.monotonic()
    for _ in range(args.readers):
        sock = socket.socket()
        # A small window, taken a little at a time: the server's writes make
        # progress, a trickle at a time, for as long as the reader likes.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
        except OSError:
            pass
        try:
            sock.settimeout(5)
            sock.connect(address)
        except OSError:
            sock.close()
            break
        sock.sendall(request)
        sock.setblocking(False)
        conns[sock] = {"end": None, "read": 0, "reply": b"", "status": None, "port": sock.getsockname()[1]}
    ports = {state["port"] for state in conns.values()}
    ends = started + args.reader_seconds
    while time.monotonic() < ends and any(state["end"] is None for state in conns.values()):
        held = held_by_server(address[1], ports)
        for sock, state in conns.items():
            if state["end"] is not None:
                continue
            if state["port"] not in held:
                state["end"] = time.monotonic() - started
                continue
            try:
                chunk = sock.recv(256)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if state["status"] is None:
                state["reply"] += chunk
                state["status"] = status_of(state["reply"])
            state["read"] += len(chunk)
            if not chunk:
                state["end"] = time.monotonic() - started
        time.sleep(1)
    ended = [state["end"] for state in conns.values() if state["end"] is not None]
    statuses = {}
    for state in conns.values():
        statuses[str(state["status"])] = statuses.get(str(state["status"]), 0) + 1
    read = sum(state["read"] for state in conns.values())
    print(f"{len(conns)} readers, statuses {statuses}, {read / 1024:.0f} KiB read in all")
    print(f"cut off by the server within {args.reader_seconds:g} s: {len(ended)}; after {summary(ended, unit=lambda s: f'{s:.1f} s')}")
    print(f"server RSS at the end: {rss_mib(server.pid):.0f} MiB")
    for sock in conns:
        sock.close()
    return {}


def legal_reader(address, target, rate, seconds, result):
    """Read `target` at `rate` bytes a second for `seconds`, then at full
    speed to the end; record what came and whether it was whole."""
    started = time.monotonic()
    received = 0
    tail = b""
    head = b""
    try:
        with socket.create_connection(address, timeout=60) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: attack\r\nConnection: close\r\n\r\n".encode())
            while True:
                elapsed = time.monotonic() - started
                slow = elapsed < seconds
                if slow:
                    # Keep to the rate: never ahead of rate * elapsed.
                    ahead = received - rate * elapsed
                    if ahead > 0:
                        time.sleep(min(ahead / rate, seconds - elapsed))
                        continue
                chunk = sock.recv(4096 if slow else 1 << 20)
                if not chunk:
                    break
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                received += len(chunk)
                tail = (tail + chunk)[-16:]
    except OSError as error:
        result["error"] = str(error)
    result["seconds"] = time.monotonic() - started
    result["received"] = received
    result["status"] = status_of(head)
    result["whole"] = tail.endswith(b"\r\n0\r\n\r\n")


def phase_legal(args, address, server, server_cpu):
    target = f"/fib?n={args.legal_fib}"
    print(f"\n== legal: {args.legal} x GET {target}, read at {args.legal_rate / 1024:g} KiB/s for {args.legal_seconds:g} s, then at full speed")
    results = [{} for _ in range(args.legal)]
    threads = [
        threading.Thread(target=legal_reader, args=(address, target, args.legal_rate, args.legal_seconds, result), daemon=True)
        for result in results
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    whole = sum(1 for result in results if result.get("whole"))
    statuses = {}
    for result in results:
        statuses[str(result.get("status"))] = statuses.get(str(result.get("status")), 0) + 1
    received = [result.get("received", 0) / 1e6 for result in results]
    print(f"{len(results)} readers, statuses {statuses}, whole bodies: {whole} of {len(results)}")
    print(f"received: {summary(received, unit=lambda mb: f'{mb:.1f} MB')}; took {summary([r.get('seconds', 0) for r in results], unit=lambda s: f'{s:.1f} s')}")
    errors = [result["error"] for result in results if "error" in result]
    if errors:
        print(f"errors: {errors[:3]}")
    return {"legal readers whole": float(whole)}


# ---------------------------------------------------------------------------
# tutor


def start_run(address, host):
    """Send one /api/run on a connection of its own; the socket, not read yet."""
    sock = socket.create_connection(address, timeout=5)
    sock.sendall(f"GET /api/run?demo=countdown&op=next HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    return sock


def phase_tutor(args, _address, _server, server_cpu):
    deadline = args.tutor_deadline
    print(f"\n== tutor: {args.tutor_runs} /api/run with a hung python3 in flight, a probe GET /, "
          f"--python-deadline {deadline:g}")
    fake = f"/tmp/attack-python.{os.getpid()}"
    with open(fake, "w") as script:
        script.write("#!/bin/sh\nexec sleep 3600\n")
    os.chmod(fake, 0o755)
    port = free_loopback_port()
    address, host = (HOST, port), f"{HOST}:{port}"
    command = [find_pygen(args.pygen, "attack"), "tutor", "--addr", host, "--python-deadline", f"{deadline:g}"]
    if server_cpu is not None:
        command = ["taskset", "-c", str(server_cpu)] + command
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1", PYGEN_TUTOR_PYTHON=fake)
    tutor = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    runs = []
    try:
        waited = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(address, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > waited or tutor.poll() is not None:
                    print("tutor: never listened")
                    return {}
                time.sleep(0.05)
        started = time.monotonic()
        runs = [start_run(address, host) for _ in range(args.tutor_runs)]
        time.sleep(0.2)
        plain = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
        attackers = os.sched_getaffinity(0)
        if server_cpu is not None:
            os.sched_setaffinity(0, {server_cpu})
        try:
            # Few enough probes to finish well within the deadline, while
            # the runs still hang.
            count = max(1, min(args.probes, int((deadline - 0.5) / 0.05) // 2))
            kept, fresh, failures = probe(address, count, plain=plain)
        finally:
            os.sched_setaffinity(0, attackers)
        probed = time.monotonic() - started
        with start_run(address, host) as extra:
            extra_status = read_status(extra, time.monotonic() + 5)
        answered = []
        for sock in runs:
            try:
                status = read_status(sock, started + deadline + 10)
                answered.append((time.monotonic() - started, status))
            except (OSError, TimeoutError):
                answered.append((None, None))
            sock.close()
        print(f"probe GET / while {args.tutor_runs} runs hang (within {probed:.1f} s of starting them):")
        print(f"  kept-alive connection: {summary(kept)}")
        print(f"  fresh connection:      {summary(fresh)}")
        if failures:
            print(f"  probe failures: {failures}")
        print(f"one run more while they hang: {extra_status} (503 expected past the tutor's 4)")
        times = [at for at, _ in answered if at is not None]
        statuses = sorted({status for _, status in answered})
        print(f"hung runs answered: {len(times)} of {len(runs)}, statuses {statuses}, "
              f"after {summary(times, unit=lambda s: f'{s:.2f} s')}")
        # SIGTERM with a run hung: how long until the run is answered, and
        # until the tutor has exited once this client has read its answer
        # and closed (the server lingers up to 2 s for a client that does
        # not close).
        last = start_run(address, host)
        runs.append(last)
        time.sleep(0.2)
        signalled = time.monotonic()
        tutor.send_signal(signal.SIGTERM)
        try:
            status = read_status(last, signalled + deadline + 10)
            print(f"SIGTERM with a run hung: the run answered {status} in {ms(time.monotonic() - signalled)}")
        except (OSError, TimeoutError):
            print("SIGTERM with a run hung: the run was never answered")
        last.close()
        try:
            tutor.wait(timeout=deadline + 10)
            stopped = time.monotonic() - signalled
            print(f"SIGTERM with a run hung: the tutor exited in {ms(stopped)} (status {tutor.returncode})")
        except subprocess.TimeoutExpired:
            stopped = None
            print("SIGTERM with a run hung: STILL RUNNING")
        figures = {"tutor_probe_median_ms": statistics.median(kept) * 1000 if kept else None}
        if stopped is not None:
            figures["tutor_sigterm_ms"] = stopped * 1000
        return figures
    finally:
        for sock in runs:
            sock.close()
        if tutor.poll() is None:
            tutor.kill()
            tutor.wait()
        os.unlink(fake)


PHASES = {"streams": phase_streams, "bodies": phase_bodies, "heads": phase_heads, "readers": phase_readers,
          "legal": phase_legal, "tutor": phase_tutor}


def main():
    args = parse_args()
    pygen = find_pygen(args.pygen, "attack")
    raise_own_limit(max(args.bodies, args.heads, args.streams, args.readers, args.legal) + 256, "attack")
    port = free_loopback_port()
    address = (HOST, port)
    deadline = time.monotonic() + args.timeout
    pin = shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) >= 2
    server_cpu = None
    command = [pygen, "serve", "--impl", args.impl, "--model", args.model, "--addr", f"{HOST}:{port}"]
    if pin:
        cpus = sorted(os.sched_getaffinity(0))
        command = ["taskset", "-c", str(cpus[0])] + command
        server_cpu = cpus[0]
        os.sched_setaffinity(0, {cpus[1]})
        print(f"pinned: server on CPU {cpus[0]}, attackers on CPU {cpus[1]}")
    else:
        print("not pinned: taskset or a second CPU is missing; server and attackers share CPUs")
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    log_path = f"/tmp/attack.{os.getpid()}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
    print(f"server: {' '.join(command[command.index(pygen):])}")
    failed = False

    def out_of_time(signum, frame):
        raise TimeoutError(f"the whole run took over {args.timeout:g} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.timeout) + 1)
    figures = {}
    try:
        while True:
            try:
                socket.create_connection(address, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("attack: the server never listened")
                time.sleep(0.05)
        for phase in args.phases:
            if time.monotonic() > deadline:
                print(f"\n{phase}: skipped, out of time")
                continue
            figures.update(PHASES[phase](args, address, server, server_cpu))
            kept, _, failures = probe(address, 5)
            alive = server.poll() is None and len(kept) == 5
            print(f"after {phase}: server {'answering' if alive else 'NOT answering'} ({summary(kept)})")
            failed |= not alive
    except TimeoutError as error:
        print(f"stopped: {error}")
        failed = True
    finally:
        signal.alarm(0)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with open(log_path) as log:
        warnings = [line.rstrip() for line in log if "WARN" in line or "ERROR" in line]
    os.unlink(log_path)
    print(f"\nserver WARN/ERROR lines: {len(warnings)}")
    for line in warnings[:5]:
        print(f"  {line[:200]}")
    if figures:
        shown = ", ".join(f"{name} {value:.1f}" for name, value in figures.items() if value is not None)
        print(f"figures: {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
