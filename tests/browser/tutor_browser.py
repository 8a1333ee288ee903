#!/usr/bin/env python3
"""The tutor's page in a real browser: Debian's Chromium, driven through
chromedriver's WebDriver protocol with nothing but the standard library.

    python3 tests/browser/tutor_browser.py [--pygen target/debug/pygen]
                                           [--screenshot book/src/tutor.png]
                                           [--screenshots DIR]

Starts `pygen tutor` on a free port and chromedriver on another, then for
several demos clicks (and types) a script of ops on the page. After every
op it checks, in each of the four panes, the marked line, the state and
the outcome of every op so far against `/api/run` (which the Rust tests
check against CPython), plus what a learner would see by eye: the marked
line is a yield, the badge names the state, nothing is flagged as
differing. Then the same page on a narrow screen must not scroll sideways.
With --screenshot it saves a PNG of the page; with --screenshots DIR, the
page at a phone's width (420 px) and at a laptop's (1280 px), as CI keeps
them (target/screenshots).

Exits 0 when every check passes; skips (exit 0, saying so) only when
--skip-missing is given and chromium or chromedriver is not installed.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
]

# Not a timing threshold: how long to wait before calling a hung browser a
# failure rather than hanging CI.
HUNG = 120

# (demo, [(how, op)]): how is 'click' for the buttons, 'key' for the
# keyboard shortcuts.
SCRIPTS = [
    ('guarded', [('click', 'next'), ('click', 'throw ValueError'),
                 ('key', 'next'), ('click', 'throw KeyError')]),
    ('running_sum', [('key', 'next'), ('click', 'send 5'), ('key', 'send 7'),
                     ('click', 'send None')]),
    ('batches', [('click', 'next'), ('click', 'send 2'), ('click', 'send None'),
                 ('click', 'next'), ('click', 'close')]),
    ('stubborn', [('click', 'next'), ('key', 'close'), ('click', 'throw GeneratorExit')]),
    # del g: the finaliser's close, and what it reports, as the last op.
    ('stubborn', [('click', 'next'), ('click', 'del')]),
    ('guarded', [('click', 'next'), ('key', 'del')]),
    ('pipeline', [('click', 'send 2'), ('click', 'send 3'), ('key', 'close')]),
    ('account', [('click', 'next'), ('click', 'send 5'), ('click', 'send -20')]),
    ('fibonacci', [('key', 'next')] * 5),
    # except LookupError / except Exception, then PEP 479's RuntimeError.
    ('inventory', [('click', 'next'), ('click', 'send 2'), ('click', 'send 5'),
                   ('click', 'throw ValueError'), ('click', 'throw KeyError')]),
    # The async demos: the same buttons and keys, as anext / asend / athrow
    # / aclose.
    ('ticker', [('click', 'anext'), ('key', 'anext'), ('click', 'asend 3'),
                ('click', 'athrow ValueError'), ('click', 'aclose')]),
    ('running_mean', [('click', 'anext'), ('key', 'asend 4'), ('click', 'asend 6'),
                      ('click', 'athrow ValueError'), ('key', 'asend None')]),
    ('stubborn_async', [('key', 'anext'), ('click', 'aclose'), ('key', 'aclose')]),
]

PANES = ['python', 'nightly', 'genawaiter', 'async-stream']


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(what, check):
    deadline = time.monotonic() + HUNG
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f'browser test: gave up waiting for {what}')
        time.sleep(0.05)


class WebDriver:
    """The few WebDriver commands this test needs."""

    def __init__(self, port):
        self.base = f'http://127.0.0.1:{port}'
        self.session = None

    def call(self, method, path, body=None):
        url = self.base + (f'/session/{self.session}' if self.session else '') + path
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=HUNG) as response:
                return json.load(response)['value']
        except urllib.error.HTTPError as error:
            raise SystemExit(f'webdriver {method} {path}: {error.read().decode()}')

    def start(self, user_data_dir):
        options = {'binary': shutil.which('chromium') or '/usr/bin/chromium',
                   'args': CHROMIUM_FLAGS + [f'--user-data-dir={user_data_dir}',
                                             '--window-size=1500,1000']}
        value = self.call('POST', '/session', {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome', 'goog:chromeOptions': options}}})
        self.session = value['sessionId']

    def quit(self):
        if self.session:
            self.call('DELETE', '')
            self.session = None

    def go(self, url):
        self.call('POST', '/url', {'url': url})

    def js(self, script, *args):
        return self.call('POST', '/execute/sync', {'script': script, 'args': list(args)})

    def find(self, css):
        value = self.call('POST', '/element', {'using': 'css selector', 'value': css})
        return next(iter(value.values()))

    def click(self, css):
        self.call('POST', f'/element/{self.find(css)}/click', {})

    def type_into(self, css, text):
        element = self.find(css)
        self.call('POST', f'/element/{element}/clear', {})
        self.call('POST', f'/element/{element}/value', {'text': text})

    def keys(self, text):
        actions = []
        for ch in text:
            actions += [{'type': 'keyDown', 'value': ch}, {'type': 'keyUp', 'value': ch}]
        self.call('POST', '/actions', {'actions': [
            {'type': 'key', 'id': 'keyboard', 'actions': actions}]})
        self.call('DELETE', '/actions')

    def window(self, width, height):
        self.call('POST', '/window/rect', {'width': width, 'height': height})

    def screenshot(self, path):
        import base64
        with open(path, 'wb') as f:
            f.write(base64.b64decode(self.call('GET', '/screenshot')))


READ_PAGE = """
const out = {};
for (const pane of document.querySelectorAll('[data-pane]')) {
  const paused = pane.querySelectorAll('.code li.paused');
  out[pane.dataset.pane] = {
    state: pane.dataset.state,
    badge: pane.querySelector('.state').textContent,
    line: pane.dataset.line,
    marked: Array.from(paused, li => Number(li.dataset.line)),
    markedText: paused.length ? paused[0].children[1].textContent : null,
    outcomes: Array.from(pane.querySelectorAll('.steps li'), li => li.dataset.outcome),
    flagged: pane.querySelectorAll('.steps li.differs').length,
    locals: Object.fromEntries(Array.from(pane.querySelectorAll('.locals div'),
      d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])),
  };
}
return {panes: out, ops: document.body.dataset.ops, busy: document.body.dataset.busy,
        script: document.getElementById('script').textContent,
        error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent};
"""


def api(server, demo, ops):
    query = urllib.parse.urlencode([('demo', demo)] + [('op', op) for op in ops])
    with urllib.request.urlopen(f'http://{server}/api/run?{query}', timeout=HUNG) as r:
        return json.load(r)


def do_op(driver, how, op):
    verb, _, arg = op.partition(' ')
    if verb in ('anext', 'asend', 'athrow', 'aclose'):
        verb = verb[1:]  # the same button and key, on an async demo
    if verb == 'send':
        if how == 'key':
            driver.keys('s')  # focuses the value box
            driver.type_into('#send-value', arg + '\ue007')  # Enter
        else:
            driver.type_into('#send-value', arg)
            driver.click('#op-send')
    elif verb == 'throw':
        driver.click(f'#throw-kind option[value="{arg}"]')
        if how == 'key':
            driver.keys('t')
        else:
            driver.click('#op-throw')
    elif how == 'key':
        driver.keys(verb[0])
    else:
        driver.click(f'#op-{verb}')


def check_page(driver, server, demo, ops, failures):
    where = f'{demo} after {ops}'
    page = wait_for(where, lambda: (lambda p: p if p['ops'] == str(len(ops))
                                    and p['busy'] == 'false' else None)(driver.js(READ_PAGE)))
    if page['error']:
        failures.append(f'{where}: the page shows an error: {page["error"]}')
    expected = api(server, demo, ops)
    for name in PANES:
        want = expected['panes'][name]
        got = page['panes'][name]
        steps = want['steps']
        now = steps[-1] if steps else want['start']
        line = now['line']
        problems = []
        if got['state'] != now['state'] or got['badge'] != now['state']:
            problems.append(f'state {got["state"]}/{got["badge"]}, expected {now["state"]}')
        if got['marked'] != ([line] if line else []):
            problems.append(f'marked lines {got["marked"]}, expected {line}')
        if line and got['markedText'] != want['source'].splitlines()[line - 1]:
            problems.append(f'the marked line reads {got["markedText"]!r}')
        if line and 'yield' not in got['markedText']:
            problems.append(f'the marked line is not a yield: {got["markedText"]!r}')
        if got['outcomes'] != [s['outcome'] for s in steps]:
            problems.append(f'outcomes {got["outcomes"]}, expected '
                            f'{[s["outcome"] for s in steps]}')
        if got['flagged']:
            problems.append(f'{got["flagged"]} rows flagged as differing from CPython')
        if name == 'python' and got['locals'] != now.get('locals', {}):
            problems.append(f'locals {got["locals"]}, expected {now.get("locals")}')
        failures += [f'{where}, {name} pane: {p}' for p in problems]
    return page


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pygen', default='target/debug/pygen')
    parser.add_argument('--screenshot')
    parser.add_argument('--screenshots', metavar='DIR',
                        help='save the page at a phone width (420 px) and at 1280 px in DIR')
    parser.add_argument('--skip-missing', action='store_true')
    args = parser.parse_args()

    chromedriver = shutil.which('chromedriver')
    if not chromedriver or not (shutil.which('chromium') or os.path.exists('/usr/bin/chromium')):
        if args.skip_missing:
            print('browser test: skipped (chromium or chromedriver is not installed)')
            return
        raise SystemExit('browser test: chromium and chromedriver are needed '
                         '(apt-get install chromium chromium-driver)')

    server_proc = subprocess.Popen([args.pygen, 'tutor', '--addr', '127.0.0.1:0'],
                                   stderr=subprocess.PIPE, text=True)
    first = server_proc.stderr.readline()
    server = first.split('http://')[1].split('/')[0]
    driver_port = free_port()
    driver_proc = subprocess.Popen([chromedriver, f'--port={driver_port}'],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix='pygen-chromium-')
    driver = WebDriver(driver_port)
    failures = []
    try:
        wait_for('chromedriver', lambda: _ready(driver_port))
        driver.start(profile)
        for demo, script in SCRIPTS:
            driver.go(f'http://{server}/')
            wait_for('the demo list', lambda: driver.js(
                "return document.querySelectorAll('#demo option').length"))
            driver.click(f'#demo option[value="{demo}"]')
            ops = []
            check_page(driver, server, demo, ops, failures)
            for how, op in script:
                do_op(driver, how, op)
                ops.append(op)
                check_page(driver, server, demo, ops, failures)
            print(f'{demo}: {len(ops)} ops checked in 4 panes')
        # Spot checks that do not lean on the API.
        driver.go(f'http://{server}/#demo=guarded&op=next&op=throw%20ValueError')
        page = check_page(driver, server, 'guarded', ['next', 'throw ValueError'], failures)
        for name in PANES:
            if 'recovered' not in (page['panes'][name]['markedText'] or ''):
                failures.append(f'guarded: {name} is not marked at the recovered yield')
        if 'g.throw(ValueError)' not in page['script']:
            failures.append(f'the script line reads {page["script"]!r}')
        driver.keys('u')
        page = check_page(driver, server, 'guarded', ['next'], failures)
        driver.keys('c')
        page = check_page(driver, server, 'guarded', ['next', 'close'], failures)
        for name in PANES:
            if page['panes'][name]['state'] != 'GEN_CLOSED':
                failures.append(f'guarded: {name} is not closed after close')
        # An async script from a link: the buttons say what they do, the
        # script line awaits, and the hash round-trips.
        driver.go(f'http://{server}/#demo=running_mean&op=anext&op=asend%205')
        page = check_page(driver, server, 'running_mean', ['anext', 'asend 5'], failures)
        if 'await g.asend(5)' not in page['script']:
            failures.append(f'the async script line reads {page["script"]!r}')
        labels = driver.js("return ['next', 'send', 'throw', 'close'].map("
                           "v => document.getElementById('op-' + v).textContent)")
        if not all(f'a{verb}' in label for verb, label
                   in zip(['next', 'send', 'throw', 'close'], labels)):
            failures.append(f'on an async demo the buttons read {labels}')
        driver.keys('c')
        page = check_page(driver, server, 'running_mean', ['anext', 'asend 5', 'aclose'],
                          failures)
        hash_now = driver.js('return location.hash')
        if hash_now != '#demo=running_mean&op=anext&op=asend%205&op=aclose':
            failures.append(f'the hash after aclose is {hash_now!r}')
        for name in PANES:
            if page['panes'][name]['state'] != 'AGEN_CLOSED':
                failures.append(f'running_mean: {name} is not closed after aclose')
        # A narrow screen: the panes stack and nothing scrolls sideways.
        driver.window(420, 900)
        driver.go(f'http://{server}/#demo=words&op=next&op=send%201')
        check_page(driver, server, 'words', ['next', 'send 1'], failures)
        overflow = driver.js('return document.documentElement.scrollWidth - window.innerWidth')
        if overflow > 0:
            failures.append(f'a narrow screen scrolls sideways by {overflow}px')
        lefts = driver.js("return Array.from(document.querySelectorAll('[data-pane]'),"
                          " p => p.getBoundingClientRect().left)")
        if len(set(lefts)) != 1:
            failures.append(f'on a narrow screen the panes do not stack: {lefts}')
        if args.screenshots:
            driver.screenshot(os.path.join(args.screenshots, 'tutor-420px.png'))
        # A laptop's 1280 px: the four panes in one row, none left over on a
        # second; a Rust pane not yet paused opens at the demo's function,
        # past its ANCHOR line and the doc comment that repeats the Python,
        # and at the left margin.
        driver.window(1280, 900)
        driver.go(f'http://{server}/#demo=words')
        check_page(driver, server, 'words', [], failures)
        tops = driver.js("return Array.from(document.querySelectorAll('[data-pane]'),"
                         " p => Math.round(p.getBoundingClientRect().top))")
        if len(set(tops)) != 1:
            failures.append(f'at 1280 px the panes are not in one row: tops {tops}')
        opened = driver.js("return Array.from(document.querySelectorAll('[data-pane]'), p => {"
                           " const box = p.querySelector('.code');"
                           " const first = Array.from(box.querySelectorAll('li')).find("
                           "   li => li.getBoundingClientRect().top >= box.getBoundingClientRect().top - 2);"
                           " return [p.dataset.pane, first ? first.textContent : ''];})")
        for name, first_line in opened:
            code = first_line.lstrip('0123456789').strip()
            if name != 'python' and not code.startswith('pub fn'):
                failures.append(f'{name} opens at {first_line!r}, not at the demo body')
        lefts = driver.js("return Array.from(document.querySelectorAll('[data-pane] .code'), b => b.scrollLeft)")
        if any(lefts):
            failures.append(f'a pane not yet paused opens scrolled sideways: scrollLeft {lefts}')
        if args.screenshots:
            driver.screenshot(os.path.join(args.screenshots, 'tutor-1280px.png'))
            print(f'screenshots: {args.screenshots}/tutor-420px.png, tutor-1280px.png')
        if args.screenshot:
            driver.window(1500, 1000)
            driver.go(f'http://{server}/#demo=words&op=next&op=send%207&op=next')
            check_page(driver, server, 'words', ['next', 'send 7', 'next'], failures)
            driver.screenshot(args.screenshot)
            print(f'screenshot: {args.screenshot}')
    finally:
        try:
            driver.quit()
        finally:
            driver_proc.terminate()
            driver_proc.wait()
            server_proc.terminate()
            server_proc.wait()
            shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print('\n'.join(failures))
        raise SystemExit(f'browser test: {len(failures)} checks failed')
    print('browser test: every check passed')


def _ready(port):
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{port}/status', timeout=5) as r:
            return json.load(r)['value'].get('ready')
    except OSError:
        return False


if __name__ == '__main__':
    main()
