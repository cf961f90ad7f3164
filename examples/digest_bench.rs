//! Microbenchmark of SHA-1 + SHA-256 of many certificate-sized messages in wasm: the `sha1` /
//! `sha2` crates one message at a time against `pki::fingerprints` (four messages per SIMD128
//! vector, `crates/pki/src/digest.rs`). Built for wasm and timed in Node by
//! `scripts/bench-digest.sh`; natively it is empty.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::RefCell;

    use sha2::Digest;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static MESSAGES: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    }

    /// Makes `count` messages of `len` bytes (their lengths spread over ±25 % when `vary`, like
    /// certificates). The content does not change how long hashing takes; it only differs.
    #[wasm_bindgen]
    pub fn setup(count: usize, len: usize, vary: bool) {
        let msgs = (0..count)
            .map(|i| {
                let n = if vary { len - len / 4 + (i * 7919) % (len / 2) } else { len };
                (0..n).map(|j| (j.wrapping_mul(31) ^ i.wrapping_mul(131)) as u8).collect()
            })
            .collect();
        MESSAGES.with(|m| *m.borrow_mut() = msgs);
    }

    /// Total bytes of the messages.
    #[wasm_bindgen]
    pub fn total_bytes() -> usize {
        MESSAGES.with(|m| m.borrow().iter().map(Vec::len).sum())
    }

    /// Both hashes through the crates, one message at a time; returns a checksum.
    #[wasm_bindgen]
    pub fn crates() -> u32 {
        MESSAGES.with(|m| m.borrow().iter().map(|d| u32::from(sha1::Sha1::digest(d)[0]) + u32::from(sha2::Sha256::digest(d)[0])).sum())
    }

    /// Only SHA-256 through the crate.
    #[wasm_bindgen]
    pub fn crate_sha256() -> u32 {
        MESSAGES.with(|m| m.borrow().iter().map(|d| u32::from(sha2::Sha256::digest(d)[0])).sum())
    }

    /// Both hashes, four messages per SIMD128 vector; returns the same checksum.
    #[wasm_bindgen]
    pub fn lanes() -> u32 {
        MESSAGES.with(|m| {
            let m = m.borrow();
            let refs: Vec<&[u8]> = m.iter().map(Vec::as_slice).collect();
            certwright::pki::fingerprints(&refs).iter().map(|(a, b)| u32::from(a[0]) + u32::from(b[0])).sum()
        })
    }
}
