#!/usr/bin/env python3
"""User-space instructions per pipelined `GET /`, counted by callgrind, for
pygen's server and the peers of scripts/load.py; or, with --syscalls, the
system calls per pipelined batch, counted by strace.

    cargo build --release
    python3 scripts/request_instructions.py
    python3 scripts/request_instructions.py --impl nightly --peers may_minihttp
    python3 scripts/request_instructions.py --models handler,tasks --rounds 100
    python3 scripts/request_instructions.py --depth 64   # what a batch costs
    python3 scripts/request_instructions.py --syscalls   # the kernel's side

Time per request (scripts/load.py) is what the targets are judged by, but on
a shared machine it moves by 10% from run to run; an instruction count does
not move at all, so it shows what a change to the request path bought, and
where the time goes. It counts user space only. The system calls' own cost
is not in it, so --syscalls counts them, the same way: how many of each a
server makes per batch of pipelined requests, which is the other half of
what a request costs (a system call costs as much as hundreds of
instructions), and which servers differ in.

Each server runs under `valgrind --tool=callgrind` twice, answering ROUNDS
and then 3 x ROUNDS rounds of 16 pipelined `GET /` on each of 4 connections;
the difference of the two totals, divided by the extra requests, is the
figure: start-up, connection set-up and shut-down cancel out. What a
batch costs apart from its requests (the read, the write, the wake-up)
is spread over its 16 requests; a second run with another --depth tells
the two apart.

With --syscalls each server runs under `strace -f -c` instead (every
thread), and the figure is the difference of the two runs' counts per
extra batch, by kind: reads (`read`, `readv`, `recvfrom`, `recvmsg`; those that
failed, `EAGAIN` above all, counted apart), writes (`write`, `writev`,
`sendto`, `sendmsg`), `epoll_wait`, and all others together. strace
slows every call down, so its times are not reported: only the counts.

Needs valgrind (apt-get install valgrind), or strace for --syscalls. The peers are built as load.py
builds them (`cargo build --release` in their own workspaces).
"""

import argparse
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import load  # noqa: E402  (the peers and how they are built)

CONNECTIONS = 4
DEPTH = 16  # the default of --depth, as in load.py
BODY = b'Hello, World!'


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--impl', default='nightly,genawaiter,async-stream,baseline',
                        metavar='LIST', help='comma-separated pygen --impl values '
                        '(default nightly,genawaiter,async-stream,baseline)')
    parser.add_argument('--models', default='handler', metavar='LIST',
                        help='comma-separated pygen --model values (default handler)')
    parser.add_argument('--peers', default='may_minihttp,mio', metavar='LIST',
                        help=f'comma-separated peers, from {",".join(load.PEERS)} '
                        '(default may_minihttp,mio; "" for none)')
    parser.add_argument('--depth', type=int, default=DEPTH, metavar='N',
                        help=f'requests in each pipelined batch (default {DEPTH}); two '
                        'depths tell what a batch costs apart from its requests')
    parser.add_argument('--rounds', type=int, default=50, metavar='N',
                        help='rounds in the shorter run (default 50: 3,200 requests)')
    parser.add_argument('--pygen', default=load.PYGEN, metavar='PATH',
                        help='the pygen binary (default target/release/pygen)')
    parser.add_argument('--syscalls', action='store_true',
                        help='count system calls per batch with strace instead of '
                        'instructions with callgrind')
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error('--rounds must be at least 1')
    if args.depth < 1:
        parser.error('--depth must be at least 1')
    args.impls = [i for i in args.impl.split(',') if i]
    args.models = [m for m in args.models.split(',') if m]
    args.peers = load.peer_list(parser, args.peers)
    return args


def connect(port, deadline):
    while True:
        try:
            return socket.create_connection(('127.0.0.1', port), timeout=30)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def drive(port, rounds, depth):
    """ROUNDS rounds of DEPTH pipelined requests on each connection; every
    answer is read (and counted) before the next round."""
    deadline = time.monotonic() + 60
    # The request wrk sends in load.py's runs, `Host` with its port.
    request = f'GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n'.encode()
    sockets = [connect(port, deadline) for _ in range(CONNECTIONS)]
    try:
        for _ in range(rounds):
            for s in sockets:
                s.sendall(request * depth)
            for s in sockets:
                received = b''
                while received.count(BODY) < depth:
                    data = s.recv(65536)
                    if not data:
                        raise RuntimeError('the server closed a connection')
                    received += data
    finally:
        for s in sockets:
            s.close()


def run_under(tool, command, rounds, depth):
    """Run `command` (with {addr}) under `tool`, a function of the output
    file's path that gives the command line to put in front of it, while
    ROUNDS rounds are answered; the output file's text."""
    port = load.free_port()
    command = [part.replace('{addr}', f'127.0.0.1:{port}') for part in command]
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, 'tool.out')
        process = subprocess.Popen(
            tool(out) + command,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        try:
            drive(port, rounds, depth)
        finally:
            # The server itself is stopped: it is the tool's child under
            # strace (which, sent the signal itself, would let go of the
            # server and leave it running), and the tool's own process
            # under valgrind.
            for pid in children(process.pid) or [process.pid]:
                os.kill(pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with open(out) as f:
            return f.read()


def children(pid):
    """The processes `pid` started, from /proc."""
    found = []
    for path in glob.glob(f'/proc/{pid}/task/*/children'):
        try:
            with open(path) as f:
                found += [int(child) for child in f.read().split()]
        except OSError:
            pass
    return found


def instructions(command, rounds, depth):
    """Total instructions callgrind counts for `command` answering ROUNDS
    rounds."""
    log = run_under(lambda out: ['valgrind', '--tool=callgrind',
                                 '--callgrind-out-file=/dev/null', f'--log-file={out}'],
                    command, rounds, depth)
    # Several threads (may's timer) make several lines; all count.
    totals = [int(n.replace(',', '')) for n in re.findall(r'Collected : ([\d,]+)', log)]
    if not totals:
        raise RuntimeError(f'callgrind printed no total for {command[0]}')
    return sum(totals)


READS = {'read', 'recvfrom', 'recvmsg', 'readv'}
WRITES = {'write', 'writev', 'sendto', 'sendmsg'}
KINDS = ('reads', 'failed reads', 'writes', 'epoll_wait', 'other')


def syscalls(command, rounds, depth):
    """{kind: count} of the system calls `command` makes (every thread)
    answering ROUNDS rounds, from `strace -f -c`'s summary."""
    summary = run_under(lambda out: ['strace', '-f', '-c', '-o', out],
                        command, rounds, depth)
    counts = dict.fromkeys(KINDS, 0)
    # "% time  seconds  usecs/call  calls  errors  syscall", errors blank
    # when there were none.
    for line in summary.splitlines():
        fields = line.split()
        if len(fields) not in (5, 6) or not fields[3].isdigit() or fields[-1] == 'total':
            continue
        name, calls = fields[-1], int(fields[3])
        errors = int(fields[4]) if len(fields) == 6 else 0
        if name in READS:
            counts['reads'] += calls - errors
            counts['failed reads'] += errors
        elif name in WRITES:
            counts['writes'] += calls
        elif name in ('epoll_wait', 'epoll_pwait', 'epoll_pwait2'):
            counts['epoll_wait'] += calls
        else:
            counts['other'] += calls
    return counts


def report_syscalls(servers, args):
    batches = 2 * args.rounds * CONNECTIONS
    rows = []
    for name, command in servers:
        print(f'{name} ...', file=sys.stderr, flush=True)
        small = syscalls(command, args.rounds, args.depth)
        large = syscalls(command, 3 * args.rounds, args.depth)
        rows.append((name, {kind: (large[kind] - small[kind]) / batches for kind in KINDS}))
    print(f'system calls per batch of {args.depth} pipelined GET / (strace -f -c; '
          f'{CONNECTIONS} connections; {time.strftime("%Y-%m-%d")})')
    print()
    print('| server | all | reads | reads that failed (EAGAIN) | writes | epoll_wait | other |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for name, per in rows:
        # (`+ 0.0` turns a rounded -0.0, a difference of a call or two
        # between runs, into 0.00.)
        cells = ' | '.join(f'{round(per[kind], 2) + 0.0:.2f}' for kind in KINDS)
        print(f'| {name} | {sum(per.values()):.2f} | {cells} |')


def main():
    args = parse_args()
    tool = 'strace' if args.syscalls else 'valgrind'
    if shutil.which(tool) is None:
        sys.exit(f'{tool} is needed: apt-get install {tool}')
    if not os.access(args.pygen, os.X_OK):
        sys.exit(f'{args.pygen} not found: run `cargo build --release` first')
    servers = []
    for model in args.models:
        for impl in args.impls:
            if impl == 'baseline' and model != 'handler':
                continue  # a hand-written handler, not a task
            name = f'pygen `{impl}`' + ('' if model == 'handler' else f', {model} model')
            servers.append((name, [args.pygen, 'serve', '--impl', impl, '--model', model,
                                   '--addr', '{addr}']))
    for peer, binary in load.build_peers(args.peers).items():
        servers.append((load.PEER_LABELS[peer], [binary, '--addr', '{addr}']))

    if args.syscalls:
        report_syscalls(servers, args)
        return
    extra = 2 * args.rounds * CONNECTIONS * args.depth
    rows = []
    for name, command in servers:
        print(f'{name} ...', file=sys.stderr, flush=True)
        small = instructions(command, args.rounds, args.depth)
        large = instructions(command, 3 * args.rounds, args.depth)
        rows.append((name, (large - small) / extra))

    print(f'user-space instructions per pipelined GET / (callgrind; {args.depth} deep on '
          f'{CONNECTIONS} connections; {time.strftime("%Y-%m-%d")})')
    print()
    peer = dict(rows).get(load.PEER_LABELS['may_minihttp'])
    print('| server | instructions per request |' + (' × may_minihttp |' if peer else ''))
    print('|---|---:|' + ('---:|' if peer else ''))
    for name, per in rows:
        ratio = f' {per / peer:.2f}× |' if peer else ''
        print(f'| {name} | {per:,.0f} |{ratio}')


if __name__ == '__main__':
    main()
