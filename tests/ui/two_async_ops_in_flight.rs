// Python: two operations on one async generator in flight at once,
//
//     a = g.asend(1); b = g.asend(2)
//     await asyncio.gather(a, b)
//     RuntimeError: anext(): asynchronous generator is already running
//
// Rust refuses the program instead: `anext`, `asend`, `athrow` and
// `aclose` take `&mut self`, and the future each returns keeps that
// borrow until it is dropped, so no second operation can start while one
// is in flight.

use pygen_demos::Log;
use pygen_nightly::running_mean;
use pygen_protocol::AsyncGenerator;

fn main() {
    let mut g = AsyncGenerator::new(Box::pin(running_mean(Log::new())));
    let first = g.asend(1.into());
    let second = g.asend(2.into());
    drop((first, second));
}
