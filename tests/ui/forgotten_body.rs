// A body written with `yield` is a generator of its library's (here a
// genawaiter `Gen`), not yet a `pygen_protocol::Coroutine`: Python's
// `def g(): ... yield ...` needs its backend's adapter around it, and the
// compiler says so, naming `Body`. `Body(Gen::new(...))` is the fix.

use pygen_protocol::genawaiter::{Co, Gen};
use pygen_protocol::{Coroutine, Exception, Resume};

fn countdown() -> impl Coroutine<Resume<()>, Yield = u32, Return = Result<(), Exception>> {
    Gen::new(|co: Co<u32, Resume<()>>| async move {
        for n in (1..=3).rev() {
            co.yield_(n).await?;
        }
        Ok(())
    })
}

fn main() {
    let _ = countdown();
}
