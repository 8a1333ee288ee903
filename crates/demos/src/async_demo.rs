//! The async demo generators (PEP 525) by name, and `sleep0()`, the one
//! future they await: Python's `asyncio.sleep(0)`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

/// The three async demo generators every backend implements, driven by
/// `anext`, `asend`, `athrow` and `aclose`. Apart from [`Demo`](crate::Demo)
/// because their ops are not the same: a generator's `next` is not an
/// async generator's `anext`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsyncDemo {
    /// `ticker()`: awaits `asyncio.sleep(0)`, then yields 0, 1, 2, ...;
    /// logs `'ticker closed'` in `finally`.
    Ticker,
    /// `running_mean()`: yields the floor mean of what is sent; `athrow
    /// ValueError` resets it; `asend None` ends it.
    RunningMean,
    /// `stubborn_async()`: ignores `GeneratorExit`, so `aclose()` fails.
    StubbornAsync,
}

impl AsyncDemo {
    /// Every async demo, in the order the design lists them.
    pub const ALL: [AsyncDemo; 3] = [
        AsyncDemo::Ticker,
        AsyncDemo::RunningMean,
        AsyncDemo::StubbornAsync,
    ];

    /// The Python function's name: `running_mean`.
    pub fn name(self) -> &'static str {
        match self {
            AsyncDemo::Ticker => "ticker",
            AsyncDemo::RunningMean => "running_mean",
            AsyncDemo::StubbornAsync => "stubborn_async",
        }
    }
}

impl fmt::Display for AsyncDemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AsyncDemo {
    type Err = crate::UnknownDemo;

    fn from_str(name: &str) -> Result<AsyncDemo, crate::UnknownDemo> {
        AsyncDemo::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| crate::UnknownDemo(name.to_owned()))
    }
}

/// Python's `asyncio.sleep(0)`: a future that is pending once, and wakes
/// its task before it says so, so that the executor polls it again at
/// once; the second poll is ready.
///
/// It is the smallest future that really waits: a body awaiting it
/// answers `Pending` to its caller once, which is the case every backend's
/// `.await` has to carry out and back in.
pub fn sleep0() -> Sleep0 {
    Sleep0 { slept: false }
}

/// The future [`sleep0`] returns.
#[derive(Debug)]
#[must_use = "a future does nothing unless awaited"]
pub struct Sleep0 {
    slept: bool,
}

impl Future for Sleep0 {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.slept {
            return Poll::Ready(());
        }
        self.slept = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for demo in AsyncDemo::ALL {
            assert_eq!(demo.name().parse::<AsyncDemo>(), Ok(demo));
        }
        assert!("ticke".parse::<AsyncDemo>().is_err());
    }

    #[test]
    fn sleep0_is_pending_once_and_wakes_its_task() {
        assert_eq!(crate::block_on(async { 7 }), 7);
        let polls = std::cell::Cell::new(0);
        crate::block_on(async {
            let mut sleep = sleep0();
            std::future::poll_fn(|cx| {
                polls.set(polls.get() + 1);
                Pin::new(&mut sleep).poll(cx)
            })
            .await
        });
        assert_eq!(polls.get(), 2);
    }
}
