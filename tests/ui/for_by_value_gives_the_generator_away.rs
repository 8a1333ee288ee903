// `for value in g` by value gives the generator away; Python's `for` only
// borrows. Using `g` after the loop is refused: iterate `g.iter()` (or
// `&mut g`) to break out of a loop and still `send` or `close` afterwards.

use pygen_nightly::countdown;
use pygen_protocol::Generator;

fn main() {
    let g: Generator<_, i64> = Generator::new(countdown());
    for value in g {
        let _ = value;
        break;
    }
    g.close().ok();
}
