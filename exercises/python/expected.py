#!/usr/bin/env python3
"""The Python behind every exercise, and CPython's answers.

Each chapter's exercise mirrors a Python generator. This file holds that
Python and asserts, with CPython itself, every value, exception and log
line the Rust tests in `exercises/tests/` expect. Run it with

    python3 exercises/python/expected.py

It prints one line per chapter and exits non-zero if CPython disagrees
with a test. (Written for CPython 3.11.)
"""

import inspect
import itertools
import sys
from itertools import islice

LOG = []


def log(text):
    LOG.append(text)


def take_log():
    lines = LOG[:]
    LOG.clear()
    return lines


def raises(exc_type, call, *args):
    """Call, and return the exception it raised (asserting its type)."""
    try:
        call(*args)
    except BaseException as exc:  # GeneratorExit is not an Exception
        assert type(exc) is exc_type, f'{exc!r} is not {exc_type.__name__}'
        return exc
    raise AssertionError(f'{exc_type.__name__} not raised')


def returned(call, *args):
    """StopIteration's value: what the generator returned."""
    return raises(StopIteration, call, *args).value


def state(g):
    return inspect.getgeneratorstate(g)


# --- chapter 1: the seed ------------------------------------------------------

def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def seed_lines(count):
    return [str(n) for n in islice(fibonacci(), count)]


def chapter_1():
    assert seed_lines(10) == ['0', '1', '1', '2', '3', '5', '8', '13', '21', '34']
    assert seed_lines(0) == []
    lines = seed_lines(100)
    assert len(lines) == 100 and lines[99] == '218922995834555169026'


# --- chapter 2: a generator by hand ------------------------------------------

def ping_pong(rounds):
    for i in range(rounds):
        yield 'ping'
        yield 'pong'
    return rounds


def chapter_2():
    g = ping_pong(2)
    assert state(g) == 'GEN_CREATED'
    assert [next(g) for _ in range(4)] == ['ping', 'pong', 'ping', 'pong']
    assert state(g) == 'GEN_SUSPENDED'
    assert returned(next, g) == 2
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    assert returned(next, ping_pong(0)) == 0

    # for word in ping_pong(3): six words, then the return value (drain: chapter 5)
    assert drain(ping_pong(3)) == (['ping', 'pong'] * 3, 3)

    g = ping_pong(3)
    assert next(g) == 'ping'
    assert g.send('ignored') == 'pong'
    raises(ValueError, g.throw, ValueError)
    assert returned(next, g) is None


# --- chapter 3: next and laziness ----------------------------------------------

def squares():
    n = 0
    while True:
        log(f'computing {n}')
        yield n * n
        n += 1


def triangular():
    total, n = 0, 0
    while True:
        n += 1
        total += n
        yield total


def take(g, n):
    return list(islice(g, n))


def countdown():
    n = 3
    while n > 0:
        yield n
        n -= 1
    return 'liftoff'


def chapter_3():
    take_log()
    g = squares()
    assert take_log() == []
    assert next(g) == 0
    assert take_log() == ['computing 0']
    assert next(g) == 1
    assert take_log() == ['computing 1']
    assert take(g, 3) == [4, 9, 16]
    assert take_log() == ['computing 2', 'computing 3', 'computing 4']

    g = squares()
    assert take(g, 0) == []
    assert state(g) == 'GEN_CREATED'
    assert take_log() == []

    g = countdown()
    assert take(g, 5) == [3, 2, 1]
    assert state(g) == 'GEN_CLOSED'

    assert take(triangular(), 6) == [1, 3, 6, 10, 15, 21]


# --- chapter 4: send and priming -----------------------------------------------

def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


def averaged(values):
    g = averager()
    next(g)
    average = None
    for value in values:
        average = g.send(value)
    return average


def coroutine(func):          # the priming decorator
    def start(*args):
        cr = func(*args)
        next(cr)
        return cr
    return start


def chapter_4():
    g = averager()
    e = raises(TypeError, g.send, 10.0)
    assert str(e) == "can't send non-None value to a just-started generator"
    assert state(g) == 'GEN_CREATED'
    assert next(g) is None
    assert g.send(10.0) == 10.0
    assert g.send(20.0) == 15.0
    assert g.send(30.0) == 20.0
    # total += None
    raises(TypeError, g.send, None)
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    g = coroutine(averager)()
    assert g.send(4.0) == 4.0
    assert g.send(5.0) == 4.5

    assert averaged([1.0, 2.0, 3.0, 4.0]) == 2.5
    assert averaged([]) is None

    g = averager()
    assert next(g) is None
    assert g.send(10.0) == 10.0
    raises(ValueError, g.throw, ValueError)
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    g = averager()
    assert next(g) is None
    assert g.send(10.0) == 10.0
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'
    raises(StopIteration, g.send, 1.0)


# --- chapter 5: return and StopIteration ---------------------------------------

def collector():
    items = []
    while True:
        item = yield len(items)
        if item is None:
            return items
        items.append(item)


def drain(g):
    values = []
    try:
        while True:
            values.append(next(g))
    except StopIteration as stop:
        return values, stop.value


def chapter_5():
    g = collector()
    assert next(g) == 0
    assert g.send('a') == 1
    assert g.send('b') == 2
    assert returned(next, g) == ['a', 'b']
    assert returned(next, g) is None
    raises(StopIteration, g.send, 'c')

    g = collector()
    assert next(g) == 0
    assert returned(g.send, None) == []

    g = countdown()
    assert drain(g) == ([3, 2, 1], 'liftoff')
    assert drain(g) == ([], None)
    g = countdown()
    assert next(g) == 3
    assert drain(g) == ([2, 1], 'liftoff')
    assert drain(collector()) == ([0], [])

    g = collector()
    assert next(g) == 0
    assert g.send('a') == 1
    raises(KeyError, g.throw, KeyError)
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    g = collector()
    assert next(g) == 0
    assert g.send('a') == 1
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'
    raises(StopIteration, g.send, 'b')


# --- chapter 6: throw ------------------------------------------------------------

def tolerant():
    while True:
        try:
            yield 'ready'
        except ValueError:
            yield 'recovered'


class Retry(Exception):
    def __init__(self, after):
        super().__init__(f'retry after {after}s')
        self.after = after


def fetcher():
    attempt = 1
    waited = 0
    while True:
        try:
            yield f'attempt {attempt}'
            return f'fetched after {waited}s'
        except Retry as e:
            attempt += 1
            waited += e.after


def traceback_line(exc):
    return f'{type(exc).__name__}: {exc}'


def chapter_6():
    g = tolerant()
    assert next(g) == 'ready'
    assert g.throw(ValueError) == 'recovered'
    assert next(g) == 'ready'
    assert g.throw(ValueError) == 'recovered'
    # the second ValueError arrives at 'recovered', outside the try
    raises(ValueError, g.throw, ValueError)
    assert returned(next, g) is None

    g = tolerant()
    assert next(g) == 'ready'
    raises(KeyError, g.throw, KeyError)
    assert state(g) == 'GEN_CLOSED'

    g = tolerant()
    raises(ValueError, g.throw, ValueError)
    assert state(g) == 'GEN_CLOSED'

    assert traceback_line(Retry(2)) == 'Retry: retry after 2s'

    g = fetcher()
    assert next(g) == 'attempt 1'
    assert g.throw(Retry(2)) == 'attempt 2'
    assert g.throw(Retry(3)) == 'attempt 3'
    assert returned(next, g) == 'fetched after 5s'

    g = fetcher()
    assert next(g) == 'attempt 1'
    raises(KeyError, g.throw, KeyError)

    g = tolerant()
    assert next(g) == 'ready'
    e = raises(Retry, g.throw, Retry(7))
    assert e.after == 7

    g = tolerant()
    assert next(g) == 'ready'
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'
    g = fetcher()
    assert next(g) == 'attempt 1'
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'


# --- chapter 7: close, finally and the ignored close -----------------------------

def opened(name):
    log(f'open {name}')
    try:
        lines = 0
        while True:
            line = yield lines
            if line is not None:
                lines += 1
                log(f'{name}: {line}')
    finally:
        log(f'close {name}')


def defiant():
    try:
        yield 'first'
    except GeneratorExit:
        log('not yet')
        yield 'last word'
    log('done')


def chapter_7():
    take_log()
    g = opened('notes')
    del g
    assert take_log() == []

    g = opened('notes')
    assert next(g) == 0
    assert take_log() == ['open notes']
    assert g.send('hello') == 1
    assert next(g) == 1
    assert g.send('world') == 2
    assert take_log() == ['notes: hello', 'notes: world']
    assert g.close() is None
    assert take_log() == ['close notes']
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None
    assert g.close() is None
    assert take_log() == []

    g = opened('scratch')
    next(g)
    take_log()
    del g
    assert take_log() == ['close scratch']

    g = opened('data')
    next(g)
    take_log()
    raises(KeyError, g.throw, KeyError)
    assert take_log() == ['close data']

    g = defiant()
    assert next(g) == 'first'
    e = raises(RuntimeError, g.close)
    assert str(e) == 'generator ignored GeneratorExit'
    assert take_log() == ['not yet']
    assert state(g) == 'GEN_SUSPENDED'
    assert returned(next, g) is None
    assert take_log() == ['done']

    g = defiant()
    assert next(g) == 'first'
    assert g.throw(GeneratorExit) == 'last word'
    assert take_log() == ['not yet']
    assert returned(next, g) is None
    assert take_log() == ['done']

    g = defiant()
    assert g.close() is None
    assert take_log() == []


# --- chapter 8: yield from -------------------------------------------------------

def running_sum():
    total = 0
    while True:
        x = yield total
        if x is None:
            return total
        total += x


def mission():
    status = yield from countdown()
    fuel = yield from running_sum()
    return f'{status} with {fuel} fuel'


def chapter_8():
    g = mission()
    assert next(g) == 3
    assert next(g) == 2
    assert g.send(9) == 1
    assert next(g) == 0
    assert g.send(5) == 5
    assert g.send(7) == 12
    assert returned(next, g) == 'liftoff with 12 fuel'
    assert returned(next, g) is None

    g = mission()
    assert next(g) == 3
    raises(KeyError, g.throw, KeyError)
    assert state(g) == 'GEN_CLOSED'

    g = mission()
    [next(g) for _ in range(4)]
    assert g.send(1) == 1
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'


# --- chapter 9: consumers and pipelines ------------------------------------------

@coroutine
def printer():
    try:
        while True:
            line = yield
            if line is not None:
                log(line)
    finally:
        log('printer closed')


@coroutine
def grep(pattern, target):
    try:
        while True:
            line = yield
            if line is not None and pattern in line:
                target.send(line)
    finally:
        target.close()


def python_lines():
    return grep('python', printer())


def chapter_9():
    take_log()
    p = python_lines()
    assert state(p) == 'GEN_SUSPENDED'
    assert take_log() == []
    assert p.send('python generators') is None
    assert take_log() == ['python generators']
    assert p.send('rust coroutines') is None
    assert next(p) is None
    assert take_log() == []
    assert p.send('python and rust') is None
    assert take_log() == ['python and rust']
    assert p.close() is None
    assert take_log() == ['printer closed']
    assert state(p) == 'GEN_CLOSED'

    p = python_lines()
    raises(KeyError, p.throw, KeyError)
    assert take_log() == ['printer closed']
    assert state(p) == 'GEN_CLOSED'

    # grep undecorated: the first send comes too early
    raw = grep.__closure__[0].cell_contents('x', printer())
    raises(TypeError, raw.send, 'x')
    assert next(raw) is None
    assert raw.send('xyz') is None
    assert take_log() == ['xyz']


# --- chapter 10: borrowing across yield, and pinning -----------------------------

def pairs(numbers):
    for a, b in zip(numbers, numbers[1:]):
        yield (a, b)
    return len(numbers)


def sum_of_pairs(numbers):
    g = pairs(numbers)
    total = 0
    try:
        while True:
            a, b = next(g)
            total += a + b
    except StopIteration as stop:
        return total, stop.value


def chapter_10():
    assert drain(pairs([1, 2, 3, 5, 8])) == ([(1, 2), (2, 3), (3, 5), (5, 8)], 5)
    assert drain(pairs([7])) == ([], 1)
    assert drain(pairs([])) == ([], 0)
    g = pairs([1, 2, 3])
    assert next(g) == (1, 2)
    raises(ValueError, g.throw, ValueError)
    assert returned(next, g) is None
    assert sum_of_pairs([1, 2, 3, 5, 8]) == (29, 5)
    assert sum_of_pairs([4]) == (0, 1)


# --- chapter 11: the send-driven server ------------------------------------------

def handler():
    count = 0
    response = None
    while True:
        request = yield response
        if request is None:
            response = None
            continue
        count += 1
        if request == 'GET /':
            response = 'Hello, World!'
        elif request == 'GET /count':
            response = f'request number {count}'
        else:
            response = f'404 Not Found: {request}'


def serve(requests):
    h = handler()
    next(h)
    return [h.send(request) for request in requests]


def chapter_11():
    h = handler()
    assert next(h) is None
    assert h.send('GET /') == 'Hello, World!'
    assert h.send('GET /nope') == '404 Not Found: GET /nope'
    assert h.send('GET /count') == 'request number 3'
    assert next(h) is None
    assert h.send('GET /count') == 'request number 4'
    assert h.close() is None
    assert state(h) == 'GEN_CLOSED'

    h = handler()
    assert next(h) is None
    assert h.send('GET /') == 'Hello, World!'
    raises(ValueError, h.throw, ValueError)
    assert state(h) == 'GEN_CLOSED'
    raises(StopIteration, h.send, 'GET /')

    assert serve(['GET /count', 'GET /', 'GET /count']) == [
        'request number 1', 'Hello, World!', 'request number 3']
    assert serve(['GET /count']) == ['request number 1']
    assert serve([]) == []


# --- chapter 12: costs -----------------------------------------------------------

def holds_buffer():
    buffer = [1] * 64
    while True:
        yield sum(buffer)
        buffer[0] += 1


def drops_buffer():
    n = 0
    while True:
        buffer = [1] * 64
        total = sum(buffer) + n
        del buffer
        yield total
        n += 1


def chapter_12():
    assert take(holds_buffer(), 3) == [64, 65, 66]
    assert take(drops_buffer(), 3) == [64, 65, 66]


# --- chapter 13: adding a demo ---------------------------------------------------

def maximum():
    best = None
    try:
        while True:
            x = yield best
            if x is None:
                return best
            if best is None or x > best:
                best = x
    finally:
        log(f'best was {best}')


def apply(gen, op):
    """One op, described as pygen's transcripts (and tests/oracle.py) do."""
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
            value = gen.throw({'ValueError': ValueError,
                               'KeyError': KeyError}[op[len('throw '):]]())
        else:
            raise SystemExit(f'bad op {op!r}')
    except StopIteration as stop:
        if stop.value is None:
            return 'raise StopIteration'
        return f'return {stop.value!r}'
    except BaseException as exc:
        return f'raise {type(exc).__name__}'
    return f'yield {value!r}'


def transcript(make, ops):
    take_log()
    gen = make()
    lines = []
    for op in ops:
        outcome = apply(gen, op)
        logs = ''.join(f'log {text!r}; ' for text in take_log())
        lines.append(f'{op}: {logs}{outcome}')
    del gen
    take_log()
    return lines


# The transcripts the chapter 13 test holds, as CPython prints them.
MAXIMUM_TRANSCRIPTS = [
    (['send 5', 'next', 'send 3', 'send 8', 'send -2', 'send None', 'next'], [
        'send 5: raise TypeError',
        'next: yield None',
        'send 3: yield 3',
        'send 8: yield 8',
        'send -2: yield 8',
        "send None: log 'best was 8'; return 8",
        'next: raise StopIteration',
    ]),
    (['next', 'send None', 'close'], [
        'next: yield None',
        "send None: log 'best was None'; raise StopIteration",
        'close: closed',
    ]),
    (['next', 'send 4', 'throw ValueError', 'next'], [
        'next: yield None',
        'send 4: yield 4',
        "throw ValueError: log 'best was 4'; raise ValueError",
        'next: raise StopIteration',
    ]),
    (['next', 'send 4', 'send 100000000000000000000', 'close', 'close'], [
        'next: yield None',
        'send 4: yield 4',
        'send 100000000000000000000: yield 100000000000000000000',
        "close: log 'best was 100000000000000000000'; closed",
        'close: closed',
    ]),
    (['throw KeyError', 'next'], [
        'throw KeyError: raise KeyError',
        'next: raise StopIteration',
    ]),
]


def chapter_13():
    for ops, lines in MAXIMUM_TRANSCRIPTS:
        got = transcript(maximum, ops)
        assert got == lines, f'{ops}: CPython prints {got}'


# --- chapter 14: generator expressions, itertools, pull pipelines -------------

def odd_squares(limit):
    return (n * n for n in range(limit) if n % 2 == 1)


def running_max(values):
    return list(itertools.accumulate(values, max))


def largest_ok(log):
    fields = (line.split() for line in log.splitlines())
    ok = (f for f in fields if f[2] == '200')
    return max((int(f[3]) for f in ok), default=None)


SERVER_LOG = """\
GET /index.html 200 1043
GET /missing 404 9999
POST /echo 200 12
GET /fib?n=10 200 31"""


def chapter_14():
    assert list(odd_squares(10)) == [1, 9, 25, 49, 81]
    assert list(odd_squares(0)) == []
    g = odd_squares(10**18)
    assert next(g) == 1
    assert next(g) == 9
    assert running_max([3, 1, 4, 1, 5, 9, 2, 6]) == [3, 3, 4, 4, 5, 9, 9, 9]
    assert running_max([-5, -7]) == [-5, -5]
    assert running_max([]) == []
    assert largest_ok(SERVER_LOG) == 1043
    assert largest_ok('GET / 404 0') is None
    assert largest_ok('') is None


# --- chapter 15: PEP 479 ----------------------------------------------------------

def countdown_pairs():
    g = countdown()
    while True:
        yield (next(g), next(g))


def chapter_15():
    g = countdown_pairs()
    assert next(g) == (3, 2)
    e = raises(RuntimeError, next, g)
    assert str(e) == 'generator raised StopIteration'
    assert isinstance(e.__cause__, StopIteration)
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    g = countdown_pairs()
    assert next(g) == (3, 2)
    raises(ValueError, g.throw, ValueError)
    assert state(g) == 'GEN_CLOSED'

    g = countdown_pairs()
    assert next(g) == (3, 2)
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'


# --- chapter 16: which way to pick -------------------------------------------------

def countdown_from(n):
    while n > 0:
        yield n
        n -= 1


def tally():
    seen = 0
    while True:
        word = yield seen
        if word is not None:
            seen += 1


def chapter_16():
    assert list(countdown_from(3)) == [3, 2, 1]
    assert list(countdown_from(0)) == []
    g = countdown_from(10**18)
    assert next(g) == 10**18
    assert next(g) == 10**18 - 1

    g = tally()
    assert next(g) == 0
    assert g.send('a') == 1
    assert next(g) == 1
    assert g.send('b') == 2

    g = tally()
    next(g)
    raises(KeyError, g.throw, KeyError)
    assert state(g) == 'GEN_CLOSED'
    assert returned(next, g) is None

    g = tally()
    next(g)
    assert g.close() is None
    assert state(g) == 'GEN_CLOSED'
    assert returned(g.send, 'c') is None


# --- chapter 17: await is a yield -------------------------------------------------

class Countdown:
    def __init__(self, n):
        self.left = n

    def __await__(self):
        while self.left > 0:
            self.left -= 1
            yield
        return 'liftoff'


def chapter_17():
    c = Countdown(2).__await__()
    assert next(c) is None
    assert next(c) is None
    assert returned(next, c) == 'liftoff'

    import asyncio
    polls = []

    async def main():
        return await Countdown(3)

    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(main()) == 'liftoff'
    finally:
        loop.close()
    c = Countdown(3).__await__()
    while True:
        polls.append(1)
        try:
            next(c)
        except StopIteration as stop:
            assert stop.value == 'liftoff'
            break
    assert len(polls) == 4

    c = Countdown(0).__await__()
    assert returned(next, c) == 'liftoff'


def main():
    sys.unraisablehook = lambda _: None  # defiant() complains when collected
    chapters = [chapter_1, chapter_2, chapter_3, chapter_4, chapter_5, chapter_6, chapter_7,
                chapter_8, chapter_9, chapter_10, chapter_11, chapter_12, chapter_13,
                chapter_14, chapter_15, chapter_16, chapter_17]
    for chapter in chapters:
        chapter()
        print(f'{chapter.__name__.replace("_", " ")}: CPython agrees')


if __name__ == '__main__':
    main()
