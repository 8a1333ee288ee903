//! `pygen transcript --impl X DEMO` at a terminal: run under a
//! pseudo-terminal, each op typed is answered before the next is typed.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Not a timing threshold: only how long to wait before calling a hung
/// child a failure instead of hanging the test run.
const HUNG: Duration = Duration::from_secs(120);

/// A pseudo-terminal: (master, slave).
fn openpty() -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the two ints and
    // reads nothing else (null name, termios and winsize are allowed).
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are new and owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// What the terminal shows, read as it comes.
struct Screen {
    chunks: mpsc::Receiver<Vec<u8>>,
    seen: String,
}

impl Screen {
    /// Read until `text` has been shown since the last call; return what
    /// was shown.
    fn until(&mut self, text: &str) -> String {
        while !self.seen.contains(text) {
            match self.chunks.recv_timeout(HUNG) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!("waited for {text:?}; the terminal shows {:?}", self.seen),
            }
        }
        let at = self.seen.find(text).expect("seen") + text.len();
        let shown = self.seen[..at].to_owned();
        self.seen.drain(..at);
        shown
    }
}

/// `pygen transcript --impl BACKEND DEMO` on a new pseudo-terminal: the
/// child, the keyboard, and the screen.
fn at_a_terminal(backend: &str, demo: &str) -> (std::process::Child, File, Screen) {
    let (master, slave) = openpty();
    let child = Command::new(env!("CARGO_BIN_EXE_pygen"))
        .args(["transcript", "--impl", backend, demo])
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("pygen starts");
    let keyboard = File::from(master);
    let mut reader = keyboard.try_clone().expect("dup");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // Reading fails (EIO) once the child has gone and no one holds the
        // terminal open.
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let screen = Screen {
        chunks: rx,
        seen: String::new(),
    };
    (child, keyboard, screen)
}

/// Type each op, and see its answer and the next prompt before typing the
/// next one; then Ctrl-D, and the child ends well.
fn type_each(
    (mut child, mut keyboard, mut screen): (std::process::Child, File, Screen),
    demo: &str,
    first: &str,
    steps: &[(&str, &str, &str)],
) {
    screen.until(&format!("{demo} [{first}]> "));
    for (op, answer, state) in steps {
        // The answer must come before anything more is typed.
        writeln!(keyboard, "{op}").expect("types");
        screen.until(answer);
        screen.until(&format!("{demo} [{state}]> "));
    }
    keyboard.write_all(&[4]).expect("Ctrl-D");
    let status = child.wait().expect("ends");
    assert!(status.success(), "{status}");
}

#[test]
fn at_a_terminal_each_op_is_answered_as_it_is_typed() {
    type_each(
        at_a_terminal("genawaiter", "guarded"),
        "guarded",
        "GEN_CREATED",
        &[
            ("next", "next: yield 'waiting'", "GEN_SUSPENDED"),
            (
                "throw ValueError",
                "throw ValueError: yield 'recovered'",
                "GEN_SUSPENDED",
            ),
            ("nonsense", "bad op 'nonsense'", "GEN_SUSPENDED"),
            ("close", "close: log 'cleanup'; closed", "GEN_CLOSED"),
        ],
    );
}

#[test]
fn at_a_terminal_an_async_demo_is_stepped_with_its_own_ops() {
    type_each(
        at_a_terminal("async-stream", "ticker"),
        "ticker",
        "AGEN_CREATED",
        &[
            ("anext", "anext: yield 0", "AGEN_SUSPENDED"),
            ("next", "bad op 'next'", "AGEN_SUSPENDED"),
            ("asend 3", "asend 3: yield 1", "AGEN_SUSPENDED"),
            (
                "aclose",
                "aclose: log 'ticker closed'; closed",
                "AGEN_CLOSED",
            ),
        ],
    );
}
