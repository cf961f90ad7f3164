//! Ids for the keys the workshop holds. An id is never handed out twice in a page's life, so a
//! selection that names a removed key ("Key to export", a CA's issuing key) can never come to
//! point at a key made later. Pure Rust, unit-tested natively (see `lib.rs`).

/// Hands out 1, 2, 3, … and never an id it handed out before, whatever was removed since.
#[derive(Clone, Copy, Debug)]
pub struct KeyIds {
    next: usize,
}

impl Default for KeyIds {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyIds {
    /// Starts at 1.
    pub const fn new() -> Self {
        Self { next: 1 }
    }

    /// The next id (strictly greater than every id returned before).
    pub fn allocate(&mut self) -> usize {
        let id = self.next;
        // usize::MAX allocations cannot happen in a page; saturate rather than wrap if they did.
        self.next = self.next.saturating_add(1);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::KeyIds;

    #[test]
    fn ids_only_increase_even_after_the_highest_is_removed() {
        let mut ids = KeyIds::new();
        let mut held = vec![ids.allocate(), ids.allocate()];
        assert_eq!(held, [1, 2]);
        // The user picks key 2 for export, then removes it.
        let chosen = 2;
        held.retain(|&id| id != chosen);
        let new = ids.allocate();
        assert_eq!(new, 3, "a new key must not take the removed key's id");
        assert_ne!(new, chosen);
        held.push(new);
        // Removing everything does not restart the sequence either.
        held.clear();
        assert_eq!(ids.allocate(), 4);
    }

    #[test]
    fn every_new_id_is_above_all_earlier_ones_whatever_is_removed() {
        let mut ids = KeyIds::new();
        let mut held: Vec<usize> = Vec::new();
        let mut highest = 0;
        for round in 0..300 {
            let id = ids.allocate();
            assert!(id > highest, "round {round}: id {id} is not above {highest}");
            highest = id;
            held.push(id);
            // Remove the highest key every third round, the oldest every fifth.
            if round % 3 == 0 {
                held.pop();
            }
            if round % 5 == 0 && !held.is_empty() {
                held.remove(0);
            }
        }
    }
}
