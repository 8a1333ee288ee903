//! `account()`: a body that raises an exception class of its own.
//!
//! ```python
//! class Overdrawn(Exception):
//!     pass
//!
//! def account():
//!     balance = 10
//!     while True:
//!         amount = yield balance
//!         if amount is None:
//!             return balance
//!         if balance + amount < 0:
//!             raise Overdrawn(f'balance {balance}, asked {amount}')
//!         balance += amount
//! ```

use genawaiter::rc::{Co, Gen};
use num_bigint::BigInt;
use pygen_demos::Overdrawn;
use pygen_protocol::{Coroutine, Exception, Resume};

use crate::Body;

// ANCHOR: demo
/// `account()`: yields the balance; `send(amount)` adds to it, `next()`
/// returns it, and an amount that would take it below zero raises
/// [`Overdrawn`], with the balance and the amount as its payload.
pub fn account()
-> impl Coroutine<Resume<BigInt>, Yield = BigInt, Return = Result<BigInt, Exception>> + Unpin {
    Body(Gen::new(|co: Co<BigInt, Resume<BigInt>>| async move {
        // balance = 10
        let mut balance = BigInt::from(10);
        // while True:
        loop {
            // amount = yield balance
            // if amount is None:
            //     return balance
            let Some(amount) = co.yield_(balance.clone()).await? else {
                return Ok(balance);
            };
            // if balance + amount < 0:
            //     raise Overdrawn(f'balance {balance}, asked {amount}')
            if &balance + &amount < BigInt::ZERO {
                return Err(Exception::new(Overdrawn {
                    balance,
                    asked: amount,
                }));
            }
            // balance += amount
            balance += amount;
        }
    }))
}
// ANCHOR_END: demo
