//! [`Repr`]: values written the way Python's `repr` writes them, for
//! transcripts.

use std::convert::Infallible;

use num_bigint::{BigInt, BigUint};

/// A value as Python's `repr()` writes it: `None`, `-3`, `'waiting'`.
pub trait Repr {
    /// Python's `repr(self)`.
    fn repr(&self) -> String;

    /// Whether this is Python's `None`. A generator that returns `None`
    /// raises a bare `StopIteration`, so transcripts need to know.
    fn is_py_none(&self) -> bool {
        false
    }
}

macro_rules! repr_as_display {
    ($($t:ty),*) => {$(
        impl Repr for $t {
            fn repr(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

repr_as_display!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, BigInt, BigUint
);

/// `()` is what a Rust body returns where a Python one returns `None`.
impl Repr for () {
    fn repr(&self) -> String {
        "None".to_owned()
    }

    fn is_py_none(&self) -> bool {
        true
    }
}

/// The return type of a body that never returns, such as `fibonacci`.
impl Repr for Infallible {
    fn repr(&self) -> String {
        match *self {}
    }
}

/// `None` is `None`; `Some(v)` is written as `v`.
impl<T: Repr> Repr for Option<T> {
    fn repr(&self) -> String {
        match self {
            Some(value) => value.repr(),
            None => "None".to_owned(),
        }
    }

    fn is_py_none(&self) -> bool {
        self.as_ref().is_none_or(Repr::is_py_none)
    }
}

impl Repr for str {
    /// Python's rule: single quotes, unless the text holds a single quote
    /// and no double quote; backslashes, the chosen quote and control
    /// characters escaped.
    fn repr(&self) -> String {
        let quote = if self.contains('\'') && !self.contains('"') {
            '"'
        } else {
            '\''
        };
        let mut out = String::with_capacity(self.len() + 2);
        out.push(quote);
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    out.push_str(&format!("\\x{:02x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push(quote);
        out
    }
}

impl Repr for &str {
    fn repr(&self) -> String {
        str::repr(self)
    }
}

impl Repr for String {
    fn repr(&self) -> String {
        str::repr(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Repr;

    #[test]
    fn strings_are_quoted_as_python_quotes_them() {
        assert_eq!("waiting".repr(), "'waiting'");
        assert_eq!("it's".repr(), "\"it's\"");
        assert_eq!("say \"hi\"".repr(), "'say \"hi\"'");
        assert_eq!("both ' and \"".repr(), "'both \\' and \"'");
        assert_eq!("a\\b\n".repr(), "'a\\\\b\\n'");
    }

    #[test]
    fn none_is_none_at_any_depth() {
        assert!(().is_py_none());
        assert!(None::<i64>.is_py_none());
        assert!(Some(()).is_py_none());
        assert!(!Some(0).is_py_none());
        assert_eq!(Some(-3).repr(), "-3");
    }
}
