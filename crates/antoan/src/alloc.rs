//! The process's allocator, and how soon it gives freed memory back to the system.
//!
//! The server runs many short requests on a few threads. mimalloc keeps a cache per thread,
//! where the C library's allocator spent a tenth of a request's time in its locks and kept the
//! peak of an index rebuild resident.
//!
//! mimalloc waits a second before returning freed pages. At start-up the people index is
//! built (tens of megabytes of temporary vectors) and the first sign-ins hash passwords
//! (argon2id, 19 MB each); with a one-second delay that memory was still resident when the
//! first load arrived, and the peak under load reached 158 MB against 129 MB with a 100 ms
//! delay, which was no slower (bench/RESULTS.md, fifth run). Returning pages at once (0 ms)
//! cost a fifth of the throughput in system calls.

// The allocator's options are set through its C interface; nothing else in the project uses
// unsafe code (the library crates forbid it).
#![allow(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's header (version 3); the binding names no constant
/// for it. Its default of 1000 ms is checked before it is changed, so a different numbering
/// in another version of the library leaves the setting alone instead of changing another.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const LIBRARY_DEFAULT_MS: std::ffi::c_long = 1000;
const PURGE_DELAY_MS: std::ffi::c_long = 100;

/// Shortens the purge delay, unless the operator set `MIMALLOC_PURGE_DELAY` themselves.
/// Returns the delay in force afterwards.
pub fn tune() -> std::ffi::c_long {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() && purge_delay() == LIBRARY_DEFAULT_MS {
        // SAFETY: setting an option is a plain store in the library's option table.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
    }
    purge_delay()
}

fn purge_delay() -> std::ffi::c_long {
    // SAFETY: reading an option has no preconditions.
    unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_is_the_one_we_mean_and_is_shortened() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        assert_eq!(
            super::purge_delay(),
            super::LIBRARY_DEFAULT_MS,
            "option 15 is the purge delay with its documented default"
        );
        assert_eq!(super::tune(), super::PURGE_DELAY_MS);
    }
}
