//! Bundle tools: remove duplicates and order certificates as a chain (leaf, intermediates, root).

use serde::Serialize;

use super::CertificateInfo;

/// Indices of the certificates to keep after removing duplicates (same SHA-256), first wins.
pub fn dedupe(certs: &[CertificateInfo]) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
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

fn issued_by(child: &CertificateInfo, parent: &CertificateInfo) -> bool {
    child.issuer_raw() == parent.subject_raw()
        && match (&child.authority_key_identifier, &parent.subject_key_identifier) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
}

/// Orders `certs` as a chain from the best leaf up to a root, and explains the rest.
pub fn order_chain(certs: &[CertificateInfo]) -> ChainOrder {
    let n = certs.len();
    let issuer_of = |i: usize| (0..n).find(|&j| j != i && !certs[i].self_signed && issued_by(&certs[i], &certs[j]));
    let issues_something: Vec<bool> =
        (0..n).map(|j| (0..n).any(|i| i != j && !certs[i].self_signed && issued_by(&certs[i], &certs[j]))).collect();
    // The leaf: a certificate that issued nothing, preferring non-CAs, then the longest chain.
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
        // `max_by_key` keeps the last of equal candidates; reversed, the first in input order wins.
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

fn describe(c: &CertificateInfo) -> String {
    format!("certificate {} ({})", c.index + 1, if c.subject_dn.is_empty() { "empty subject" } else { &c.subject_dn })
}
