//! The client's heap, for the benchmarks that report memory: a counting allocator that
//! counts only what one thread (the client's) allocates and frees, so an emulator on
//! other threads is left out.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    static CLIENT_THREAD: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    CLIENT_THREAD.try_with(Cell::get).unwrap_or(false)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && counted() {
            let live =
                LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed) + layout.size() as isize;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if counted() {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` on this thread and returns its result and the most bytes this thread held
/// beyond what it held before, at any point while `f` ran.
pub fn peak_while<T>(f: impl FnOnce() -> T) -> (T, usize) {
    CLIENT_THREAD.with(|c| c.set(true));
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let result = f();
    CLIENT_THREAD.with(|c| c.set(false));
    let peak = PEAK.load(Ordering::Relaxed) - baseline;
    (result, usize::try_from(peak).unwrap_or(0))
}
