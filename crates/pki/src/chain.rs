//! Bundle tools: remove duplicates and order certificates as a chain (leaf, intermediates, root).
//!
//! Both run in O(n) expected time (hash maps keyed by subject and issuer bytes and key
//! identifiers), whatever the bundle: a long chain in any order, thousands of certificates with
//! the same subject, cross-signed loops.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::CertificateInfo;

/// Indices of the certificates to keep after removing duplicates (same SHA-256), first wins.
pub fn dedupe(certs: &[CertificateInfo]) -> Vec<usize> {
    let mut seen = HashSet::new();
    (0..certs.len()).filter(|&i| seen.insert(certs[i].sha256_fingerprint.as_str())).collect()
}

/// The result of ordering a bundle as a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainOrder {
    /// Indices into the input: the chain first (leaf → root), then the certificates that do not fit.
    pub order: Vec<usize>,
    /// How many entries of `order` form the chain.
    pub chain_len: usize,
    /// Why certificates do not fit, and how the chain ends, one sentence each.
    pub notes: Vec<String>,
}

/// `child` names `parent` as its issuer: same DN bytes, and when both key identifiers are
/// present, the same key identifier.
#[cfg(test)]
fn issued_by(child: &CertificateInfo, parent: &CertificateInfo) -> bool {
    child.issuer_raw() == parent.subject_raw()
        && match (&child.authority_key_identifier, &parent.subject_key_identifier) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
}

/// A name and an optional key identifier, the key of the indexes below.
type Key<'a> = (&'a [u8], Option<&'a str>);

/// Certificates grouped by a name and key identifier, each group in input order, with lookups
/// that answer "which certificates match `(name, id)` under the [`issued_by`] rule" in O(1): an
/// identifier matches the same identifier or none, and no identifier matches every one.
struct Index<'a> {
    /// By name and key identifier (`None` for certificates without one).
    by_key: HashMap<Key<'a>, Vec<usize>>,
    /// By name alone.
    by_name: HashMap<&'a [u8], Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(entries: impl Iterator<Item = (usize, Key<'a>)>) -> Self {
        let mut by_key: HashMap<Key<'a>, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<&'a [u8], Vec<usize>> = HashMap::new();
        for (i, (name, id)) in entries {
            by_key.entry((name, id)).or_default().push(i);
            by_name.entry(name).or_default().push(i);
        }
        Index { by_key, by_name }
    }

    /// The groups whose members match `(name, id)`: every certificate is in exactly one of them.
    fn groups(&self, name: &'a [u8], id: Option<&'a str>) -> [Option<&Vec<usize>>; 2] {
        match id {
            Some(id) => [self.by_key.get(&(name, Some(id))), self.by_key.get(&(name, None))],
            None => [self.by_name.get(name), None],
        }
    }

    /// The first match in input order other than `not`.
    fn first_except(&self, name: &'a [u8], id: Option<&'a str>, not: usize) -> Option<usize> {
        // Groups are in input order and hold `not` at most once, so the first two entries suffice.
        self.groups(name, id).into_iter().flatten().filter_map(|g| g.iter().take(2).copied().find(|&j| j != not)).min()
    }
}

/// Orders `certs` as a chain from the best leaf up to a root, and explains the rest.
///
/// The issuer of a certificate is the first other certificate, in input order, that
/// [`issued_by`] accepts (self-signed certificates have none). The leaf is a certificate that
/// issued nothing, preferring non-CAs, then the longest chain, then the first in input order.
pub fn order_chain(certs: &[CertificateInfo]) -> ChainOrder {
    let n = certs.len();
    let subjects = Index::new(certs.iter().enumerate().map(|(i, c)| (i, (c.subject_raw(), c.subject_key_identifier.as_deref()))));
    // Only certificates that are not self-signed count as issued by another.
    let children = Index::new(
        certs.iter().enumerate().filter(|(_, c)| !c.self_signed).map(|(i, c)| (i, (c.issuer_raw(), c.authority_key_identifier.as_deref()))),
    );
    let issuer_of: Vec<Option<usize>> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.self_signed {
                return None;
            }
            subjects.first_except(c.issuer_raw(), c.authority_key_identifier.as_deref(), i)
        })
        .collect();
    let issues_something: Vec<bool> = certs
        .iter()
        .enumerate()
        .map(|(j, c)| children.first_except(c.subject_raw(), c.subject_key_identifier.as_deref(), j).is_some())
        .collect();
    let lengths = path_lengths(&issuer_of);
    let chain_from = |start: usize| {
        let mut path = vec![start];
        let mut on_path = vec![false; n];
        on_path[start] = true;
        let mut cur = start;
        while let Some(p) = issuer_of[cur] {
            if on_path[p] {
                break;
            }
            on_path[p] = true;
            path.push(p);
            cur = p;
        }
        path
    };
    let best = (0..n)
        .filter(|&i| !issues_something[i])
        .map(|i| (!certs[i].is_ca, lengths[i], i))
        // `max_by_key` keeps the last of equal candidates; reversed, the first in input order wins.
        .rev()
        .max_by_key(|&(leafish, len, _)| (leafish, len))
        .map(|(_, _, i)| chain_from(i))
        .unwrap_or_else(|| if n > 0 { chain_from(0) } else { Vec::new() });
    debug_assert!(best.is_empty() || best.len() == lengths[best[0]]);

    let mut notes = Vec::new();
    if let Some(&top) = best.last() {
        if !certs[top].self_signed {
            notes.push(format!("the chain ends at {}: its issuer {} is not in the bundle", describe(&certs[top]), certs[top].issuer_dn));
        }
    }
    // Position of each certificate in the chain, and per group of `children`, the earliest
    // chain member in it (for "also matches the issuer of …").
    let mut chain_pos = vec![None; n];
    for (k, &b) in best.iter().enumerate() {
        chain_pos[b] = Some(k);
    }
    let earliest = |g: &Vec<usize>| g.iter().filter_map(|&b| chain_pos[b]).min();
    let first_in_key: HashMap<&Key, usize> = children.by_key.iter().filter_map(|(k, g)| earliest(g).map(|p| (k, p))).collect();
    let first_in_name: HashMap<&[u8], usize> = children.by_name.iter().filter_map(|(k, g)| earliest(g).map(|p| (*k, p))).collect();
    let chain_fingerprints: HashSet<&str> = best.iter().map(|&b| certs[b].sha256_fingerprint.as_str()).collect();

    let mut order = best.clone();
    for (i, c) in certs.iter().enumerate() {
        if chain_pos[i].is_some() {
            continue;
        }
        let (name, id) = (c.subject_raw(), c.subject_key_identifier.as_deref());
        let matched = match id {
            Some(_) => [first_in_key.get(&(name, id)), first_in_key.get(&(name, None))].into_iter().flatten().min(),
            None => first_in_name.get(name),
        };
        let reason = if chain_fingerprints.contains(c.sha256_fingerprint.as_str()) {
            "is a duplicate of a certificate in the chain".to_string()
        } else if let Some(&k) = matched {
            format!("also matches the issuer of {} but another certificate was chosen", describe(&certs[best[k]]))
        } else {
            "did not issue any certificate of the chain and is not issued by one".to_string()
        };
        notes.push(format!("{} {reason}", describe(c)));
        order.push(i);
    }
    ChainOrder { order, chain_len: best.len(), notes }
}

/// For each node of the graph `next` (each node has at most one successor), how many distinct
/// nodes a walk from it visits, itself included: the path up to its end, or up to and around
/// the loop it runs into. O(n).
fn path_lengths(next: &[Option<usize>]) -> Vec<usize> {
    const UNSEEN: usize = 0;
    const ON_STACK: usize = usize::MAX;
    let n = next.len();
    // 0: not visited; ON_STACK: on the current walk; otherwise the length.
    let mut len = vec![UNSEEN; n];
    let mut walk = Vec::new();
    let mut pos_in_walk = vec![0usize; n];
    for start in 0..n {
        if len[start] != UNSEEN {
            continue;
        }
        walk.clear();
        let mut cur = Some(start);
        // Walk until the end, a node already measured, or a node of this walk (a loop).
        let mut base = 0;
        while let Some(v) = cur {
            match len[v] {
                UNSEEN => {
                    len[v] = ON_STACK;
                    pos_in_walk[v] = walk.len();
                    walk.push(v);
                    cur = next[v];
                }
                ON_STACK => {
                    // A loop: every node on it reaches exactly the loop's nodes.
                    let loop_start = pos_in_walk[v];
                    let loop_len = walk.len() - loop_start;
                    for &u in &walk[loop_start..] {
                        len[u] = loop_len;
                    }
                    walk.truncate(loop_start);
                    base = loop_len;
                    break;
                }
                measured => {
                    base = measured;
                    break;
                }
            }
        }
        for (k, &u) in walk.iter().rev().enumerate() {
            len[u] = base + k + 1;
        }
    }
    len
}

fn describe(c: &CertificateInfo) -> String {
    format!("certificate {} ({})", c.index + 1, if c.subject_dn.is_empty() { "empty subject" } else { &c.subject_dn })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former quadratic / cubic implementation, kept as the reference the indexed one must
    /// agree with.
    fn order_chain_reference(certs: &[CertificateInfo]) -> ChainOrder {
        let n = certs.len();
        let issuer_of = |i: usize| (0..n).find(|&j| j != i && !certs[i].self_signed && issued_by(&certs[i], &certs[j]));
        let issues_something: Vec<bool> =
            (0..n).map(|j| (0..n).any(|i| i != j && !certs[i].self_signed && issued_by(&certs[i], &certs[j]))).collect();
        let chain_from = |start: usize| {
            let mut path = vec![start];
            let mut cur = start;
            while let Some(p) = issuer_of(cur) {
                if path.contains(&p) {
                    break;
                }
                path.push(p);
                cur = p;
            }
            path
        };
        let best = (0..n)
            .filter(|&i| !issues_something[i])
            .map(|i| (!certs[i].is_ca, chain_from(i)))
            .rev()
            .max_by_key(|(leafish, path)| (*leafish, path.len()))
            .map(|(_, p)| p)
            .unwrap_or_else(|| if n > 0 { chain_from(0) } else { Vec::new() });
        let mut notes = Vec::new();
        if let Some(&top) = best.last() {
            if !certs[top].self_signed {
                notes.push(format!(
                    "the chain ends at {}: its issuer {} is not in the bundle",
                    describe(&certs[top]),
                    certs[top].issuer_dn
                ));
            }
        }
        let mut order = best.clone();
        for i in 0..n {
            if best.contains(&i) {
                continue;
            }
            let c = &certs[i];
            let reason = if best.iter().any(|&b| certs[b].sha256_fingerprint == c.sha256_fingerprint) {
                "is a duplicate of a certificate in the chain".to_string()
            } else if let Some(&b) = best.iter().find(|&&b| issued_by(&certs[b], c) && !certs[b].self_signed) {
                format!("also matches the issuer of {} but another certificate was chosen", describe(&certs[b]))
            } else {
                "did not issue any certificate of the chain and is not issued by one".to_string()
            };
            notes.push(format!("{} {reason}", describe(c)));
            order.push(i);
        }
        ChainOrder { order, chain_len: best.len(), notes }
    }

    #[test]
    fn path_lengths_of_paths_loops_and_tails() {
        assert_eq!(path_lengths(&[]), Vec::<usize>::new());
        assert_eq!(path_lengths(&[Some(1), Some(2), None]), [3, 2, 1]);
        // 0 → 1 → 2 → 1 (a loop of two with a tail), 3 alone, 4 → 4.
        assert_eq!(path_lengths(&[Some(1), Some(2), Some(1), None, Some(4)]), [3, 2, 2, 1, 1]);
        // Reached from a measured node.
        assert_eq!(path_lengths(&[Some(2), Some(0), None]), [2, 3, 1]);
    }

    /// Subject, issuer, SKI, AKI, CA flag and fingerprint of a synthetic certificate.
    type Spec = (u8, u8, Option<u8>, Option<u8>, bool, u8);

    /// Synthetic certificates: only the fields `order_chain` reads. Names are one byte, so the
    /// tests can make any pattern of issuers, identifiers, loops and duplicates.
    fn synthetic(spec: &[Spec]) -> Vec<CertificateInfo> {
        let template = super::super::cert::inspect(include_bytes!("../../../tests/data/chain/leaf.der"), 0, String::new(), false).unwrap();
        spec.iter()
            .enumerate()
            .map(|(i, &(subject, issuer, ski, aki, is_ca, fp))| {
                let self_signed = subject == issuer
                    && match (ski, aki) {
                        (Some(s), Some(a)) => s == a,
                        _ => true,
                    };
                CertificateInfo {
                    index: i,
                    subject_dn: format!("CN=s{subject}"),
                    issuer_dn: format!("CN=s{issuer}"),
                    subject_key_identifier: ski.map(|k| format!("{k:02x}")),
                    authority_key_identifier: aki.map(|k| format!("{k:02x}")),
                    is_ca,
                    self_signed,
                    sha256_fingerprint: format!("{fp:064x}"),
                    subject_range: 0..1,
                    issuer_range: 1..2,
                    der: vec![subject, issuer],
                    ..template.clone()
                }
            })
            .collect()
    }

    #[test]
    fn indexed_order_matches_the_reference_on_random_bundles() {
        // A small deterministic generator (xorshift), so the test needs no extra crate.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m) as u8
        };
        for round in 0..3000 {
            let n = 1 + (round % 9) as usize;
            let spec: Vec<_> = (0..n)
                .map(|_| {
                    let id = |v: u8| (v < 3).then_some(v);
                    (next(4), next(4), id(next(5)), id(next(5)), next(2) == 0, next(6))
                })
                .collect();
            let certs = synthetic(&spec);
            assert_eq!(order_chain(&certs), order_chain_reference(&certs), "{spec:?}");
        }
    }
}
