#!/usr/bin/env python3
"""CPython's side of every pygen transcript.

The eleven demo generators, driven by op scripts, printing one line per op in
pygen's transcript format:

    python3 tests/oracle.py guarded next "throw ValueError" close
    python3 tests/oracle.py stubborn next del         # del: the finaliser
    printf 'guarded|next|close\\n' | python3 tests/oracle.py --batch
    python3 tests/oracle.py --golden tests/golden     # rewrite golden files
    python3 tests/oracle.py --tutor guarded next close  # one JSON object
    python3 tests/oracle.py --tutor-recorded src/tutor/recorded.json

`--batch` reads one script a line, `DEMO|OP|OP...`, and prints each
transcript followed by a blank line, so a test can run thousands of scripts
in one process. `--golden DIR` rewrites the committed golden transcripts
from GOLDEN_SCRIPTS below; the Rust tests compare every backend against
them, so they keep meaning something where python3 is missing.

`--tutor` runs one script for `pygen tutor` and prints JSON: per op the
outcome, `inspect.getgeneratorstate`, the line the generator's frame is
paused at (`gi_frame.f_lineno`, counted from the line after the demo's
`# ANCHOR: NAME` comment, so line 1 is the first line of the source the
tutor shows) and its locals as `repr`s. An async demo's script is run the
same way with `ag_frame`, its state named as 3.12's
`inspect.getasyncgenstate` names it (see async_state). `--tutor-recorded FILE` writes the
same for TUTOR_SCRIPTS, for the tutor to show where python3 is missing.

`pygen transcript --impl all` builds this file into its binary and runs it
as `python3 -c <this file> DEMO OP...`, so a demo added to pygen needs its
Python here for that column too.
"""

import asyncio
import gc
import inspect
import json
import os
import random
import re
import sys

LOG = []


def log(text):
    LOG.append(text)


# --- the demo generators --------------------------------------------------

# ANCHOR: fibonacci
def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
# ANCHOR_END: fibonacci


# ANCHOR: echo
def echo():
    value = None
    while True:
        value = yield value
# ANCHOR_END: echo


# ANCHOR: running_sum
def running_sum():
    total = 0
    while True:
        x = yield total
        if x is None:
            return total
        total += x
# ANCHOR_END: running_sum


# ANCHOR: countdown
def countdown():
    n = 3
    while n > 0:
        yield n
        n -= 1
    return 'liftoff'
# ANCHOR_END: countdown


# ANCHOR: guarded
def guarded():
    try:
        while True:
            try:
                yield 'waiting'
            except ValueError:
                yield 'recovered'
    finally:
        log('cleanup')
# ANCHOR_END: guarded


# ANCHOR: stubborn
def stubborn():
    while True:
        try:
            yield 'still here'
        except GeneratorExit:
            log('ignoring close')
# ANCHOR_END: stubborn


# ANCHOR: batches
def batches():
    count = 0
    while True:
        total = yield from running_sum()
        count += 1
        yield f'batch {count}: {total}'
# ANCHOR_END: batches


# ANCHOR: words
def words():
    text = 'the quick brown fox'
    count = 0
    for word in text.split():
        reply = yield word
        if reply is not None:
            log(f'{word}: {reply}')
        count += 1
    return count
# ANCHOR_END: words


# ANCHOR: account
class Overdrawn(Exception):
    pass


def account():
    balance = 10
    while True:
        amount = yield balance
        if amount is None:
            return balance
        if balance + amount < 0:
            raise Overdrawn(f'balance {balance}, asked {amount}')
        balance += amount
# ANCHOR_END: account


# ANCHOR: inventory
def inventory():
    stock = {1: 'apple', 2: 'pear'}
    spares = iter(['fig'])
    reply = None
    while True:
        try:
            key = yield reply
            reply = stock[key]            # KeyError if key is not in stock
        except LookupError as e:          # KeyError is a LookupError
            log(f'missing {e}')
            reply = next(spares)          # the second time, StopIteration escapes
        except Exception as e:            # GeneratorExit is not an Exception
            reply = type(e).__name__
# ANCHOR_END: inventory


# ANCHOR: pipeline
def coroutine(func):          # the priming decorator
    def start(*args):
        cr = func(*args)
        next(cr)
        return cr
    return start


@coroutine
def sink(name):
    try:
        while True:
            item = yield
            log(f'{name} got {item}')
    finally:
        log(f'{name} closed')


@coroutine
def evens(target):
    try:
        while True:
            n = yield
            if n is not None and n % 2 == 0:
                target.send(n)
    finally:
        target.close()


@coroutine
def broadcast(targets):
    try:
        while True:
            item = yield
            for t in targets:
                t.send(item)
    finally:
        for t in targets:
            t.close()


def pipeline():
    return evens(broadcast([sink('a'), sink('b')]))
# ANCHOR_END: pipeline


# --- the async demo generators (PEP 525) -----------------------------------

# ANCHOR: ticker
async def ticker():
    n = 0
    try:
        while True:
            await asyncio.sleep(0)
            yield n
            n += 1
    finally:
        log('ticker closed')
# ANCHOR_END: ticker


# ANCHOR: running_mean
async def running_mean():
    total = 0
    count = 0
    mean = None
    while True:
        try:
            value = yield mean
        except ValueError:
            log('reset')
            total = count = 0
            mean = None
            continue
        if value is None:
            return
        await asyncio.sleep(0)
        total += value
        count += 1
        mean = total // count
# ANCHOR_END: running_mean


# ANCHOR: stubborn_async
async def stubborn_async():
    while True:
        try:
            yield 'still here'
        except GeneratorExit:
            log('ignoring aclose')
# ANCHOR_END: stubborn_async


ASYNC_DEMOS = {f.__name__: f for f in (ticker, running_mean, stubborn_async)}

DEMOS = {f.__name__: f for f in
         (fibonacci, echo, running_sum, countdown, guarded, stubborn, batches,
          words, account, pipeline, inventory)}
EXCEPTIONS = {e.__name__: e for e in
              (ValueError, KeyError, GeneratorExit, TypeError, RuntimeError)}


# --- running op scripts -----------------------------------------------------

def parse_ops(words):
    """Split words into ops; 'send', 'throw', 'asend' and 'athrow' take the
    next word."""
    words = [w for word in words for w in word.split()]
    ops, i = [], 0
    while i < len(words):
        width = 2 if words[i] in ('send', 'throw', 'asend', 'athrow') else 1
        ops.append(' '.join(words[i:i + width]))
        i += width
    return ops


def apply(gen, op):
    """Run one op on gen and describe the outcome as a transcript does."""
    try:
        if op == 'next':
            value = next(gen)
        elif op == 'close':
            gen.close()
            return 'closed'
        elif op.startswith('send '):
            arg = op[len('send '):]
            value = gen.send(None if arg == 'None' else int(arg))
        elif op.startswith('throw '):
            value = gen.throw(EXCEPTIONS[op[len('throw '):]]())
        else:
            raise SystemExit(f'oracle: bad op {op!r}')
    except StopIteration as stop:
        if stop.value is None:
            return 'raise StopIteration'
        return f'return {stop.value!r}'
    except BaseException as exc:  # GeneratorExit is not an Exception
        return f'raise {traceback_line(exc)}'
    return f'yield {value!r}'


def delete(holder):
    """`del g` for the generator in holder, a list holding its one reference:
    CPython finalises it at once, closing it if it is suspended. What that
    close raises has nobody to go to, so it reaches sys.unraisablehook,
    which records it here."""
    ignored = []
    sys.unraisablehook = lambda unraisable: ignored.append(traceback_line(unraisable.exc_value))
    try:
        holder.pop()
        gc.collect()
    finally:
        sys.unraisablehook = lambda _: None
    return f'ignored {ignored[0]}' if ignored else 'collected'


def apply_async(loop, gen, op):
    """Run one async op on gen, awaited to completion on loop, and describe
    the outcome as a transcript does."""
    try:
        if op == 'anext':
            value = loop.run_until_complete(gen.__anext__())
        elif op == 'aclose':
            loop.run_until_complete(gen.aclose())
            return 'closed'
        elif op.startswith('asend '):
            arg = op[len('asend '):]
            value = loop.run_until_complete(gen.asend(None if arg == 'None' else int(arg)))
        elif op.startswith('athrow '):
            value = loop.run_until_complete(gen.athrow(EXCEPTIONS[op[len('athrow '):]]()))
        else:
            raise SystemExit(f'oracle: bad op {op!r}')
    except BaseException as exc:  # GeneratorExit is not an Exception
        return f'raise {traceback_line(exc)}'
    return f'yield {value!r}'


def traceback_line(exc):
    """How a transcript names an exception: a built-in class by its name
    alone, a class the demos define with its message, as the last line of
    Python's traceback prints it."""
    name = type(exc).__name__
    if type(exc).__module__ == 'builtins' or not str(exc):
        return name
    return f'{name}: {exc}'


def transcript(demo, ops):
    """The transcript lines for one op script; an async generator's ops
    are each run to completion on one event loop."""
    LOG.clear()
    if demo in ASYNC_DEMOS:
        loop = asyncio.new_event_loop()
        holder = [ASYNC_DEMOS[demo]()]
        step = lambda op: apply_async(loop, holder[0], op)
    else:
        loop = None
        holder = [DEMOS[demo]()]
        step = lambda op: delete(holder) if op == 'del' else apply(holder[0], op)
    lines = []
    for op in ops:
        outcome = step(op)
        logs = ''.join(f'log {text!r}; ' for text in LOG)
        LOG.clear()
        lines.append(f'{op}: {logs}{outcome}')
    # What the generator logs when it is collected after the script
    # belongs to no op.
    holder.clear()
    del step
    if loop is not None:
        # The event loop's finished tasks hold the exceptions they raised,
        # whose tracebacks hold the generator's frames: collect that cycle
        # now, so that an async generator is finalised here and not in the
        # middle of a later script.
        loop.close()
        del loop
        gc.collect()
    LOG.clear()
    return lines


# --- golden files -----------------------------------------------------------

# Every edge row of the protocol table, by hand, for every demo; then random
# scripts from a fixed seed.
EDGE_SCRIPTS = [
    ['next', 'next', 'next', 'next', 'next'],
    ['send 5', 'next', 'send 5', 'send -2', 'send None', 'next'],
    ['send 5', 'send 7', 'throw ValueError', 'next'],
    ['throw ValueError', 'next', 'close', 'throw KeyError'],
    ['close', 'next', 'close', 'send 1'],
    ['next', 'throw ValueError', 'throw ValueError', 'next'],
    ['next', 'throw KeyError', 'next', 'throw KeyError', 'close'],
    ['next', 'close', 'close', 'next', 'send 3', 'throw ValueError'],
    ['next', 'throw GeneratorExit', 'next', 'close', 'next'],
    ['next', 'send 1', 'send 2', 'send None', 'send 3', 'next', 'next', 'send 4'],
    ['next', 'send 100000000000000000000000000000', 'send 100000000000000000000000000000',
     'send None', 'next'],
    ['next', 'send 2', 'throw ValueError', 'next', 'throw KeyError'],
    ['next', 'send 2', 'close', 'next'],
    ['next', 'throw TypeError', 'next'],
    ['next', 'throw RuntimeError', 'close'],
    ['del'],
    ['next', 'del'],
    ['next', 'send 3', 'del'],
    ['next', 'close', 'del'],
    ['next', 'throw ValueError', 'del'],
]

OPS = (['next'] * 4 + ['send None'] + ['send %d'] * 4 + ['throw ValueError'] * 2
       + ['throw KeyError', 'throw GeneratorExit', 'close'] * 1)


def random_script(rng, length):
    """A random op script; sends are small ints, sometimes negative."""
    ops = []
    for _ in range(length):
        op = rng.choice(OPS)
        if '%d' in op:
            op = op % rng.randint(-50, 50)
        ops.append(op)
    return ops


def async_script(ops):
    """The same script for an async generator: next is anext, and so on."""
    return ['a' + op for op in ops]


def golden_scripts():
    rng = random.Random(20261127)
    scripts = {}
    for demo in DEMOS:
        scripts[demo] = EDGE_SCRIPTS + [random_script(rng, rng.randint(1, 12))
                                        for _ in range(20)]
        # Then a few that end with `del g`, from a second stream, so the
        # scripts above stay what they were.
        ends = random.Random(f'del {demo}')
        scripts[demo] += [random_script(ends, ends.randint(0, 8)) + ['del'] for _ in range(5)]
    for demo in ASYNC_DEMOS:
        # (`del` is for generators; an async generator is finalised
        # through its event loop, which these scripts do not show.)
        scripts[demo] = [async_script(ops) for ops in EDGE_SCRIPTS if 'del' not in ops] + [
            async_script(random_script(rng, rng.randint(1, 12))) for _ in range(20)]
    return scripts


def write_golden(directory):
    os.makedirs(directory, exist_ok=True)
    for demo, scripts in golden_scripts().items():
        blocks = []
        for ops in scripts:
            blocks.append('> ' + ' | '.join(ops) + '\n'
                          + ''.join(line + '\n' for line in transcript(demo, ops)))
        with open(os.path.join(directory, demo + '.txt'), 'w') as f:
            f.write('# generated by: python3 tests/oracle.py --golden tests/golden\n\n')
            f.write('\n'.join(blocks))


# --- the tutor: where the frame is paused, and its locals -----------------

def own_source():
    """This file's text: read from disk, or, when pygen runs it as
    `python3 -c ORACLE`, the `-c` argument itself (Python 3.10+)."""
    if '__file__' in globals():
        with open(__file__) as f:
            return f.read()
    argv = getattr(sys, 'orig_argv', [])
    if '-c' in argv:
        return argv[argv.index('-c') + 1]
    raise SystemExit('oracle: cannot find my own source (Python 3.10+ needed)')


def anchor_lines(source):
    """{demo: the line number of its `# ANCHOR: demo` comment}."""
    anchors = {}
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith('# ANCHOR: '):
            anchors[line[len('# ANCHOR: '):].strip()] = number
    return anchors


def without_addresses(text):
    """`<generator object sink at 0x7f...>` without the address, which
    changes from run to run."""
    return re.sub(r' at 0x[0-9a-f]+', '', text)


# ANCHOR: frame_view
def frame_view(gen, anchor):
    """State, paused line (relative to the demo's source) and locals."""
    state = inspect.getgeneratorstate(gen)
    if state != inspect.GEN_SUSPENDED:
        return {'state': state, 'line': None, 'locals': {}}
    frame = gen.gi_frame
    return {'state': state,
            'line': frame.f_lineno - anchor,
            'locals': {name: without_addresses(repr(value))
                       for name, value in frame.f_locals.items()}}


# ANCHOR: async_frame_view
def async_state(gen, started):
    """inspect.getasyncgenstate, which CPython 3.11 lacks (3.12 has it):
    no frame is AGEN_CLOSED, ag_running AGEN_RUNNING; otherwise the body
    is paused at a yield (AGEN_SUSPENDED) once it has reached one, which
    `started` says, and has not begun (AGEN_CREATED) before. `started` is
    tracked by the caller: an op that yielded a value started it. (An op
    can run and leave it unstarted: asend(3) on a new one raises
    TypeError; so can an op that closes it, which the frame shows.)"""
    if gen.ag_frame is None:
        return 'AGEN_CLOSED'
    if gen.ag_running:
        return 'AGEN_RUNNING'
    return 'AGEN_SUSPENDED' if started else 'AGEN_CREATED'


def async_frame_view(gen, anchor, started):
    """frame_view for an async generator: ag_frame for gi_frame."""
    state = async_state(gen, started)
    if state != 'AGEN_SUSPENDED':
        return {'state': state, 'line': None, 'locals': {}}
    frame = gen.ag_frame
    return {'state': state,
            'line': frame.f_lineno - anchor,
            'locals': {name: without_addresses(repr(value))
                       for name, value in frame.f_locals.items()}}
# ANCHOR_END: async_frame_view
# ANCHOR_END: frame_view


def tutor(demo, ops, anchor):
    """One script for `pygen tutor`: the view before any op, then per op
    the outcome (with its logs, as the transcript line has it after
    `op: `) and the view after it."""
    if demo in ASYNC_DEMOS:
        return tutor_async(demo, ops, anchor)
    LOG.clear()
    holder = [DEMOS[demo]()]
    LOG.clear()
    start = frame_view(holder[0], anchor)
    steps = []
    for op in ops:
        if op == 'del':
            outcome = delete(holder)
            view = {'state': inspect.GEN_CLOSED, 'line': None, 'locals': {}}
        else:
            outcome = apply(holder[0], op)
            view = frame_view(holder[0], anchor)
        logs = ''.join(f'log {text!r}; ' for text in LOG)
        LOG.clear()
        steps.append({'op': op, 'outcome': logs + outcome, **view})
    holder.clear()
    LOG.clear()
    return {'demo': demo, 'start': start, 'steps': steps}


def tutor_async(demo, ops, anchor):
    """tutor() for an async generator: each op awaited to completion on
    one event loop, as the transcripts run it."""
    LOG.clear()
    loop = asyncio.new_event_loop()
    holder = [ASYNC_DEMOS[demo]()]
    started = False
    start = async_frame_view(holder[0], anchor, started)
    steps = []
    for op in ops:
        outcome = apply_async(loop, holder[0], op)
        started = started or outcome.startswith('yield ')
        view = async_frame_view(holder[0], anchor, started)
        logs = ''.join(f'log {text!r}; ' for text in LOG)
        LOG.clear()
        steps.append({'op': op, 'outcome': logs + outcome, **view})
    holder.clear()
    loop.close()
    del loop
    gc.collect()
    LOG.clear()
    return {'demo': demo, 'start': start, 'steps': steps}


# Recorded for the tutor's Python pane where python3 is missing: any script
# that is a prefix of one of these can be shown.
TUTOR_SCRIPTS = EDGE_SCRIPTS + [
    ['next', 'send 1', 'send 2', 'throw ValueError', 'next', 'close'],
    ['next', 'send 3', 'send 4', 'send None', 'next', 'send 5', 'close'],
    ['send 2', 'send 3', 'send 4', 'send 6', 'close', 'next'],
    ['next', 'send -20', 'next'],
    ['next', 'next', 'next', 'next', 'next', 'next', 'next', 'close'],
]

# The same for the async demos, `del` left out (it is a generators' op),
# and one script that steps each async op in turn.
ASYNC_TUTOR_SCRIPTS = [async_script(ops) for ops in TUTOR_SCRIPTS if 'del' not in ops] + [
    ['anext', 'asend 3', 'athrow ValueError', 'aclose'],
]


def write_tutor_recorded(path):
    anchors = anchor_lines(own_source())
    recorded = {demo: [tutor(demo, ops, anchors[demo]) for ops in TUTOR_SCRIPTS]
                for demo in DEMOS}
    recorded.update({demo: [tutor(demo, ops, anchors[demo]) for ops in ASYNC_TUTOR_SCRIPTS]
                     for demo in ASYNC_DEMOS})
    with open(path, 'w') as f:
        f.write(json.dumps(recorded, indent=1, sort_keys=True) + '\n')


def main(argv):
    # A generator that ignores GeneratorExit complains on stderr when it is
    # collected; that is not part of any transcript.
    sys.unraisablehook = lambda _: None
    if argv[:1] == ['--golden'] and len(argv) == 2:
        write_golden(argv[1])
    elif argv[:1] == ['--tutor-recorded'] and len(argv) == 2:
        write_tutor_recorded(argv[1])
    elif argv[:1] == ['--tutor'] and len(argv) >= 2 and (argv[1] in DEMOS
                                                         or argv[1] in ASYNC_DEMOS):
        anchors = anchor_lines(own_source())
        print(json.dumps(tutor(argv[1], parse_ops(argv[2:]), anchors[argv[1]])))
    elif argv == ['--batch']:
        out = []
        for line in sys.stdin:
            line = line.rstrip('\n')
            if not line:
                continue
            demo, *ops = line.split('|')
            out.extend(transcript(demo, ops))
            out.append('')
        sys.stdout.write('\n'.join(out) + '\n')
    elif argv and (argv[0] in DEMOS or argv[0] in ASYNC_DEMOS):
        for line in transcript(argv[0], parse_ops(argv[1:])):
            print(line)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
