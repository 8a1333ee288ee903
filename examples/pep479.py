"""PEP 479 in CPython: a StopIteration that escapes a generator's body is
turned into RuntimeError, instead of quietly ending the generator. The
Python half of the book's chapter on PEP 479.

    python3 examples/pep479.py
"""

# ANCHOR: bug
def firsts(lists):
    for items in lists:
        yield next(iter(items))   # an empty list: StopIteration escapes
# ANCHOR_END: bug


# ANCHOR: fixed
def firsts_fixed(lists):
    for items in lists:
        first = next(iter(items), None)
        if first is None:
            continue
        yield first
# ANCHOR_END: fixed


# ANCHOR: run
try:
    print(list(firsts([[1, 2], [], [3]])))
except RuntimeError as error:
    print(f'{type(error).__name__}: {error}')
    print(f'caused by {type(error.__cause__).__name__}')
print(list(firsts_fixed([[1, 2], [], [3]])))
# ANCHOR_END: run
