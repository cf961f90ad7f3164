//! SHA-1 and SHA-256 fingerprints of many messages at once (the summary fast path hashes
//! every certificate of a bundle both ways).
//!
//! Natively [`fingerprints`] simply calls the `sha1` / `sha2` crates once per message
//! (they use the CPU's SHA instructions where there are some). In wasm there are no such
//! instructions and the crates' portable code was the largest single cost of
//! `parseCertificateTable`, so there the messages are hashed **four at a time**, one per 32-bit
//! lane of a wasm SIMD128 vector (multi-buffer hashing): each lane runs its own message, and
//! when a message's last block is done the lane takes the next message, so all four lanes stay
//! busy until the last few messages. Both hashes read the same padded blocks (SHA-1 and
//! SHA-256 pad alike), so each block is loaded and transposed once for the two of them. A single
//! message is hashed by the crates.
//!
//! The lane algorithm ([`lanes`]) is written once over a small set of vector operations: in
//! wasm they are SIMD128 instructions (`core::arch::wasm32`, in functions compiled with
//! `simd128` enabled; no global target feature), elsewhere plain `[u32; 4]` arithmetic, which is
//! how the native unit tests check the lane code (scheduling, padding, lengths) against the
//! crates. `tests/web.rs` checks the SIMD build in Chromium, and `tests/js/summary.test.mjs` the
//! JS module's table against the full parse.
//!
//! A wasm engine without SIMD128 (all current browsers and Node have it) refuses to load the
//! whole module; there is no per-function fallback in wasm.

use sha1::Sha1;
use sha2::{Digest, Sha256};

/// SHA-1 and SHA-256 of one message.
pub type Fingerprint = ([u8; 20], [u8; 32]);

/// SHA-1 and SHA-256 of each message, in order.
pub fn fingerprints(messages: &[&[u8]]) -> Vec<Fingerprint> {
    #[cfg(target_arch = "wasm32")]
    if messages.len() >= 2 {
        let mut out = vec![([0; 20], [0; 32]); messages.len()];
        // `hash_many` is compiled with the simd128 target feature. Rust lets safe code call it
        // in wasm (no `unsafe`): a module holding SIMD128 instructions is validated as a whole
        // before any of it runs, so if this code runs at all, the engine supports SIMD128.
        lanes::hash_many(messages, &mut out);
        return out;
    }
    messages.iter().map(|m| scalar(m)).collect()
}

/// One message through the `sha1` / `sha2` crates.
fn scalar(message: &[u8]) -> Fingerprint {
    (Sha1::digest(message).into(), Sha256::digest(message).into())
}

/// The 4-lane multi-buffer SHA-1 + SHA-256.
#[cfg(any(test, target_arch = "wasm32"))]
#[allow(unsafe_code)]
mod lanes {
    use super::Fingerprint;
    use ops::*;

    /// The vector operations on four u32 lanes: SIMD128 in wasm.
    #[cfg(target_arch = "wasm32")]
    mod ops {
        use core::arch::wasm32::*;

        pub type V = v128;

        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn splat(x: u32) -> V {
            u32x4_splat(x)
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn from_array(a: [u32; 4]) -> V {
            u32x4(a[0], a[1], a[2], a[3])
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn to_array(v: V) -> [u32; 4] {
            [u32x4_extract_lane::<0>(v), u32x4_extract_lane::<1>(v), u32x4_extract_lane::<2>(v), u32x4_extract_lane::<3>(v)]
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn add(a: V, b: V) -> V {
            i32x4_add(a, b)
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn xor(a: V, b: V) -> V {
            v128_xor(a, b)
        }
        /// `(a & m) | (b & !m)`, bit by bit.
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn select(a: V, b: V, m: V) -> V {
            v128_bitselect(a, b, m)
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn shr<const N: u32>(a: V) -> V {
            u32x4_shr(a, N)
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn rotl<const N: u32>(a: V) -> V {
            v128_or(u32x4_shl(a, N), u32x4_shr(a, 32 - N))
        }

        /// Words `4g..4g + 4` of the four lanes' blocks, big-endian, one vector per word.
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn load4(blocks: [&[u8; 64]; 4], g: usize) -> [V; 4] {
            let at = |b: &[u8; 64]| {
                let bytes: &[u8; 16] = b[16 * g..16 * g + 16].try_into().unwrap_or(&[0; 16]);
                // SAFETY: `bytes` is 16 readable bytes; `v128_load` has no alignment requirement.
                unsafe { v128_load(bytes.as_ptr().cast::<v128>()) }
            };
            let (v0, v1, v2, v3) = (at(blocks[0]), at(blocks[1]), at(blocks[2]), at(blocks[3]));
            // Interleave words 0/1 and 2/3 of lanes 0 and 1 (and 2 and 3), byte-swapping each
            // word, then gather whole columns.
            let t0 = i8x16_shuffle::<3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20>(v0, v1);
            let t1 = i8x16_shuffle::<3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20>(v2, v3);
            let t2 = i8x16_shuffle::<11, 10, 9, 8, 27, 26, 25, 24, 15, 14, 13, 12, 31, 30, 29, 28>(v0, v1);
            let t3 = i8x16_shuffle::<11, 10, 9, 8, 27, 26, 25, 24, 15, 14, 13, 12, 31, 30, 29, 28>(v2, v3);
            [
                i32x4_shuffle::<0, 1, 4, 5>(t0, t1),
                i32x4_shuffle::<2, 3, 6, 7>(t0, t1),
                i32x4_shuffle::<0, 1, 4, 5>(t2, t3),
                i32x4_shuffle::<2, 3, 6, 7>(t2, t3),
            ]
        }
    }

    /// The same operations on `[u32; 4]`: what the native unit tests run.
    #[cfg(not(target_arch = "wasm32"))]
    mod ops {
        pub type V = [u32; 4];

        fn map(a: V, b: V, f: impl Fn(u32, u32) -> u32) -> V {
            [f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])]
        }
        pub fn splat(x: u32) -> V {
            [x; 4]
        }
        pub fn from_array(a: [u32; 4]) -> V {
            a
        }
        pub fn to_array(v: V) -> [u32; 4] {
            v
        }
        pub fn add(a: V, b: V) -> V {
            map(a, b, u32::wrapping_add)
        }
        pub fn xor(a: V, b: V) -> V {
            map(a, b, |x, y| x ^ y)
        }
        pub fn select(a: V, b: V, m: V) -> V {
            [0, 1, 2, 3].map(|i| (a[i] & m[i]) | (b[i] & !m[i]))
        }
        pub fn shr<const N: u32>(a: V) -> V {
            a.map(|x| x >> N)
        }
        pub fn rotl<const N: u32>(a: V) -> V {
            a.map(|x| x.rotate_left(N))
        }
        pub fn load4(blocks: [&[u8; 64]; 4], g: usize) -> [V; 4] {
            let word = |lane: usize, w: usize| {
                let i = 16 * g + 4 * w;
                u32::from_be_bytes([blocks[lane][i], blocks[lane][i + 1], blocks[lane][i + 2], blocks[lane][i + 3]])
            };
            [0, 1, 2, 3].map(|w| [word(0, w), word(1, w), word(2, w), word(3, w)])
        }
    }

    const SHA1_IV: [u32; 5] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0];
    const SHA256_IV: [u32; 8] = [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];
    const K256: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
        0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
        0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
        0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
        0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
        0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// The 16 message words of the four lanes' current blocks.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn load_block(blocks: [&[u8; 64]; 4]) -> [V; 16] {
        let [a, b, c, d] = [0, 1, 2, 3].map(|g| load4(blocks, g));
        [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], d[0], d[1], d[2], d[3]]
    }

    /// One SHA-256 compression of each lane's block into its state.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn sha256_compress(state: &mut [V; 8], mut w: [V; 16]) {
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        macro_rules! round {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $i:expr) => {{
                let i: usize = $i;
                if i >= 16 {
                    let (w15, w2) = (w[(i + 1) & 15], w[(i + 14) & 15]);
                    let s0 = xor(xor(rotl::<25>(w15), rotl::<14>(w15)), shr::<3>(w15));
                    let s1 = xor(xor(rotl::<15>(w2), rotl::<13>(w2)), shr::<10>(w2));
                    w[i & 15] = add(add(w[i & 15], s0), add(w[(i + 9) & 15], s1));
                }
                let big1 = xor(xor(rotl::<26>($e), rotl::<21>($e)), rotl::<7>($e));
                let t1 = add(add(add($h, big1), select($f, $g, $e)), add(splat(K256[i]), w[i & 15]));
                let big0 = xor(xor(rotl::<30>($a), rotl::<19>($a)), rotl::<10>($a));
                let t2 = add(big0, select($c, $a, xor($a, $b)));
                $d = add($d, t1);
                $h = add(t1, t2);
            }};
        }
        macro_rules! eight {
            ($i:expr) => {
                round!(a, b, c, d, e, f, g, h, $i);
                round!(h, a, b, c, d, e, f, g, $i + 1);
                round!(g, h, a, b, c, d, e, f, $i + 2);
                round!(f, g, h, a, b, c, d, e, $i + 3);
                round!(e, f, g, h, a, b, c, d, $i + 4);
                round!(d, e, f, g, h, a, b, c, $i + 5);
                round!(c, d, e, f, g, h, a, b, $i + 6);
                round!(b, c, d, e, f, g, h, a, $i + 7);
            };
        }
        eight!(0);
        eight!(8);
        eight!(16);
        eight!(24);
        eight!(32);
        eight!(40);
        eight!(48);
        eight!(56);
        for (s, x) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = add(*s, x);
        }
    }

    /// One SHA-1 compression of each lane's block into its state.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn sha1_compress(state: &mut [V; 5], mut w: [V; 16]) {
        let [mut a, mut b, mut c, mut d, mut e] = *state;
        macro_rules! round {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $i:expr) => {{
                let i: usize = $i;
                if i >= 16 {
                    let x = xor(xor(w[(i + 13) & 15], w[(i + 8) & 15]), xor(w[(i + 2) & 15], w[i & 15]));
                    w[i & 15] = rotl::<1>(x);
                }
                let (f, k) = match i / 20 {
                    0 => (select($c, $d, $b), 0x5a82_7999),
                    1 => (xor(xor($b, $c), $d), 0x6ed9_eba1),
                    2 => (select($d, $b, xor($b, $c)), 0x8f1b_bcdc),
                    _ => (xor(xor($b, $c), $d), 0xca62_c1d6),
                };
                $e = add(add(add($e, rotl::<5>($a)), f), add(splat(k), w[i & 15]));
                $b = rotl::<30>($b);
            }};
        }
        macro_rules! five {
            ($i:expr) => {
                round!(a, b, c, d, e, $i);
                round!(e, a, b, c, d, $i + 1);
                round!(d, e, a, b, c, $i + 2);
                round!(c, d, e, a, b, $i + 3);
                round!(b, c, d, e, a, $i + 4);
            };
        }
        five!(0);
        five!(5);
        five!(10);
        five!(15);
        five!(20);
        five!(25);
        five!(30);
        five!(35);
        five!(40);
        five!(45);
        five!(50);
        five!(55);
        five!(60);
        five!(65);
        five!(70);
        five!(75);
        for (s, x) in state.iter_mut().zip([a, b, c, d, e]) {
            *s = add(*s, x);
        }
    }

    /// What one lane is hashing.
    struct Lane<'m> {
        /// Index of its message in the batch; `None` once there is nothing left to take.
        message: Option<usize>,
        data: &'m [u8],
        /// Next block (0-based) and the number of blocks, padding included.
        block: usize,
        blocks: usize,
        /// The last one or two blocks: the message's tail, 0x80, zeros, the bit length.
        tail: [u8; 128],
    }

    impl<'m> Lane<'m> {
        fn start(message: Option<(usize, &'m [u8])>) -> Self {
            let Some((index, data)) = message else {
                return Lane { message: None, data: &[], block: 0, blocks: 0, tail: [0; 128] };
            };
            let full = data.len() / 64;
            let rest = &data[full * 64..];
            let mut tail = [0; 128];
            tail[..rest.len()].copy_from_slice(rest);
            tail[rest.len()] = 0x80;
            let tail_len = if rest.len() < 56 { 64 } else { 128 };
            tail[tail_len - 8..tail_len].copy_from_slice(&((data.len() as u64) * 8).to_be_bytes());
            Lane { message: Some(index), data, block: 0, blocks: full + tail_len / 64, tail }
        }

        fn current(&self) -> &[u8; 64] {
            const IDLE: [u8; 64] = [0; 64];
            let full = self.data.len() / 64;
            let bytes = if self.message.is_none() {
                &IDLE[..]
            } else if self.block < full {
                &self.data[64 * self.block..64 * self.block + 64]
            } else {
                &self.tail[64 * (self.block - full)..64 * (self.block - full) + 64]
            };
            bytes.try_into().unwrap_or(&IDLE)
        }
    }

    /// Replaces lane `lane` of each vector with `values`.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn set_lane<const N: usize>(state: &mut [V; N], lane: usize, values: &[u32; N]) {
        for (s, &v) in state.iter_mut().zip(values) {
            let mut a = to_array(*s);
            a[lane] = v;
            *s = from_array(a);
        }
    }

    /// Fingerprints of all `messages` into `out` (the same length), four lanes at a time.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn hash_many(messages: &[&[u8]], out: &mut [Fingerprint]) {
        let mut queue = messages.iter().copied().enumerate();
        let mut lanes: [Lane; 4] = [(); 4].map(|_| Lane::start(queue.next()));
        // Closures: functions with a target feature are not `Fn` values.
        #[allow(clippy::redundant_closure)]
        let mut s1 = SHA1_IV.map(|x| splat(x));
        #[allow(clippy::redundant_closure)]
        let mut s256 = SHA256_IV.map(|x| splat(x));
        while lanes.iter().any(|l| l.message.is_some()) {
            let w = load_block([lanes[0].current(), lanes[1].current(), lanes[2].current(), lanes[3].current()]);
            sha1_compress(&mut s1, w);
            sha256_compress(&mut s256, w);
            for (i, lane) in lanes.iter_mut().enumerate() {
                let Some(index) = lane.message else { continue };
                lane.block += 1;
                if lane.block < lane.blocks {
                    continue;
                }
                let (sha1, sha256) = &mut out[index];
                for (k, s) in s1.iter().enumerate() {
                    sha1[4 * k..4 * k + 4].copy_from_slice(&to_array(*s)[i].to_be_bytes());
                }
                for (k, s) in s256.iter().enumerate() {
                    sha256[4 * k..4 * k + 4].copy_from_slice(&to_array(*s)[i].to_be_bytes());
                }
                *lane = Lane::start(queue.next());
                set_lane(&mut s1, i, &SHA1_IV);
                set_lane(&mut s256, i, &SHA256_IV);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic bytes of `len` (a different stream per `seed`).
    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    }

    fn lengths() -> Vec<usize> {
        let mut v: Vec<usize> = (0..=300).collect();
        v.extend([511, 512, 513, 1000, 1023, 1024, 1025, 1300, 1500, 1855, 1856, 2047, 2048, 2049, 3000, 3071, 3072]);
        v
    }

    #[test]
    fn the_four_lanes_equal_the_crates_for_every_length() {
        let msgs: Vec<Vec<u8>> = lengths().iter().map(|&n| bytes(n, n as u32)).collect();
        let refs: Vec<&[u8]> = msgs.iter().map(Vec::as_slice).collect();
        let mut out = vec![([0; 20], [0; 32]); refs.len()];
        lanes::hash_many(&refs, &mut out);
        for (m, got) in refs.iter().zip(&out) {
            assert_eq!(*got, scalar(m), "length {}", m.len());
        }
    }

    #[test]
    fn batches_of_one_to_nine_mixed_lengths_equal_the_crates() {
        // Lanes finish at different times and take the next message; a batch may be smaller
        // than the four lanes.
        let pool: Vec<Vec<u8>> = [0, 55, 56, 64, 119, 120, 1300, 2900, 3, 640, 1855, 64, 1, 2049]
            .iter()
            .enumerate()
            .map(|(i, &n)| bytes(n, i as u32 + 7))
            .collect();
        for size in 1..=9 {
            for start in 0..pool.len() {
                let batch: Vec<&[u8]> = (0..size).map(|k| pool[(start + k * 3) % pool.len()].as_slice()).collect();
                let mut out = vec![([0; 20], [0; 32]); batch.len()];
                lanes::hash_many(&batch, &mut out);
                let expected: Vec<Fingerprint> = batch.iter().map(|m| scalar(m)).collect();
                assert_eq!(out, expected, "batch of {size} from {start}");
                assert_eq!(fingerprints(&batch), expected);
            }
        }
    }

    #[test]
    fn known_answers() {
        let out = fingerprints(&[b"abc", b"", b"abc"]);
        assert_eq!(crate::hex(&out[0].0), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(crate::hex(&out[0].1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(crate::hex(&out[1].1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(out[0], out[2]);
        assert!(fingerprints(&[]).is_empty());
    }
}
