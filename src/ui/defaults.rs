//! What a form pre-selects: the obvious choice, never a silent switch (plain Rust, tested
//! natively by `cargo test --lib`).
//!
//! - A key select with nothing chosen picks the only key there is. A choice the user made is
//!   kept, even when its key is removed (a selection never comes to point at another key).
//! - An issuer select (issuing CA, CRL issuer, PKCS#12 certificate) picks the newest option when
//!   one is added: the CA just made, the certificate just issued; with nothing chosen and one
//!   option, that one.

/// The key to pre-select among `keys` (ids, in order) when `current` is the selection.
pub fn key(current: Option<usize>, keys: &[usize]) -> Option<usize> {
    match (current, keys) {
        (None, [only]) => Some(*only),
        _ => current,
    }
}

/// The option to pre-select among `options` (in order of making) when `current` is the
/// selection and `before` options existed the last time: the newest one when the list grew.
pub fn newest(current: Option<usize>, before: usize, options: &[usize]) -> Option<usize> {
    match options {
        _ if options.len() > before => options.last().copied(),
        [only] if current.is_none() => Some(*only),
        _ => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_only_key_is_chosen_but_a_choice_is_never_switched() {
        assert_eq!(key(None, &[]), None);
        assert_eq!(key(None, &[3]), Some(3));
        assert_eq!(key(None, &[1, 3]), None);
        // The user chose key 2, which was removed: it stays chosen (and refused), never key 1.
        assert_eq!(key(Some(2), &[1]), Some(2));
        assert_eq!(key(Some(1), &[1, 3]), Some(1));
    }

    #[test]
    fn the_ca_just_made_is_chosen() {
        // Nothing made yet: nothing chosen (self-signed).
        assert_eq!(newest(None, 0, &[]), None);
        // A CA was made: it is the issuer.
        assert_eq!(newest(None, 0, &[0]), Some(0));
        // Another CA (index 2; index 1 was a leaf): it becomes the issuer.
        assert_eq!(newest(Some(0), 1, &[0, 2]), Some(2));
        // Nothing new: the user's choice (even self-signed) stays.
        assert_eq!(newest(Some(0), 2, &[0, 2]), Some(0));
        assert_eq!(newest(None, 2, &[0, 2]), None);
        // One option and nothing chosen (a section that was not there when it was made).
        assert_eq!(newest(None, 1, &[4]), Some(4));
    }
}
