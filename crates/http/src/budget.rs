//! [`Budget`]: what one event loop may hold in total, across all its
//! connections — bytes of request bodies and unsent output
//! ([`Config::memory_budget`]) and streamed responses in flight
//! ([`Config::max_streams`]).
//!
//! Per-connection limits bound one client; a thousand clients each just
//! under them would still take the server's memory. So every connection
//! charges what it buffers to its loop's budget, as a [`Charge`] that
//! follows the amount it holds and gives it back when dropped, and every
//! streamed body holds a [`StreamPermit`] for as long as it streams.
//!
//! A loop owns its budget and shares nothing with the others: the
//! server-wide figures in [`Config`] are split evenly among the workers
//! ([`Budget::for_loop`]), as `SO_REUSEPORT` splits the connections.
//! Counting is a `Cell` add and compare, on a single thread.
//!
//! The task model's tasks make their own [`Incoming`](crate::tasks::Incoming)
//! and [`Outgoing`](crate::tasks::Outgoing), so its scheduler installs its
//! budget for the thread it runs on ([`install`]) and they find it with
//! [`current`].

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::Config;

/// What a loop's table of `T`s holds beyond its live entries: a `Slab`
/// keeps its capacity after a burst of connections has gone, and that
/// memory is charged to nobody else.
pub(crate) fn vacant_bytes<T>(table: &slab::Slab<T>) -> usize {
    (table.capacity() - table.len()) * size_of::<T>()
}

/// What every connection is charged beyond the bytes it buffers: its own
/// state, its handler or task (a coroutine's saved locals), its entries in
/// the loop's tables, and the allocator's bookkeeping and fragmentation
/// around them. Measured, not derived: under 1,000 slow bodies, the heap
/// grew by about 3 KiB a connection beyond what was charged (see
/// `scripts/attack.py --phases bodies`), and without this allowance the
/// process's resident memory ended a few MiB over the budget.
pub const PER_CONNECTION: usize = 4 * 1024;

/// One event loop's share of the server's memory budget and stream limit,
/// and what is in use.
pub struct Budget {
    memory_limit: usize,
    memory: Cell<usize>,
    max_streams: usize,
    streams: Cell<usize>,
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Budget({} of {} bytes, {} of {} streams)",
            self.memory.get(),
            self.memory_limit,
            self.streams.get(),
            self.max_streams
        )
    }
}

impl Budget {
    /// A budget of `memory_limit` bytes and `max_streams` streams.
    pub fn new(memory_limit: usize, max_streams: usize) -> Rc<Budget> {
        Rc::new(Budget {
            memory_limit,
            memory: Cell::new(0),
            max_streams,
            streams: Cell::new(0),
        })
    }

    /// No limits: for an [`Incoming`](crate::tasks::Incoming) or
    /// [`Outgoing`](crate::tasks::Outgoing) used outside a scheduler.
    pub fn unlimited() -> Rc<Budget> {
        Budget::new(usize::MAX, usize::MAX)
    }

    /// One of `loops` event loops' even share of `config`'s budget.
    pub fn for_loop(config: &Config, loops: usize) -> Rc<Budget> {
        let loops = loops.max(1);
        Budget::new(
            (config.memory_budget / loops).max(1),
            (config.max_streams / loops).max(1),
        )
    }

    /// Bytes charged now.
    pub fn memory(&self) -> usize {
        self.memory.get()
    }

    /// Streams in flight now.
    pub fn streams(&self) -> usize {
        self.streams.get()
    }

    /// A permit to stream one body, if fewer than the limit are in flight.
    pub fn start_stream(self: &Rc<Self>) -> Option<StreamPermit> {
        let streams = self.streams.get();
        if streams >= self.max_streams {
            return None;
        }
        self.streams.set(streams + 1);
        Some(StreamPermit(self.clone()))
    }
}

/// A streamed body in flight; dropping it ends the stream's count.
pub struct StreamPermit(Rc<Budget>);

impl Drop for StreamPermit {
    fn drop(&mut self) {
        self.0.streams.set(self.0.streams.get() - 1);
    }
}

/// Bytes one holder (a connection, a pending send) has charged to a
/// budget; given back when dropped.
pub struct Charge {
    budget: Rc<Budget>,
    bytes: usize,
}

impl fmt::Debug for Charge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Charge({} bytes)", self.bytes)
    }
}

impl Charge {
    /// Nothing charged yet.
    pub fn new(budget: Rc<Budget>) -> Charge {
        Charge { budget, bytes: 0 }
    }

    /// Nothing charged, to the budget installed for this thread.
    pub fn current() -> Charge {
        Charge::new(current())
    }

    /// Hold `bytes` now, if the growth fits in the budget; otherwise hold
    /// what was held before and say so.
    pub fn try_set(&mut self, bytes: usize) -> bool {
        if bytes > self.bytes {
            let used = self.budget.memory.get();
            let after = used.saturating_add(bytes - self.bytes);
            if after > self.budget.memory_limit {
                return false;
            }
        }
        self.set(bytes);
        true
    }

    /// Hold `bytes` now, whatever the budget says: what is already held
    /// (a response made) is counted, so that new bodies meet a full
    /// budget, though it cannot be refused.
    pub fn set(&mut self, bytes: usize) {
        let used = self.budget.memory.get();
        self.budget
            .memory
            .set(used.saturating_sub(self.bytes).saturating_add(bytes));
        self.bytes = bytes;
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.set(0);
    }
}

/// `memory_budget` less what this process holds resident now (its code,
/// its threads, what it allocated before serving): when the server is the
/// process, the budget is measured in its RSS, and that part of it is
/// spent before the first connection. The figure is Linux's
/// (`/proc/self/statm`); elsewhere nothing is taken off.
pub(crate) fn less_resident(memory_budget: usize) -> usize {
    memory_budget.saturating_sub(resident_bytes().unwrap_or(0))
}

/// This process's resident set, in bytes.
fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system constant.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages.checked_mul(usize::try_from(page_size).ok()?)
}

/// Have the allocator give a large buffer back to the system as soon as it
/// is freed, so that RSS follows what is charged. glibc serves a request of
/// at least its mmap threshold (128 KiB) from a mapping of its own, freed
/// with it; but after the first such free it raises the threshold past
/// that size, and later bodies of the same size come from its heap, which
/// keeps what they touched after they are gone. A fixed threshold stops
/// the raising. Process-wide, so only for a server that is the process.
pub(crate) fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before
    // the workers start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Give the heap's free pages back to the system; each loop does it once
/// a tick. glibc keeps the pages of small buffers freed in a burst (about
/// 5 MiB after 200 streams end), and the budget, whose share of the RSS
/// was fixed at start, does not know of them: without this, 1,000 slow
/// bodies after such a burst went 3 MiB over the budget
/// (`scripts/attack.py --phases streams,bodies`). A trim walks the
/// allocator's free lists, which is little next to a tick's work.
pub(crate) fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory the allocator holds.
    unsafe {
        libc::malloc_trim(0);
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Budget>>> = const { RefCell::new(None) };
}

/// The budget installed for this thread by its scheduler, or an unlimited
/// one.
pub fn current() -> Rc<Budget> {
    CURRENT
        .with(|current| current.borrow().clone())
        .unwrap_or_else(Budget::unlimited)
}

/// Make `budget` this thread's [`current`] one until the guard is dropped.
pub fn install(budget: Rc<Budget>) -> Installed {
    let previous = CURRENT.with(|current| current.replace(Some(budget)));
    Installed(previous)
}

/// Puts the previous budget back when dropped.
pub struct Installed(Option<Rc<Budget>>);

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_follow_what_is_held_and_are_given_back() {
        let budget = Budget::new(100, 2);
        let mut one = Charge::new(budget.clone());
        let mut two = Charge::new(budget.clone());
        assert!(one.try_set(60));
        assert!(!two.try_set(50));
        assert!(two.try_set(40));
        assert_eq!(budget.memory(), 100);
        assert!(one.try_set(10));
        two.set(500);
        assert_eq!(budget.memory(), 510);
        drop(two);
        drop(one);
        assert_eq!(budget.memory(), 0);
    }

    #[test]
    fn streams_are_counted_while_their_permits_live() {
        let budget = Budget::new(100, 2);
        let first = budget.start_stream().unwrap();
        let second = budget.start_stream().unwrap();
        assert!(budget.start_stream().is_none());
        drop(first);
        assert_eq!(budget.streams(), 1);
        assert!(budget.start_stream().is_some());
        drop(second);
        assert_eq!(budget.streams(), 0);
    }

    #[test]
    fn the_server_budget_is_shared_by_the_loops() {
        let config = Config::default();
        let budget = Budget::for_loop(&config, 4);
        assert_eq!(budget.memory_limit, config.memory_budget / 4);
        assert_eq!(budget.max_streams, config.max_streams / 4);
    }

    #[test]
    fn what_the_process_holds_is_taken_off_the_budget() {
        let budget = 1 << 40;
        let left = less_resident(budget);
        assert!(left <= budget);
        if cfg!(target_os = "linux") {
            assert!(left < budget);
        }
        assert_eq!(less_resident(0), 0);
    }

    #[test]
    fn a_thread_sees_the_budget_installed_for_it() {
        let budget = Budget::new(10, 1);
        {
            let _installed = install(budget.clone());
            assert!(Rc::ptr_eq(&current(), &budget));
        }
        assert!(!Rc::ptr_eq(&current(), &budget));
    }
}
