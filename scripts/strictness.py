#!/usr/bin/env python3
"""What pygen's server and the peers of scripts/load.py answer to requests
that RFC 9112 says a server must refuse, or allows it to.

    cargo build --release
    python3 scripts/strictness.py                  # prints a Markdown table
    python3 scripts/strictness.py --peers may_minihttp

The load figures compare CPU per request, and a server that checks less
does less per request. This shows, for the same servers, which of them make
the checks pygen makes: each request below is sent on a fresh connection to
`pygen serve --impl nightly` and to each peer (built as load.py builds
them), and the first line of the answer is reported, or that the
connection was closed without one, or that nothing came back within a
second. The table's second column says what RFC 9112 asks:

* no `Host` in HTTP/1.1, two `Host` headers, a `Host` that is not a valid
  host: a server must answer 400 (§3.2);
* two different `Content-Length` values, or one that is not a number: an
  unrecoverable error, which a server must refuse (400) or close on
  (§6.3);
* lines ended by a bare LF: a server may take an LF alone as a line's end
  (§2.2); pygen refuses it, because a proxy in front that does not would
  read the head differently (request smuggling);
* both `Transfer-Encoding` and `Content-Length`: a server may refuse it, or
  read the body by `Transfer-Encoding` alone, and must close the
  connection after answering either way (§6.1, §6.3);
* a space inside the target (`GET /a b HTTP/1.1`): the request line is
  invalid, 400 (§3: "recipients SHOULD NOT attempt to autocorrect");
* a target longer than the server will parse (here 10,000 bytes, past
  pygen's 8 KiB head limit): 414 URI Too Long (§3).

Only loopback addresses are used; each server is stopped at the end.
"""

import argparse
import os
import socket
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import load  # noqa: E402  (the peers, how they are built and run)

MUST_400 = 'must be refused (400)'
UNRECOVERABLE = 'unrecoverable: refuse (400) or close'

CASES = [
    ('no `Host` in HTTP/1.1', MUST_400, b'GET / HTTP/1.1\r\n\r\n'),
    ('two `Host` headers', MUST_400, b'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'),
    ('`Host: a b`', MUST_400, b'GET / HTTP/1.1\r\nHost: a b\r\n\r\n'),
    ('`Content-Length: 1` and `Content-Length: 2`', UNRECOVERABLE,
     b'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'),
    ('`Content-Length: x`', UNRECOVERABLE,
     b'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n'),
    ('lines ended by a bare LF', 'may be taken as line ends', b'GET / HTTP/1.1\nHost: a\n\n'),
    ('`Transfer-Encoding: chunked` and `Content-Length`',
     'may be refused; close after answering',
     b'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n'
     b'Content-Length: 3\r\n\r\n0\r\n\r\n'),
    ('a space inside the target', 'invalid request line (400)',
     b'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'),
    ('a 10,000-byte target', 'longer than the server parses (414)',
     b'GET /' + b'a' * 10_000 + b' HTTP/1.1\r\nHost: a\r\n\r\n'),
]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--peers', default=','.join(load.PEERS), metavar='LIST',
                        help=f'comma-separated peers, from {",".join(load.PEERS)} '
                        '(default all; "" for none)')
    parser.add_argument('--pygen', default=load.PYGEN, metavar='PATH',
                        help='the pygen binary (default target/release/pygen)')
    args = parser.parse_args()
    args.peers = load.peer_list(parser, args.peers)
    return args


def answer(port, request):
    """The first line of the answer to `request` on a fresh connection, or
    what happened instead."""
    with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
        s.settimeout(1.0)
        s.sendall(request)
        try:
            data = s.recv(4096)
        except socket.timeout:
            return 'no answer in 1 s'
        except ConnectionResetError:
            return 'connection reset'
    if not data:
        return 'closed, no answer'
    return data.split(b'\r\n', 1)[0].decode('latin-1')


def main():
    args = parse_args()
    load.check_pygen(args.pygen)
    commands = [('pygen `nightly`', [args.pygen, 'serve', '--impl', 'nightly',
                                     '--addr', '{addr}'])]
    for peer, binary in load.build_peers(args.peers).items():
        commands.append((load.PEER_LABELS[peer], [binary, '--addr', '{addr}']))

    answers = {}
    with tempfile.TemporaryDirectory() as logdir:
        for name, command in commands:
            server = load.Server(name.replace('`', '').replace(' ', '-'), command, logdir, None)
            try:
                answers[name] = [answer(server.port, request) for _, _, request in CASES]
            finally:
                server.stop()

    names = [name for name, _ in commands]
    print('What each server answers to a request RFC 9112 says to refuse, or allows '
          'it to (the first line of the answer, on a fresh connection):')
    print()
    print('| request | RFC 9112 | ' + ' | '.join(names) + ' |')
    print('|---|---|' + '---|' * len(names))
    for row, (case, rule, _) in enumerate(CASES):
        cells = ' | '.join(answers[name][row] for name in names)
        print(f'| {case} | {rule} | {cells} |')


if __name__ == '__main__':
    main()
