"""Generator expressions and itertools, the Python half of the book's
chapter on pull pipelines; examples/pull_pipeline.rs prints the same lines
with Rust's Iterator adapters.

    python3 examples/pull_pipeline.py
"""

import itertools

# ANCHOR: log
LOG = """\
GET /index.html 200 1043
GET /missing 404 0
POST /echo 200 12
GET /fib?n=10 200 31
GET /favicon.ico 404 0"""
# ANCHOR_END: log


def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


# ANCHOR: genexpr
odd_squares = (n * n for n in range(10) if n % 2 == 1)
print('odd squares:', list(odd_squares))
# ANCHOR_END: genexpr

# ANCHOR: itertools
print('islice:', list(itertools.islice(fibonacci(), 5, 10)))
print('takewhile:', list(itertools.takewhile(lambda n: n < 30, fibonacci())))
print('accumulate:', list(itertools.accumulate([3, 1, 4, 1, 5])))
print('enumerate:', list(enumerate('abc')))
print('zip:', list(zip('abc', fibonacci())))
print('chain:', list(itertools.chain([1, 2], [3])))
# ANCHOR_END: itertools

# ANCHOR: pipeline
def traced(stage, items):
    for item in items:
        print(f'  {stage}: {item}')
        yield item

lines = traced('read', LOG.splitlines())
fields = (line.split() for line in lines)
ok = (f for f in fields if f[2] == '200')
sizes = traced('size', (int(f[3]) for f in ok))
print('bytes served:', sum(sizes))
# ANCHOR_END: pipeline
