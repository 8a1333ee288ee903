#!/usr/bin/env python3
"""The seed's server as it was written, made to work: generator tasks that
do their own I/O by yielding system calls, and a scheduler that carries
each call out when its socket is ready.

    python3 examples/seed_server.py --port 8080

The scheduler is the operating system and ``yield`` is the trap: a task
yields ``Accept(listener)``, ``Recv(conn, deadline, idle)``,
``Send(conn, data)``, ``Spawn(task)`` or ``Close(conn)``; the scheduler
``send``s the result back in, or ``throw``s the ``OSError`` in at the
``yield`` (``TimeoutError`` past a deadline), so the task's ``except`` and
``finally`` run where the call was made. Reading a request is a
sub-generator the connection task delegates to with ``yield from``.

Standard library only: ``selectors``, no asyncio. The Rust versions,
line by line, are ``tasks.rs`` in each backend crate; their scheduler is
``crates/http/src/tasks/scheduler.rs``.

Routes: ``GET /`` -> ``Hello, World!``; ``GET /fib?n=K`` -> the first K
Fibonacci numbers, one a line, chunked; ``POST /echo`` -> the body back;
an unknown path is 404, a known one with the wrong method 405.
Keep-alive and pipelining; HTTP/1.0; ``Expect: 100-continue``.
"""

import argparse
import collections
import email.utils
import selectors
import socket
import sys
import time

MAX_HEAD_BYTES = 8 * 1024
MAX_BODY_BYTES = 1024 * 1024
MAX_FIB_COUNT = 100_000
CONTINUE = b'HTTP/1.1 100 Continue\r\n\r\n'
TEXT_PLAIN = 'text/plain; charset=utf-8'


class Config:
    header_timeout = 10.0
    body_timeout = 10.0
    keep_alive_timeout = 60.0
    write_timeout = 30.0


# ---------------------------------------------------------------------------
# The system calls.

class Accept:
    def __init__(self, listener):
        self.listener = listener


class Recv:
    def __init__(self, conn, deadline, idle):
        self.conn, self.deadline, self.idle = conn, deadline, idle


class Send:
    def __init__(self, conn, data):
        self.conn, self.data = conn, data


class Spawn:
    def __init__(self, task):
        self.task = task


class Close:
    def __init__(self, conn):
        self.conn = conn


# ---------------------------------------------------------------------------
# The scheduler: the operating system.

# ANCHOR: scheduler
class Scheduler:
    def __init__(self):
        self.selector = selectors.DefaultSelector()
        self.ready = collections.deque()   # (task, how, value)
        self.deadlines = {}                # task -> (deadline, fileobj)

    def spawn(self, task):
        self.ready.append((task, 'send', None))

    def run(self):
        while True:
            while self.ready:
                task, how, value = self.ready.popleft()
                try:
                    call = task.send(value) if how == 'send' else task.throw(value)
                except StopIteration:
                    continue
                except Exception as error:   # the task raised: it is over
                    print(f'task raised {error!r}', file=sys.stderr)
                    continue
                self.trap(task, call)
            self.wait_for_events()

    def trap(self, task, call):
        """Carry out `call` now if its socket allows; else park `task`."""
        if isinstance(call, Spawn):
            self.spawn(call.task)
            self.ready.append((task, 'send', None))
        elif isinstance(call, Close):
            call.conn.close()
            self.ready.append((task, 'send', None))
        elif isinstance(call, Accept):
            self.park(task, call.listener, selectors.EVENT_READ, call, None)
        elif isinstance(call, Recv):
            self.park(task, call.conn, selectors.EVENT_READ, call, call.deadline)
        elif isinstance(call, Send):
            self.attempt(task, call)
        else:
            self.ready.append((task, 'throw', TypeError(f'not a system call: {call!r}')))
# ANCHOR_END: scheduler

    def park(self, task, fileobj, event, call, deadline):
        self.selector.register(fileobj, event, (task, call))
        if deadline is not None:
            self.deadlines[task] = (deadline, fileobj)

    def unpark(self, task, fileobj):
        self.selector.unregister(fileobj)
        self.deadlines.pop(task, None)

    def attempt(self, task, call):
        """One try at a parked (or new) call: resume the task with its
        result, throw its OSError in, or leave it parked."""
        try:
            if isinstance(call, Accept):
                conn, _ = call.listener.accept()
                conn.setblocking(False)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                result = conn
            elif isinstance(call, Recv):
                result = call.conn.recv(64 * 1024)
            else:
                sent = call.conn.send(call.data)
                call.data = call.data[sent:]
                if call.data:
                    if call.conn not in self.selector.get_map():
                        deadline = time.monotonic() + Config.write_timeout
                        self.park(task, call.conn, selectors.EVENT_WRITE, call, deadline)
                    return
                result = None
        except (BlockingIOError, InterruptedError):
            if isinstance(call, Send) and call.conn not in self.selector.get_map():
                deadline = time.monotonic() + Config.write_timeout
                self.park(task, call.conn, selectors.EVENT_WRITE, call, deadline)
            return
        except OSError as error:
            self.ready.append((task, 'throw', error))
            return
        self.ready.append((task, 'send', result))

    def wait_for_events(self):
        now = time.monotonic()
        timeout = min((d for d, _ in self.deadlines.values()), default=now + 1.0) - now
        for key, _ in self.selector.select(max(timeout, 0.0)):
            task, call = key.data
            self.unpark(task, key.fileobj)
            self.attempt(task, call)
        now = time.monotonic()
        for task, (deadline, fileobj) in list(self.deadlines.items()):
            if deadline <= now:
                self.unpark(task, fileobj)
                self.ready.append((task, 'throw', TimeoutError()))


# ---------------------------------------------------------------------------
# HTTP/1.1, as much as the routes need.

class ParseError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Request:
    def __init__(self, method, path, query, version, headers, body):
        self.method, self.path, self.query = method, path, query
        self.version, self.headers, self.body = version, headers, body
        connection = headers.get('connection', '').lower()
        if version == 'HTTP/1.1':
            self.keep_alive = connection != 'close'
        else:
            self.keep_alive = connection == 'keep-alive'


class Incoming:
    """A connection's parser and the bytes it has not used yet."""

    def __init__(self):
        self.buffer = b''
        self.head = None            # (request line, headers, length) once read
        self.continue_owed = False
        self.answered_any = False
        self.waiting = None         # (what, deadline)

    def feed(self, data):
        self.buffer += data

    def next_request(self, config):
        if self.head is None:
            end = self.buffer.find(b'\r\n\r\n')
            if end < 0:
                if len(self.buffer) > MAX_HEAD_BYTES:
                    raise ParseError(431, 'request head too large')
                return None
            if end + 4 > MAX_HEAD_BYTES:
                raise ParseError(431, 'request head too large')
            self.head = self.parse_head(self.buffer[:end].decode('latin-1'))
            self.buffer = self.buffer[end + 4:]
        method, target, version, headers, length = self.head
        if len(self.buffer) < length:
            return None
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        self.head = None
        self.answered_any = True
        self.waiting = None
        path, _, query = target.partition('?')
        return Request(method, path, query, version, headers, body)

    def parse_head(self, text):
        lines = text.split('\r\n')
        words = lines[0].split(' ')
        if len(words) != 3 or not words[1].startswith('/'):
            raise ParseError(400, 'bad request line')
        method, target, version = words
        if version not in ('HTTP/1.0', 'HTTP/1.1'):
            raise ParseError(505, 'HTTP version not supported')
        headers = {}
        for line in lines[1:]:
            name, colon, value = line.partition(':')
            if not colon or name != name.strip() or not name:
                raise ParseError(400, 'bad header line')
            headers[name.lower()] = value.strip()
        if 'transfer-encoding' in headers:
            raise ParseError(501, 'transfer-encoding not implemented')
        length = headers.get('content-length', '0')
        if not length.isdigit():
            raise ParseError(400, 'bad content-length')
        if int(length) > MAX_BODY_BYTES:
            raise ParseError(413, 'body too large')
        if headers.get('expect', '').lower() == '100-continue':
            self.continue_owed = True
        return method, target, version, headers, int(length)

    def take_continue(self):
        owed, self.continue_owed = self.continue_owed, False
        return owed

    def wait(self, config):
        if self.head is not None:
            what, timeout = 'body', config.body_timeout
        elif self.buffer:
            what, timeout = 'head', config.header_timeout
        elif self.answered_any:
            what, timeout = 'next request', config.keep_alive_timeout
        else:
            what, timeout = 'new connection', config.header_timeout
        if self.waiting is None or self.waiting[0] != what or what == 'body':
            self.waiting = (what, time.monotonic() + timeout)
        return self.waiting[1], what in ('new connection', 'next request')


class Response:
    def __init__(self, status, body=b'', content_type=TEXT_PLAIN, headers=()):
        self.status, self.body = status, body     # bytes, or an iterator of bytes
        self.headers = [('Content-Type', content_type), *headers]


REASONS = {100: 'Continue', 200: 'OK', 400: 'Bad Request', 404: 'Not Found',
           405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Content Too Large',
           431: 'Request Header Fields Too Large', 501: 'Not Implemented',
           505: 'HTTP Version Not Supported'}


class Answering:
    def __init__(self, request):
        self.head_only = request.method == 'HEAD'
        self.version = request.version
        self.keep_alive = request.keep_alive


class Outgoing:
    """Responses serialised; iterating hands out the bytes to send, a
    streamed body a chunk at a time."""

    def __init__(self):
        self.queue = collections.deque()

    def error(self, status, message):
        self.queue.append(self.serialise(Response(status, message.encode()), False, 'HTTP/1.1', False))

    def response(self, response, answering):
        keep_alive = answering.keep_alive
        streamed = not isinstance(response.body, bytes)
        if streamed and answering.version == 'HTTP/1.0' and not answering.head_only:
            keep_alive = False
        self.queue.append(self.serialise(response, answering.head_only, answering.version, keep_alive))
        return keep_alive

    def serialise(self, response, head_only, version, keep_alive):
        lines = [f'HTTP/1.1 {response.status} {REASONS[response.status]}',
                 f'Date: {email.utils.formatdate(usegmt=True)}']
        lines += [f'{name}: {value}' for name, value in response.headers]
        streamed = not isinstance(response.body, bytes)
        chunked = streamed and version == 'HTTP/1.1'
        if not streamed:
            lines.append(f'Content-Length: {len(response.body)}')
        elif chunked:
            lines.append('Transfer-Encoding: chunked')
        if not keep_alive:
            lines.append('Connection: close')
        elif version == 'HTTP/1.0':
            lines.append('Connection: keep-alive')
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        if head_only:
            return iter([head])
        if not streamed:
            return iter([head + response.body])
        return self.stream(head, response.body, chunked)

    @staticmethod
    def stream(head, pieces, chunked):
        yield head
        for piece in pieces:
            if piece:
                yield b'%x\r\n%s\r\n' % (len(piece), piece) if chunked else piece
        if chunked:
            yield b'0\r\n\r\n'

    def __iter__(self):
        while self.queue:
            yield from self.queue.popleft()


# ---------------------------------------------------------------------------
# The application.

def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def route(request):
    read = request.method in ('GET', 'HEAD')
    if request.path == '/' and read:
        return Response(200, b'Hello, World!')
    if request.path == '/fib' and read:
        params = dict(pair.partition('=')[::2] for pair in request.query.split('&') if pair)
        text = params.get('n', '')
        if not text.isdigit() or int(text) > MAX_FIB_COUNT:
            message = f'bad n: expected /fib?n=K with K a whole number from 0 to {MAX_FIB_COUNT}\n'
            return Response(400, message.encode())
        numbers = (f'{n}\n'.encode() for n, _ in zip(fibonacci(), range(int(text))))
        return Response(200, numbers)
    if request.path == '/echo' and request.method == 'POST':
        content_type = request.headers.get('content-type', 'application/octet-stream')
        return Response(200, request.body, content_type)
    if request.path in ('/', '/fib'):
        return Response(405, b'method not allowed\n', headers=[('Allow', 'GET, HEAD')])
    if request.path == '/echo':
        return Response(405, b'method not allowed\n', headers=[('Allow', 'POST')])
    return Response(404, b'not found\n')


# ---------------------------------------------------------------------------
# The tasks: the seed's server, as written.

END = object()


class Refused:
    def __init__(self, status, message):
        self.status, self.message = status, message


# ANCHOR: tasks
def server(listener, config):
    while True:
        conn = yield Accept(listener)
        yield Spawn(connection(conn, config))


def connection(conn, config):
    incoming, outgoing, count = Incoming(), Outgoing(), 0
    try:
        while True:
            incoming, received = yield from read_request(conn, incoming, config)
            if received is END:
                return
            if isinstance(received, Refused):
                outgoing.error(received.status, received.message)
                keep_alive = False
            else:
                count += 1
                answering = Answering(received)
                response = route(received)
                response.headers.append(('X-Request-Count', str(count)))
                keep_alive = outgoing.response(response, answering)
            for data in outgoing:
                yield Send(conn, data)
            if not keep_alive:
                yield Close(conn)
                return
    finally:
        conn.close()


def read_request(conn, incoming, config):
    while True:
        try:
            request = incoming.next_request(config)
        except ParseError as error:
            return incoming, Refused(error.status, f'{error}\n')
        if incoming.take_continue():
            yield Send(conn, CONTINUE)
        if request is not None:
            return incoming, request
        deadline, idle = incoming.wait(config)
        try:
            data = yield Recv(conn, deadline, idle)
        except TimeoutError:
            if idle:
                raise
            return incoming, Refused(408, 'request timeout\n')
        if not data:
            return incoming, END
        incoming.feed(data)
# ANCHOR_END: tasks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(1024)
    listener.setblocking(False)
    print(f'listening on {args.host}:{args.port}', file=sys.stderr, flush=True)
    scheduler = Scheduler()
    scheduler.spawn(server(listener, Config()))
    try:
        scheduler.run()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
