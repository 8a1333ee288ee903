// A body that borrows its own locals across a `yield` (nightly's `words`,
// a `static` coroutine) must not move once it has started, so it is
// `!Unpin`, and `Generator::new` refuses it until it is pinned, with a
// note naming `pin!`: `let body = pin!(words(log)); Generator::new(body)`
// is the fix.

use num_bigint::BigInt;
use pygen_demos::Log;
use pygen_nightly::words;
use pygen_protocol::Generator;

fn main() {
    let mut g: Generator<_, BigInt> = Generator::new(words(Log::new()));
    g.next().ok();
}
