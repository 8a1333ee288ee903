//! Python's `d[key]` and `next(it)` for the `inventory` demo: the two
//! built-ins whose exceptions (`KeyError`, `StopIteration`) it catches or
//! lets escape.

use std::collections::HashMap;
use std::hash::Hash;

use pygen_protocol::Exception;

use crate::Repr;

/// `mapping[key]`: the value, or `KeyError` with the key's `repr` as its
/// message, as `str(KeyError(key))` is in CPython.
pub fn getitem<K: Eq + Hash + Repr, V: Copy>(
    mapping: &HashMap<K, V>,
    key: &K,
) -> Result<V, Exception> {
    mapping
        .get(key)
        .copied()
        .ok_or_else(|| Exception::KeyError.with_message(key.repr()))
}

/// `next(it)`: the next item, or `StopIteration` once `it` is used up.
/// Inside a generator's body, a `StopIteration` that is not caught there
/// escapes it, and the generator turns it into `RuntimeError` (PEP 479).
pub fn next<I: Iterator>(it: &mut I) -> Result<I::Item, Exception> {
    it.next().ok_or(Exception::StopIteration)
}

#[cfg(test)]
mod tests {
    use num_bigint::BigInt;

    use super::*;

    #[test]
    fn a_missing_key_is_key_error_named_by_its_repr() {
        let stock = HashMap::from([(Some(BigInt::from(1)), "apple")]);
        assert_eq!(getitem(&stock, &Some(BigInt::from(1))), Ok("apple"));
        let missing = getitem(&stock, &None).unwrap_err();
        assert_eq!(missing.to_string(), "KeyError: None");
        let mut spares = ["fig"].into_iter();
        assert_eq!(next(&mut spares), Ok("fig"));
        assert_eq!(next(&mut spares), Err(Exception::StopIteration));
    }
}
