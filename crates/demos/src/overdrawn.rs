//! [`Overdrawn`]: the exception class the `account` demo defines.

use std::fmt;

use num_bigint::BigInt;
use pygen_protocol::UserException;

// ANCHOR: class
/// `account()`'s own exception class, with its payload:
///
/// ```python
/// class Overdrawn(Exception):
///     pass
///
/// raise Overdrawn(f'balance {balance}, asked {amount}')
/// ```
///
/// Python keeps only the message; Rust keeps the two numbers too, so a
/// caller that catches it (`exception.downcast_ref::<Overdrawn>()`) can
/// read them without parsing text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdrawn {
    /// The balance before the refused amount.
    pub balance: BigInt,
    /// The amount that would have taken the balance below zero.
    pub asked: BigInt,
}

/// `str(e)`: `balance 10, asked -20`.
impl fmt::Display for Overdrawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "balance {}, asked {}", self.balance, self.asked)
    }
}

impl UserException for Overdrawn {
    fn class_name(&self) -> &'static str {
        "Overdrawn"
    }
}
// ANCHOR_END: class
