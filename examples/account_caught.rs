//! Catching an exception class of your own, raised by a generator: the
//! caller of `account()` reads the balance and the amount back from the
//! `Overdrawn` it raised, without parsing its message.
//!
//! ```text
//! cargo run --example account_caught
//! ```
//!
//! The Python it mirrors:
//!
//! ```python
//! g = account()
//! next(g)                 # 10
//! g.send(5)               # 15
//! try:
//!     g.send(-20)
//! except Overdrawn as e:
//!     print(type(e).__name__, e)
//! ```

use num_bigint::BigInt;
use pygen_demos::Overdrawn;
use pygen_nightly::account;
use pygen_protocol::{Generator, Raised};

fn main() {
    // ANCHOR: catch
    let mut g = Generator::new(account());
    println!("{:?}", g.next());
    println!("{:?}", g.send(BigInt::from(5)));
    // `except Overdrawn as e:` is a `match` on the call's `Err` side, then
    // a `downcast_ref`, which answers `Some` only for that class.
    match g.send(BigInt::from(-20)) {
        Err(Raised::Exception(e)) => match e.downcast_ref::<Overdrawn>() {
            Some(overdrawn) => {
                println!("caught {e}");
                println!("balance {}, asked {}", overdrawn.balance, overdrawn.asked);
            }
            None => println!("another exception: {e}"),
        },
        other => println!("no exception: {other:?}"),
    }
    // ANCHOR_END: catch
}
