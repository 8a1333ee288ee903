//! [`SignalListener`]: Ctrl-C (SIGINT) and SIGTERM become a
//! [`Shutdown`](crate::Shutdown).
//!
//! A signal handler may do almost nothing safely, so the work is done
//! elsewhere: `signal-hook` registers a handler that writes to a pipe, and
//! a thread of ours reads the pipe and triggers the shutdown, which wakes
//! the event loops. The first signal shuts down gracefully; a second one
//! drops every connection at once, for the impatient.

use std::io;
use std::thread::{self, JoinHandle};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use tracing::info;

use crate::Shutdown;

/// Listens for SIGINT and SIGTERM until dropped.
pub struct SignalListener {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl SignalListener {
    /// Start listening: each signal triggers `shutdown`.
    pub fn start(shutdown: Shutdown) -> io::Result<SignalListener> {
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let handle = signals.handle();
        let thread = thread::Builder::new()
            .name("pygen-http-signals".to_owned())
            .spawn(move || {
                for signal in signals.forever() {
                    let name = if signal == SIGINT {
                        "SIGINT"
                    } else {
                        "SIGTERM"
                    };
                    if shutdown.is_triggered() {
                        info!("{name} again: dropping every connection now");
                    } else {
                        info!("{name}: shutting down once in-flight responses finish");
                    }
                    shutdown.trigger();
                }
            })?;
        Ok(SignalListener {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for SignalListener {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
