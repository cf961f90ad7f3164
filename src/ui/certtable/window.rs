//! Which rows of a certificate table are rendered. Up to [`WINDOW_FROM`] rows, all of them (each
//! as high as its content). From there on the table is *windowed*: every row is one line of
//! [`ROW_HEIGHT`] pixels, the scroll box is [`VIEWPORT_HEIGHT`] high, and only the rows in view
//! plus [`OVERSCAN`] on each side are in the DOM, with spacer rows standing in for the others, so
//! 30,000 certificates scroll as smoothly as 3. Pure Rust, unit-tested natively (see `lib.rs`).

/// Row count from which the table is windowed.
pub const WINDOW_FROM: usize = 200;
/// Height of a windowed row in pixels (matches `.cert-table.windowed td` in `style/main.css`).
pub const ROW_HEIGHT: f64 = 34.0;
/// Height of a windowed table's scroll box in pixels.
pub const VIEWPORT_HEIGHT: f64 = 408.0;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 6;

/// The rows to render: `first..last` of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub last: usize,
    pub total: usize,
    /// Whether only `first..last` is rendered (one-line rows, fixed height, spacers).
    pub windowed: bool,
}

impl Window {
    /// The window for `total` rows with the scroll box scrolled `scroll_top` pixels down.
    pub fn at(total: usize, scroll_top: f64) -> Window {
        if total < WINDOW_FROM {
            return Window { first: 0, last: total, total, windowed: false };
        }
        let top = if scroll_top.is_finite() && scroll_top > 0.0 { scroll_top } else { 0.0 };
        let first = ((top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN).min(total);
        let count = (VIEWPORT_HEIGHT / ROW_HEIGHT) as usize + 2 * OVERSCAN;
        Window { first, last: first.saturating_add(count).min(total), total, windowed: true }
    }

    /// Height in pixels of the spacer standing in for the rows before `first`.
    pub fn above_px(&self) -> f64 {
        self.first as f64 * ROW_HEIGHT
    }

    /// Height in pixels of the spacer standing in for the rows after `last`.
    pub fn below_px(&self) -> f64 {
        (self.total - self.last) as f64 * ROW_HEIGHT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_tables_render_every_row_without_spacers() {
        for total in [0, 1, 105, WINDOW_FROM - 1] {
            let w = Window::at(total, 5_000.0);
            assert_eq!(w, Window { first: 0, last: total, total, windowed: false });
            assert_eq!((w.above_px(), w.below_px()), (0.0, 0.0));
        }
    }

    #[test]
    fn big_tables_render_only_the_rows_in_view() {
        let w = Window::at(30_000, 0.0);
        assert!(w.windowed);
        assert_eq!((w.first, w.last), (0, 24));
        assert_eq!(w.below_px(), (30_000 - 24) as f64 * ROW_HEIGHT);
        // Scrolled to row 1000: a few rows of margin before it, the view and a margin after.
        let w = Window::at(30_000, 1000.0 * ROW_HEIGHT);
        assert_eq!((w.first, w.last), (1000 - OVERSCAN, 1000 - OVERSCAN + 24));
        assert_eq!(w.above_px() + (w.last - w.first) as f64 * ROW_HEIGHT + w.below_px(), 30_000.0 * ROW_HEIGHT);
    }

    #[test]
    fn scrolled_to_the_end_reaches_the_last_row_and_never_past_it() {
        let total = 30_000;
        let w = Window::at(total, total as f64 * ROW_HEIGHT - VIEWPORT_HEIGHT);
        assert_eq!(w.last, total);
        assert!(w.first < total);
        // A scroll position left over from a longer list (after "Remove duplicates").
        let w = Window::at(WINDOW_FROM, 1e9);
        assert_eq!((w.first, w.last), (WINDOW_FROM, WINDOW_FROM));
        assert_eq!(w.below_px(), 0.0);
        // Nonsense positions count as the top.
        assert_eq!(Window::at(total, f64::NAN).first, 0);
        assert_eq!(Window::at(total, -50.0).first, 0);
    }
}
