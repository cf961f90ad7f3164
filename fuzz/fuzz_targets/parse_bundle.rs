//! Feeds arbitrary bytes to the loader and the chain tools.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run parse_bundle` from the repository root (see fuzz/README.md).
#![no_main]

use certwright::pki::{dedupe, order_chain, parse_bundle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bundle = parse_bundle(data, "fuzz");
    let n = bundle.certificates.len();

    // Load and warn, never silently drop: non-blank input yields something.
    let loaded = n + bundle.crls.len() + bundle.csrs.len() + bundle.problems.len();
    let blank = String::from_utf8_lossy(data).trim().is_empty();
    assert_eq!(loaded == 0, blank, "non-blank input produced nothing");

    let kept = dedupe(&bundle.certificates);
    assert!(kept.windows(2).all(|w| w[0] < w[1]) && kept.iter().all(|&i| i < n));

    let order = order_chain(&bundle.certificates);
    let mut sorted = order.order.clone();
    sorted.sort_unstable();
    assert!(sorted.iter().copied().eq(0..n), "order is not a permutation");
    assert!(order.chain_len <= n);
});
