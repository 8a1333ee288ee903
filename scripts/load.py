#!/usr/bin/env python3
"""Load-test `pygen serve` with wrk beside its peers: requests per second,
p99 latency and, above all, the server's CPU time per request, for every
pygen backend in both serving models, pygen's no-coroutine baseline,
hyper, may_minihttp and a bare mio loop, all measured in the same run.

    cargo build --release
    python3 scripts/load.py                    # prints a Markdown table
    python3 scripts/load.py --duration 5 --runs 5 --idle 10000

The servers, each on one thread (or one worker thread):

* `pygen serve --impl X --model M --workers 1` for X in nightly,
  genawaiter, async-stream and M in handler, tasks (--impl, --models), and
  `--impl baseline` (a handler without coroutines, always measured);
* the peers (--peers, all three by default; --no-peers for none), each a
  small cargo workspace of its own under scripts/, built here before any
  measurement with

      cargo build --release --manifest-path scripts/NAME/Cargo.toml --target-dir target/NAME

  for NAME in hyper-hello (hyper 1.x on a current-thread tokio runtime),
  may-minihttp-hello (may_minihttp on one may worker thread) and mio-hello
  (one mio event loop, httparse and a fixed response: how fast a loop can
  be). A peer that does not build is skipped, with a message.

Every server takes `--addr 127.0.0.1:PORT` and answers `GET /` with
`200 Hello, World!`. For each, the script:

1. starts it on 127.0.0.1 and a free port, RUST_LOG=warn, its output in a
   temporary file;
2. waits until it accepts, warms it up with a short wrk run (--warmup);
3. runs `wrk -t1 -c64 -d<duration> --latency` against `GET /` twice:
   keep-alive (64 connections, one request in flight on each) and
   pipelined (a wrk Lua script that writes 16 requests at a time on each
   connection, --depth);
4. reads the server's CPU time before and after each run, from
   /proc/PID/task/*/schedstat (nanoseconds on the CPU, every thread;
   /proc/PID/stat's clock ticks where schedstat is missing), and divides
   it by the requests wrk completed; reads its user and system time
   beside it, in clock ticks, from /proc/PID/stat (the whole process,
   threads that ended included) and /proc/PID/task/*/stat (each thread,
   what is used when the first cannot be read), and divides those too;
5. stops it with SIGTERM and waits for it.

That is one round; --runs rounds (3 by default) go over every server in
turn, interleaved, and the table gives each figure's median. A run during
which other processes kept the CPUs busy is reported on stderr and under
the table.

Pinning: by default the server runs on CPU 1 and wrk on CPU 0 (`taskset
-c`; the first two CPUs this process may use, when those are not 0 and
1), so that the server has a core of its own. --no-pin runs both
unpinned. With fewer than two usable CPUs, or without taskset, it warns
and runs unpinned.

The columns, per server and mode:

* req/s: wrk's requests per second. On one machine it also measures wrk,
  which shares the machine with the server, so it is not the figure to
  compare.
* p99 latency: wrk's 99th percentile, keep-alive only (wrk's percentiles
  are wrong under pipelining).
* server CPU per request: the server's CPU time during the run (every
  thread, user and system) over the requests wrk completed; the median
  over the rounds. The figure to compare.
* × baseline, × hyper, × may_minihttp: that CPU per request over the
  baseline's, hyper's and may_minihttp's in the same mode of the same run.
* server CPU busy: the server's CPU time over the run's wall time (100% is
  one core saturated).
* bytes per idle connection (with --idle N): scripts/idle_connections.py
  against a fresh server of each kind, N idle keep-alive connections, each
  after one request: the growth of the server's RSS over N.

A second, smaller table under the first (after its footnotes) splits
server CPU per request into where it was spent, so that a gap between
pygen and a peer can be placed in user code or in the kernel. It is a
table of its own rather than two more columns of the first, which has
ten already and is quoted as it stands. Its columns, per server and mode:

* server CPU per request: the first table's figure, repeated to compare.
* user CPU per request: the server's user time (utime, every thread) over
  the requests wrk completed; the median over the rounds.
* system CPU per request: the same with its system time (stime): the
  kernel's work on the server's behalf, system calls above all.

utime and stime come in clock ticks (SC_CLK_TCK, 100 a second: 10 ms),
against nanoseconds for the total, and the kernel splits a thread's run
time between them by sampling where its timer interrupt finds the thread;
so the split is coarser than the total. One tick over a 3 s run's requests
is about 0.4% of the total CPU; the sampling, a few hundred to a few
thousand interrupts in such a run, is good to 1-3% of it. The footnote
under the table gives one tick in µs per request for the run at hand. The
two medians are taken each on its own and need not add up to the total's
exactly.

Under the table, one line per pygen server says whether it met pygen's
targets in this run: pipelined CPU per request no more than
may_minihttp's; keep-alive CPU per request no more than hyper's; fewer
than 1 KiB per idle connection (with --idle).

Only loopback addresses are used, and every wrk run is bounded by
--duration. Needs Linux (/proc) and wrk (installed with apt-get when
missing and running as root).
"""

import argparse
import datetime
import glob
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYGEN = os.path.join(ROOT, 'target', 'release', 'pygen')
IDLE_SCRIPT = os.path.join(ROOT, 'scripts', 'idle_connections.py')

# The peers: name in the table and on the command line, directory under
# scripts/ (also the package, the binary and target/'s subdirectory), and
# what the table's footnote says of it.
PEERS = {
    'hyper': ('hyper-hello',
              'scripts/hyper-hello: hyper 1.x, http1 with `pipeline_flush(true)` (the '
              'responses to pipelined requests leave in one write), on a current-thread '
              'tokio runtime.'),
    'may_minihttp': ('may-minihttp-hello',
                     "scripts/may-minihttp-hello: may_minihttp's hello-world on one may "
                     'worker thread (`may::config().set_workers(1)`; may adds a timer '
                     'thread, counted too).'),
    'mio': ('mio-hello',
            'scripts/mio-hello: one mio event loop, httparse and a fixed response, with no '
            'timeouts and no limits: how fast a loop can be.'),
}
PEER_LABELS = {'hyper': 'hyper 1.x', 'may_minihttp': 'may_minihttp', 'mio': 'mio-hello'}

# The targets pygen's server is held to: the peer each mode is compared
# with, and the idle-connection bound.
TARGET_PEER = {'pipelined': 'may_minihttp', 'keep-alive': 'hyper'}
IDLE_TARGET = 1024

IMPLS = ['baseline', 'nightly', 'genawaiter', 'async-stream']
MODELS = ['handler', 'tasks']
MODES = ['keep-alive', 'pipelined']

# 16 requests in one write per connection, wrk's own way: a request
# function returning the same pre-built string each time. wrk counts the
# requests in it and expects as many responses before the next write.
PIPELINE_LUA = '''\
init = function(args)
   local requests = {}
   for i = 1, %(depth)d do
      requests[i] = wrk.format(nil, "/")
   end
   pipelined = table.concat(requests)
end

request = function()
   return pipelined
end
'''


def log(message):
    print(message, file=sys.stderr, flush=True)


def fail(message):
    log(f'load.py: {message}')
    sys.exit(1)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Measure `pygen serve` under wrk beside hyper, may_minihttp and a bare '
                    'mio loop: req/s, p99 latency and server CPU per request for each '
                    '--impl and --model, as a Markdown table on stdout, with whether '
                    "pygen's targets were met.",
        epilog='Build first: cargo build --release (the peers are built here). Progress '
               'goes to stderr, the table to stdout.')
    parser.add_argument('--duration', type=int, default=3, metavar='SECONDS',
                        help='length of each measured wrk run, whole seconds (default 3)')
    parser.add_argument('--warmup', type=int, default=1, metavar='SECONDS',
                        help='unmeasured wrk run after each server starts (default 1; 0: none)')
    parser.add_argument('--runs', type=int, default=3, metavar='N',
                        help='rounds over all the servers; the table gives each '
                             "figure's median (default 3)")
    parser.add_argument('--connections', type=int, default=64, metavar='N',
                        help='wrk connections, -c (default 64)')
    parser.add_argument('--depth', type=int, default=16, metavar='N',
                        help='requests per write in the pipelined mode (default 16)')
    parser.add_argument('--impl', dest='impls', default=','.join(IMPLS), metavar='LIST',
                        help='comma-separated pygen --impl values to measure '
                             f'(default {",".join(IMPLS)}); the baseline is '
                             'always measured, since every ratio needs it')
    parser.add_argument('--models', default=','.join(MODELS), metavar='LIST',
                        help='comma-separated pygen --model values for the backends '
                             f'(default {",".join(MODELS)}); the baseline is a handler')
    parser.add_argument('--peers', default=','.join(PEERS), metavar='LIST',
                        help='comma-separated peer servers to build and measure '
                             f'(default {",".join(PEERS)}); one that does not build '
                             'is skipped')
    parser.add_argument('--no-peers', dest='peers', action='store_const', const='',
                        help='measure pygen only')
    # Kept so that older recorded commands still run: the same as leaving
    # hyper out of --peers.
    parser.add_argument('--no-hyper', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--idle', type=int, default=0, metavar='N',
                        help='also run scripts/idle_connections.py with N idle '
                             'connections against a fresh server of each kind')
    parser.add_argument('--pygen', default=PYGEN, metavar='PATH',
                        help='the pygen binary (default target/release/pygen)')
    parser.add_argument('--pin', action=argparse.BooleanOptionalAction, default=True,
                        help='pin the server to CPU 1 and wrk to CPU 0 with taskset '
                             '(default; --no-pin: leave both to the scheduler)')
    args = parser.parse_args()
    if args.duration < 1 or args.duration > 600:
        parser.error('--duration must be from 1 to 600 seconds')
    if args.warmup < 0 or args.warmup > 60:
        parser.error('--warmup must be between 0 and 60 seconds')
    if args.connections < 1 or args.depth < 1 or args.runs < 1:
        parser.error('--connections, --depth and --runs must be at least 1')
    if args.runs > 20:
        parser.error('--runs must be at most 20')
    if args.idle < 0:
        parser.error('--idle must not be negative')
    impls = [i.strip() for i in args.impls.split(',') if i.strip()]
    unknown = [i for i in impls if i not in IMPLS]
    if unknown:
        parser.error(f'unknown --impl {", ".join(unknown)}; choose from {", ".join(IMPLS)}')
    args.impls = ['baseline'] + [i for i in IMPLS if i in impls and i != 'baseline']
    models = [m.strip() for m in args.models.split(',') if m.strip()]
    unknown = [m for m in models if m not in MODELS]
    if unknown or not models:
        parser.error(f'unknown --models {", ".join(unknown)}; choose from {", ".join(MODELS)}')
    args.models = [m for m in MODELS if m in models]
    peers = peer_list(parser, args.peers)
    args.peers = [p for p in PEERS if p in peers and not (p == 'hyper' and args.no_hyper)]
    return args


def peer_list(parser, text):
    """The peers named in `text`, a comma-separated --peers value, in its
    order; an unknown one is a usage error of `parser`."""
    peers = [p.strip() for p in text.split(',') if p.strip()]
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        parser.error(f'unknown --peers {", ".join(unknown)}; choose from {", ".join(PEERS)}')
    return peers


# --- preparing ---------------------------------------------------------------

def ensure_wrk():
    if shutil.which('wrk'):
        return
    if os.geteuid() == 0 and shutil.which('apt-get'):
        log('wrk is missing: installing it with apt-get')
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        subprocess.run(['apt-get', 'update', '-qq'], env=env, check=False)
        subprocess.run(['apt-get', 'install', '-y', '-qq', 'wrk'], env=env, check=False)
    if not shutil.which('wrk'):
        fail('wrk is not installed: install it (Debian/Ubuntu: sudo apt-get install wrk) '
             'and run again')


def check_pygen(path):
    if not os.access(path, os.X_OK):
        fail(f'{path} not found: run `cargo build --release` first')
    built = os.path.getmtime(path)
    sources = glob.glob(os.path.join(ROOT, 'src', '**', '*.rs'), recursive=True)
    sources += glob.glob(os.path.join(ROOT, 'crates', '*', 'src', '**', '*.rs'), recursive=True)
    newer = [s for s in sources if os.path.getmtime(s) > built]
    if newer:
        log(f'warning: {len(newer)} source file(s) changed since {path} was built '
            f'(e.g. {os.path.relpath(newer[0], ROOT)}); `cargo build --release` to measure them')


def pin_cpus(wanted):
    """(server CPU, wrk CPU) to pin to, or None to run unpinned."""
    if not wanted:
        return None
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = list(range(os.cpu_count() or 1))
    if len(cpus) < 2:
        log(f'warning: only {len(cpus)} CPU to run on: server and wrk run unpinned, '
            'sharing it')
        return None
    if shutil.which('taskset') is None:
        log('warning: taskset not found (util-linux): server and wrk run unpinned')
        return None
    return cpus[1], cpus[0]


def build_peers(names):
    """{name: binary} of the peers that built, built now (before any
    measurement); a peer that does not build is left out, with a message."""
    if not names:
        return {}
    cargo = shutil.which('cargo')
    if cargo is None:
        log(f'cargo not found: skipping the peers ({", ".join(names)})')
        return {}
    built = {}
    for name in names:
        directory = PEERS[name][0]
        manifest = os.path.join(ROOT, 'scripts', directory, 'Cargo.toml')
        target_dir = os.path.join(ROOT, 'target', directory)
        binary = os.path.join(target_dir, 'release', directory)
        log(f'building scripts/{directory} ...')
        command = [cargo, 'build', '--release', '--manifest-path', manifest,
                   '--target-dir', target_dir]
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0 or not os.access(binary, os.X_OK):
            log(f'scripts/{directory} did not build: skipping {name}')
            continue
        built[name] = binary
    return built


# --- servers -----------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def raise_open_files_limit():
    """In the server's process: as many open files as allowed (--idle opens
    thousands of connections)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Server:
    """A server process on 127.0.0.1, its log in `logdir`, pinned to CPU
    `cpu` unless that is None."""

    def __init__(self, name, command, logdir, cpu):
        self.name = name
        self.port = free_port()
        self.address = f'127.0.0.1:{self.port}'
        self.command = [a.replace('{addr}', self.address) for a in command]
        if cpu is not None:
            self.command = ['taskset', '-c', str(cpu)] + self.command
        self.log_path = os.path.join(logdir, f'{name}.log')
        self.log_file = open(self.log_path, 'wb')
        env = dict(os.environ, RUST_LOG='warn')
        self.process = subprocess.Popen(self.command, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, env=env,
                                        stdin=subprocess.DEVNULL,
                                        preexec_fn=raise_open_files_limit)
        self.pid = self.process.pid
        self.wait_until_accepting()

    def wait_until_accepting(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f'{self.name} exited with {self.process.returncode} before accepting:\n'
                     f'{self.log_tail()}')
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        fail(f'{self.name} did not accept on {self.address} within {timeout:.0f} s')

    def cpu_ns(self):
        """CPU time the server has used so far, in nanoseconds."""
        total = 0
        found = False
        for path in glob.glob(f'/proc/{self.pid}/task/*/schedstat'):
            try:
                with open(path) as f:
                    total += int(f.read().split()[0])
                    found = True
            except (OSError, ValueError, IndexError):
                pass  # a thread that just ended
        if found:
            return total
        utime, stime = stat_ticks(f'/proc/{self.pid}/stat')
        return (utime + stime) * 1_000_000_000 // os.sysconf('SC_CLK_TCK')

    def cpu_ticks(self):
        """The server's user and system time so far, in clock ticks:
        {'process': (utime, stime) of the whole process or None,
        'threads': {thread id: (utime, stime)}}.

        The process's figures include the threads that have ended, which
        the threads' own lose with them; the threads' are read as well, for
        when the process's cannot be."""
        threads = {}
        for path in glob.glob(f'/proc/{self.pid}/task/*/stat'):
            try:
                threads[int(path.split('/')[-2])] = stat_ticks(path)
            except (OSError, ValueError, IndexError):
                pass  # a thread that just ended
        try:
            process = stat_ticks(f'/proc/{self.pid}/stat')
        except (OSError, ValueError, IndexError):
            process = None
        return {'process': process, 'threads': threads}

    def log_tail(self, lines=20):
        self.log_file.flush()
        try:
            with open(self.log_path, errors='replace') as f:
                return ''.join(f.readlines()[-lines:])
        except OSError:
            return ''

    def stop(self):
        """SIGTERM, then wait: pygen and hyper shut down gracefully, the
        other peers just end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                log(f'warning: {self.name} ignored SIGTERM for 40 s: killing it')
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        code = self.process.returncode
        if code not in (0, -signal.SIGTERM):
            log(f'warning: {self.name} exited with {code}:\n{self.log_tail()}')


def stat_ticks(path):
    """(utime, stime) from a /proc stat file, in clock ticks."""
    with open(path) as f:
        # Fields after the command name, which may hold spaces: utime
        # and stime are the 14th and 15th fields of the whole line.
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]), int(fields[12])


def ticks_between(before, after, name):
    """(user, system) clock ticks between two cpu_ticks() readings.

    The whole process's figures when both readings have them: they keep
    the time of threads that ended in between. Otherwise the threads':
    one that appeared counts from zero, one that vanished is lost (with a
    warning), since its last figures went with it."""
    if before['process'] is not None and after['process'] is not None:
        return tuple(a - b for a, b in zip(after['process'], before['process']))
    gone = set(before['threads']) - set(after['threads'])
    if gone:
        log(f'  warning: {len(gone)} thread(s) of {name} ended during the run; '
            'their user and system time since the first reading is not counted')
    user = system = 0
    for tid, (utime, stime) in after['threads'].items():
        first = before['threads'].get(tid, (0, 0))
        user += utime - first[0]
        system += stime - first[1]
    return user, system


# --- wrk ---------------------------------------------------------------------

UNITS_US = {'us': 1.0, 'ms': 1e3, 's': 1e6, 'm': 60e6, 'h': 3600e6}


def wrk(server, duration, connections, script, cpu):
    """Run wrk once against GET / and parse what it printed."""
    command = ['wrk', '-t1', f'-c{connections}', f'-d{duration}s', '--latency']
    if script:
        command += ['-s', script]
    command.append(f'http://{server.address}/')
    if cpu is not None:
        command = ['taskset', '-c', str(cpu)] + command
    try:
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=duration + 60)
    except subprocess.TimeoutExpired:
        fail(f'wrk against {server.name} did not finish within {duration + 60} s')
    if result.returncode != 0:
        fail(f'wrk failed against {server.name}:\n{result.stdout}{result.stderr}')
    return parse_wrk(result.stdout, server.name)


def parse_wrk(text, name):
    requests = re.search(r'^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)', text, re.M)
    rate = re.search(r'^Requests/sec:\s+([\d.]+)', text, re.M)
    p99 = re.search(r'^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$', text, re.M)
    if not (requests and rate and p99):
        fail(f'could not read wrk output for {name}:\n{text}')
    socket_errors = re.search(
        r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
    non_2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        'requests': int(requests.group(1)),
        'rps': float(rate.group(1)),
        'p99_us': float(p99.group(1)) * UNITS_US[p99.group(2)],
        'errors': errors,
        'output': text,
    }


def median_run(runs):
    """Each figure's median over the rounds (figure by figure)."""
    keys = ['requests', 'rps', 'p99_us', 'errors', 'cpu_us_per_request', 'cpu_share',
            'user_us_per_request', 'system_us_per_request']
    median = {key: statistics.median(run[key] for run in runs) for key in keys}
    median['disturbed'] = sum(run['others_share'] > 0.15 for run in runs)
    return median


def machine_busy_seconds():
    """CPU time every CPU has spent busy since boot (/proc/stat), seconds."""
    with open('/proc/stat') as f:
        fields = [int(n) for n in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    # guest time is already counted in user and nice
    return (sum(fields[:8]) - idle) / os.sysconf('SC_CLK_TCK')


def children_seconds():
    """CPU time of the children waited for so far (wrk, here)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(server, mode, args, scripts):
    script = scripts[mode]
    busy_before, wrk_before = machine_busy_seconds(), children_seconds()
    ticks_before = server.cpu_ticks()
    before = server.cpu_ns()
    start = time.monotonic()
    run = wrk(server, args.duration, args.connections, script, args.wrk_cpu)
    wall = time.monotonic() - start
    cpu = server.cpu_ns() - before
    user, system = ticks_between(ticks_before, server.cpu_ticks(), server.name)
    wrk_cpu = children_seconds() - wrk_before
    # Whatever else ran meanwhile: it shares the cores and the caches, so
    # a busy machine makes every figure of this run suspect.
    others = machine_busy_seconds() - busy_before - wrk_cpu - cpu / 1e9
    if run['requests'] == 0:
        fail(f'{server.name} completed no request in {mode}:\n{run["output"]}')
    run['cpu_us_per_request'] = cpu / 1e3 / run['requests']
    run['cpu_share'] = cpu / 1e9 / wall
    us_per_tick = 1e6 / os.sysconf('SC_CLK_TCK')
    run['user_us_per_request'] = user * us_per_tick / run['requests']
    run['system_us_per_request'] = system * us_per_tick / run['requests']
    p99 = format_latency(run['p99_us']) if script is None else 'n/a'
    log(f'  {mode:<10} {run["rps"]:>11,.0f} req/s  p99 {p99:>9}  '
        f'server CPU {run["cpu_us_per_request"]:6.2f} us/request '
        f'({run["cpu_share"]:.0%} of a core)'
        + (f'  {run["errors"]} errors' if run['errors'] else ''))
    run['others_share'] = others / wall
    if others / wall > 0.15:
        log(f'  warning: other processes used {others / wall:.0%} of a core during this '
            'run; its figures are suspect')
    return run


# --- idle connections ----------------------------------------------------------

def idle_bytes(server, count, cpu):
    """Bytes per idle connection from scripts/idle_connections.py, or None.
    The client runs where wrk does."""
    command = [sys.executable, IDLE_SCRIPT, server.address, str(server.pid),
               '--count', str(count), '--timeout', '120']
    if cpu is not None:
        command = ['taskset', '-c', str(cpu)] + command
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        log(f'warning: idle_connections.py against {server.name} took over 180 s')
        return None
    match = re.search(r'bytes per idle connection:\s*(-?[\d,.]+)', result.stdout)
    if result.returncode != 0 or not match:
        log(f'warning: idle_connections.py against {server.name} failed '
            f'(exit {result.returncode}):\n{result.stdout}{result.stderr}')
        return None
    if result.stderr.strip():
        log('  ' + result.stderr.strip().replace('\n', '\n  '))
    value = float(match.group(1).replace(',', ''))
    log(f'  idle       {value:,.0f} bytes per idle connection ({count} connections)')
    return value


# --- the report ----------------------------------------------------------------

def format_latency(us):
    if us >= 1e6:
        return f'{us / 1e6:.2f} s'
    if us >= 1e3:
        return f'{us / 1e3:.2f} ms'
    return f'{us:.0f} µs'


def machine():
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return cpu


def version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return 'unknown'


SUPERSCRIPTS = '²³⁴⁵⁶'


def label(name, marks):
    """A server's name in the table."""
    if name in PEERS:
        return PEER_LABELS[name] + marks.get(name, '')
    if name.endswith(' tasks'):
        return f'pygen `{name[:-len(" tasks")]}`, task model'
    return f'pygen `{name}`'


def mode_label(mode, depth):
    """A mode's name in the tables: pipelining with its depth."""
    return mode if mode == 'keep-alive' else f'pipelined ×{depth}'


def targets(results, idle):
    """One line per pygen server: pygen's targets met or not in this run."""
    lines = []
    for name in results:
        if name in PEERS:
            continue
        parts = []
        for mode in ('pipelined', 'keep-alive'):
            peer = TARGET_PEER[mode]
            cpu = results[name][mode]['cpu_us_per_request']
            if peer not in results:
                parts.append(f'{mode}: n/a ({PEER_LABELS[peer]} not measured)')
                continue
            theirs = results[peer][mode]['cpu_us_per_request']
            verdict = 'met' if cpu <= theirs else 'not met'
            parts.append(f'{mode} CPU per request {cpu:.2f} µs vs {PEER_LABELS[peer]} '
                         f'{theirs:.2f} µs ({cpu / theirs:.2f}×): **{verdict}**')
        if idle is None:
            parts.append('idle connection: not measured (--idle N)')
        elif idle.get(name) is None:
            parts.append('idle connection: n/a (idle_connections.py failed)')
        else:
            verdict = 'met' if idle[name] < IDLE_TARGET else 'not met'
            parts.append(f'{idle[name]:,.0f} bytes per idle connection '
                         f'(< {IDLE_TARGET:,}): **{verdict}**')
        lines.append(f'- {label(name, {})}: ' + '; '.join(parts))
    return lines


def split_table(results, args, marks):
    """The second table: server CPU per request split into user and system
    time, and its footnote. Apart from the first so that the first stays
    as it is quoted, and readable."""
    lines = [
        'Server CPU per request split into user and system time:',
        '',
        '| server | mode | server CPU per request | user CPU per request '
        '| system CPU per request |',
        '|---|---|---:|---:|---:|',
    ]
    for mode in MODES:
        for name in results:
            run = results[name][mode]
            lines.append(f'| {label(name, marks)} | {mode_label(mode, args.depth)} '
                         f'| {run["cpu_us_per_request"]:.2f} µs '
                         f'| {run["user_us_per_request"]:.2f} µs '
                         f'| {run["system_us_per_request"]:.2f} µs |')
    # One clock tick over the fewest requests of a mode: how coarse the
    # two columns are at worst.
    hz = os.sysconf('SC_CLK_TCK')
    ticks, shares = [], []
    for mode in MODES:
        name = min(results, key=lambda n: results[n][mode]['requests'])
        run = results[name][mode]
        tick = 1e6 / hz / run['requests']
        ticks.append(f'{tick:.2g} µs {mode if mode == "keep-alive" else "pipelined"}')
        shares.append(f'{tick / run["cpu_us_per_request"]:.1%}')
    lines += [
        '',
        "User and system CPU per request: the server's user time (utime) and system time "
        '(stime) during the run, from /proc/PID/stat (all its threads, ended ones '
        'included), over the requests wrk completed; system time is the kernel\'s work for '
        'the server, its system calls above all. Each is a median over the rounds of its '
        'own, so the two need not add up to the median total exactly. Both come in clock '
        f'ticks of 1/{hz} s ({1000 / hz:g} ms): one tick is {" and ".join(ticks)} per '
        'request for the server with the fewest requests (its median), '
        f'{" and ".join(shares)} of its CPU per request: the resolution of the two '
        "columns. And the kernel divides a thread's run time between user and system "
        'by where its timer interrupts find the thread, a sample of a few hundred to a '
        'few thousand interrupts in a 3 s run of a busy server: the split is good to '
        'about 1-3% of the total there, worse in shorter runs. The total, from schedstat '
        'in nanoseconds, is not sampled.',
    ]
    return lines


def report(results, args, idle):
    names = list(results)
    ratios = [peer for peer in ('hyper', 'may_minihttp') if peer in results]
    peers = [name for name in names if name in PEERS]
    marks = {peer: SUPERSCRIPTS[i] for i, peer in enumerate(peers)}
    date = datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')
    command = shlex.join(['python3', os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:])
    pinned = (f'server pinned to CPU {args.server_cpu} and wrk to CPU {args.wrk_cpu}'
              if args.server_cpu is not None else 'server and wrk unpinned')
    lines = [
        f'Measured {date} on `uname -m` {platform.machine()}, `nproc` {os.cpu_count()}'
        + (f' ({machine()})' if machine() else '')
        + f', {version(["rustc", "-V"])}, {version(["wrk", "-v"]).split(" [")[0]}; '
        f'wrk -t1 -c{args.connections} -d{args.duration}s, one server thread, {pinned}, '
        f'medians of {args.runs} round(s). Command: `{command}`',
        '',
    ]
    header = ['server', 'mode', 'req/s', 'p99 latency', 'server CPU per request',
              '× baseline'] + [f'× {PEER_LABELS[peer]}' for peer in ratios]
    header.append('server CPU busy')
    if idle is not None:
        header.append('bytes per idle connection')
    lines.append('| ' + ' | '.join(header) + ' |')
    lines.append('|---|---|' + '---:|' * (len(header) - 2))
    for mode in MODES:
        base = results['baseline'][mode]['cpu_us_per_request']
        for name in names:
            run = results[name][mode]
            cpu = run['cpu_us_per_request']
            # wrk's latency percentiles are wrong under pipelining: it records
            # one sample per batch but corrects for coordinated omission with
            # the interval between single responses, which pushes samples
            # below its minimum (the high percentiles then read 0).
            p99 = format_latency(run['p99_us']) if mode == 'keep-alive' else 'n/a¹'
            row = [label(name, marks), mode_label(mode, args.depth), f'{run["rps"]:,.0f}', p99,
                   f'{cpu:.2f} µs', f'{cpu / base:.2f}×']
            for peer in ratios:
                row.append(f'{cpu / results[peer][mode]["cpu_us_per_request"]:.2f}×')
            row.append(f'{run["cpu_share"]:.0%}')
            if idle is not None:
                value = idle.get(name)
                row.append(f'{value:,.0f}' if value is not None else 'n/a')
            if run['errors']:
                row[2] += f' ({run["errors"]} errors)'
            lines.append('| ' + ' | '.join(row) + ' |')
    lines += [
        '',
        f'¹ wrk cannot give latency percentiles with pipelining; a batch of {args.depth} '
        f'takes on average {args.connections} × {args.depth} / (req/s) to come back '
        "(Little's law). Server CPU per request is the server's CPU time during the run "
        '(all its threads, from /proc) over the requests wrk completed; the ratios divide '
        "it by the baseline's or the peer's in the same mode of the same run. "
        '"Server CPU busy" is that CPU time over the run\'s wall time (100% = one core '
        'saturated).'
        + (f' Bytes per idle connection: the server\'s RSS growth over {args.idle:,} idle '
           'keep-alive connections, each after one request, over their number.'
           if idle is not None else ''),
    ]
    for peer in peers:
        lines += ['', f'{marks[peer]} {PEERS[peer][1]}']
    lines += [''] + split_table(results, args, marks)
    disturbed = sum(results[name][mode]['disturbed'] for name in names for mode in MODES)
    if disturbed:
        lines += [
            '',
            f'Warning: during {disturbed} of {len(names) * len(MODES) * args.runs} wrk runs, '
            'other processes used more than 15% of a core; the machine was not idle.',
        ]
    lines += [
        '',
        "pygen's targets in this run: pipelined CPU per request no more than "
        "may_minihttp's, keep-alive CPU per request no more than hyper's, fewer than "
        f'{IDLE_TARGET:,} bytes per idle connection. Medians as measured: differences of '
        'a few per cent are within run-to-run noise, more so in short runs.',
        '',
    ] + targets(results, idle)
    return '\n'.join(lines)


def main():
    args = parse_args()
    if not sys.platform.startswith('linux'):
        fail('needs Linux: the server CPU time comes from /proc')
    ensure_wrk()
    check_pygen(args.pygen)
    args.server_cpu, args.wrk_cpu = pin_cpus(args.pin) or (None, None)
    peers = build_peers(args.peers)

    servers = []
    for name in args.impls:
        for model in args.models if name != 'baseline' else ['handler']:
            key = name if model == 'handler' else f'{name} tasks'
            servers.append((key, [args.pygen, 'serve', '--impl', name, '--model', model,
                                    '--addr', '{addr}', '--workers', '1']))
    for name, binary in peers.items():
        servers.append((name, [binary, '--addr', '{addr}']))
    measure_idle = args.idle > 0 and os.path.exists(IDLE_SCRIPT)
    if args.idle > 0 and not measure_idle:
        log('scripts/idle_connections.py not found: no idle-connection column')

    rounds = {name: {mode: [] for mode in MODES} for name, _ in servers}
    idle = {}
    seconds = args.runs * len(servers) * (args.warmup + 2 * args.duration + 1)
    log(f'{args.runs} round(s) of {len(servers)} servers: about {seconds} s of wrk '
        + ('(plus the idle-connection runs); ' if measure_idle else '; ')
        + 'keep the machine otherwise idle')
    with tempfile.TemporaryDirectory(prefix='pygen-load-') as tmp:
        scripts = {'keep-alive': None, 'pipelined': os.path.join(tmp, 'pipeline.lua')}
        with open(scripts['pipelined'], 'w') as f:
            f.write(PIPELINE_LUA % {'depth': args.depth})
        # Round after round of every server, rather than every round of one
        # server after the other, so that a slow drift of the machine (a
        # neighbour, the CPU's clock) spreads over all of them alike.
        for round_number in range(1, args.runs + 1):
            for name, command in servers:
                log(f'{name} (round {round_number} of {args.runs}):')
                server = Server(name, command, tmp, args.server_cpu)
                try:
                    if args.warmup > 0:
                        wrk(server, args.warmup, args.connections, None, args.wrk_cpu)
                    for mode in MODES:
                        rounds[name][mode].append(measure(server, mode, args, scripts))
                finally:
                    server.stop()
        if measure_idle:
            for name, command in servers:
                log(f'{name} (idle connections):')
                server = Server(name, command, tmp, args.server_cpu)
                try:
                    idle[name] = idle_bytes(server, args.idle, args.wrk_cpu)
                finally:
                    server.stop()
    results = {name: {mode: median_run(runs) for mode, runs in modes.items()}
               for name, modes in rounds.items()}
    print(report(results, args, idle if measure_idle else None))


if __name__ == '__main__':
    main()
