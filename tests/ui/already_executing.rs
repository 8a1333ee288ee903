// Python: a generator that is running cannot be resumed again,
//
//     ValueError: generator already executing
//
// Rust refuses the program instead: `send` and `next` take `&mut self`, so
// while one call can still use the generator, no second call can start.

use pygen_nightly::echo;
use pygen_protocol::Generator;

fn main() {
    let mut g: Generator<_, i64> = Generator::new(echo());
    let running = &mut g;
    g.next().ok();
    running.send(5).ok();
}
