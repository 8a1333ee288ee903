#!/usr/bin/env python3
"""The seed's server written with asyncio, the standard library's answer to
the task model of ``seed_server.py``: the same routes, one coroutine per
connection, and ``await`` where the tasks ``yield`` a system call.

    python3 examples/seed_server_asyncio.py --port 8080

``seed_server.py`` has its own scheduler: a task yields ``Recv(conn)``,
the scheduler waits for the socket and ``send``s the bytes back in. Here
asyncio's event loop is that scheduler and ``await reader.read(...)`` is
that ``yield``: the coroutine is suspended, the loop waits on the socket
with its selector, and the bytes come back as the value of the ``await``.
An ``await`` is a ``yield`` with the scheduler hidden.

Routes: ``GET /`` -> ``Hello, World!``; ``GET /fib?n=K`` -> the first K
Fibonacci numbers, one a line, chunked, from an async generator;
``POST /echo`` -> the body back; an unknown path is 404, a known one with
the wrong method 405. Keep-alive and pipelining; ``X-Request-Count``
counts the requests of a connection, as the tasks' version does.
"""

import argparse
import asyncio
import email.utils
import sys

MAX_HEAD_BYTES = 8 * 1024
MAX_BODY_BYTES = 1024 * 1024
MAX_FIB_COUNT = 100_000
HEADER_TIMEOUT = 10.0
KEEP_ALIVE_TIMEOUT = 60.0
TEXT_PLAIN = 'text/plain; charset=utf-8'
REASONS = {200: 'OK', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed',
           408: 'Request Timeout', 413: 'Content Too Large',
           431: 'Request Header Fields Too Large', 501: 'Not Implemented'}


class ParseError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Request:
    def __init__(self, method, target, version, headers, body):
        self.method, self.version, self.headers, self.body = method, version, headers, body
        self.path, _, self.query = target.partition('?')
        connection = headers.get('connection', '').lower()
        if version == 'HTTP/1.1':
            self.keep_alive = connection != 'close'
        else:
            self.keep_alive = connection == 'keep-alive'


def parse_head(text):
    lines = text.split('\r\n')
    words = lines[0].split(' ')
    if len(words) != 3 or not words[1].startswith('/') or words[2] not in ('HTTP/1.0', 'HTTP/1.1'):
        raise ParseError(400, 'bad request line')
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(':')
        if not colon or not name or name != name.strip():
            raise ParseError(400, 'bad header line')
        headers[name.lower()] = value.strip()
    if 'transfer-encoding' in headers:
        raise ParseError(501, 'transfer-encoding not implemented')
    length = headers.get('content-length', '0')
    if not length.isdigit():
        raise ParseError(400, 'bad content-length')
    if int(length) > MAX_BODY_BYTES:
        raise ParseError(413, 'body too large')
    return words[0], words[1], words[2], headers, int(length)


# ---------------------------------------------------------------------------
# The application: async generators for what is streamed.

async def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


async def fib_lines(count):
    """The first `count` Fibonacci numbers, one a line: `async for` over an
    async generator, itself an async generator."""
    n = 0
    async for value in fibonacci():
        if n == count:
            return
        n += 1
        yield f'{value}\n'.encode()


def route(request):
    """(status, body, headers): body is bytes, or an async generator of
    bytes, streamed chunked."""
    read = request.method in ('GET', 'HEAD')
    if request.path == '/' and read:
        return 200, b'Hello, World!', []
    if request.path == '/fib' and read:
        params = dict(pair.partition('=')[::2] for pair in request.query.split('&') if pair)
        text = params.get('n', '')
        if not text.isdigit() or int(text) > MAX_FIB_COUNT:
            message = f'bad n: expected /fib?n=K with K a whole number from 0 to {MAX_FIB_COUNT}\n'
            return 400, message.encode(), []
        return 200, fib_lines(int(text)), []
    if request.path == '/echo' and request.method == 'POST':
        content_type = request.headers.get('content-type', 'application/octet-stream')
        return 200, request.body, [('Content-Type', content_type)]
    if request.path in ('/', '/fib'):
        return 405, b'method not allowed\n', [('Allow', 'GET, HEAD')]
    if request.path == '/echo':
        return 405, b'method not allowed\n', [('Allow', 'POST')]
    return 404, b'not found\n', []


# ---------------------------------------------------------------------------
# The connection: one coroutine each, where seed_server.py has one task.

async def write_response(writer, status, body, headers, request, keep_alive):
    streamed = not isinstance(body, bytes)
    chunked = streamed and request.version == 'HTTP/1.1'
    if streamed and not chunked:
        keep_alive = False
    if not any(name == 'Content-Type' for name, _ in headers):
        headers = [('Content-Type', TEXT_PLAIN), *headers]
    lines = [f'HTTP/1.1 {status} {REASONS[status]}',
             f'Date: {email.utils.formatdate(usegmt=True)}']
    lines += [f'{name}: {value}' for name, value in headers]
    if not streamed:
        lines.append(f'Content-Length: {len(body)}')
    elif chunked:
        lines.append('Transfer-Encoding: chunked')
    if not keep_alive:
        lines.append('Connection: close')
    writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1'))
    if request.method == 'HEAD':
        if streamed:
            await body.aclose()
    elif not streamed:
        writer.write(body)
    else:
        async for piece in body:
            writer.write(b'%x\r\n%s\r\n' % (len(piece), piece) if chunked else piece)
            await writer.drain()
        if chunked:
            writer.write(b'0\r\n\r\n')
    await writer.drain()
    return keep_alive


# ANCHOR: connection
async def connection(reader, writer):
    count = 0
    try:
        while True:
            timeout = KEEP_ALIVE_TIMEOUT if count else HEADER_TIMEOUT
            try:
                head = await asyncio.wait_for(reader.readuntil(b'\r\n\r\n'), timeout)
                method, target, version, headers, length = parse_head(
                    head[:-4].decode('latin-1'))
                body = await asyncio.wait_for(reader.readexactly(length), HEADER_TIMEOUT)
            except (asyncio.IncompleteReadError, ConnectionError, asyncio.TimeoutError):
                return
            except asyncio.LimitOverrunError:
                writer.write(b'HTTP/1.1 431 Request Header Fields Too Large\r\n'
                             b'Content-Length: 0\r\nConnection: close\r\n\r\n')
                return
            except ParseError as error:
                message = f'{error}\n'.encode()
                writer.write(f'HTTP/1.1 {error.status} {REASONS[error.status]}\r\n'
                             f'Content-Length: {len(message)}\r\nConnection: close\r\n\r\n'
                             .encode() + message)
                return
            count += 1
            request = Request(method, target, version, headers, body)
            status, body, extra = route(request)
            extra.append(('X-Request-Count', str(count)))
            if not await write_response(writer, status, body, extra, request,
                                        request.keep_alive):
                return
    finally:
        writer.close()
# ANCHOR_END: connection


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    args = parser.parse_args()
    server = await asyncio.start_server(connection, args.host, args.port,
                                        limit=MAX_HEAD_BYTES, backlog=1024)
    print(f'listening on {args.host}:{args.port}', file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
