//! Pagination, written once.
//!
//! A vendor call that lists things returns a [`Page`]: its items and, if there is more, the
//! [`Cursor`] of the next page. Three styles are covered:
//! - a cursor after the last item (`after` / `has_more` / `last_id`: OpenAI) — [`Page::after`];
//! - an opaque cursor (`cursor` / `nextCursor`: MATTR) — [`Page::opaque`];
//! - offset and limit (Segura) — [`Page::offset`].
//!
//! [`all_pages`] fetches page after page until there is no next cursor, bounded: at most
//! [`Bounds::max_pages`] pages, and it stops if a cursor comes back that was already used (a
//! server bug would otherwise loop forever). Either stop is reported in [`AllPages::stopped`],
//! never silently.

use std::future::Future;

use super::error::Error;

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// The id of the last item seen (`after=`).
    After(String),
    /// An opaque token from the previous page (`cursor=`).
    Opaque(String),
    /// The index of the first item (`offset=`).
    Offset(u64),
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in the vendor's order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page of an `after` / `has_more` listing: the next page starts after `last_id` (or the
    /// last item's id, by `id_of`) when `has_more`.
    pub fn after(items: Vec<T>, has_more: bool, last_id: Option<String>, id_of: impl Fn(&T) -> String) -> Page<T> {
        let next = if has_more { last_id.or_else(|| items.last().map(id_of)).map(Cursor::After) } else { None };
        Page { items, next }
    }

    /// A page of an opaque-cursor listing: `next_cursor` absent, null or empty means the end.
    pub fn opaque(items: Vec<T>, next_cursor: Option<String>) -> Page<T> {
        Page { next: next_cursor.filter(|c| !c.is_empty()).map(Cursor::Opaque), items }
    }

    /// A page of an offset / limit listing that started at `offset` and asked for `limit`: a
    /// full page may have a successor, a short one is the last.
    pub fn offset(items: Vec<T>, offset: u64, limit: u64) -> Page<T> {
        let full = limit > 0 && items.len() as u64 >= limit;
        Page { next: full.then(|| Cursor::Offset(offset + items.len() as u64)), items }
    }
}

/// Limits of [`all_pages`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Most pages fetched.
    pub max_pages: usize,
}

impl Default for Bounds {
    /// 100 pages.
    fn default() -> Bounds {
        Bounds { max_pages: 100 }
    }
}

/// Why [`all_pages`] stopped before the last page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// [`Bounds::max_pages`] pages were fetched and there was still a next one.
    PageCap(usize),
    /// The vendor sent a cursor that was already used.
    RepeatedCursor(Cursor),
}

/// What [`all_pages`] collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllPages<T> {
    /// Every item of every page fetched, in order.
    pub items: Vec<T>,
    /// Pages fetched.
    pub pages: usize,
    /// `None` if the last page was reached; else why not.
    pub stopped: Option<Stop>,
}

/// Fetches every page: `fetch(None)` first, then `fetch(Some(next))` while a page has a next
/// cursor, within `bounds`.
///
/// # Errors
/// The first error of `fetch`.
pub async fn all_pages<T, F, Fut>(bounds: Bounds, mut fetch: F) -> Result<AllPages<T>, Error>
where
    F: FnMut(Option<Cursor>) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let mut items = Vec::new();
    let mut seen: Vec<Cursor> = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        if pages >= bounds.max_pages.max(1) {
            return Ok(AllPages { items, pages, stopped: Some(Stop::PageCap(pages)) });
        }
        let page = fetch(cursor.take()).await?;
        pages += 1;
        items.extend(page.items);
        match page.next {
            None => return Ok(AllPages { items, pages, stopped: None }),
            Some(next) if seen.contains(&next) => return Ok(AllPages { items, pages, stopped: Some(Stop::RepeatedCursor(next)) }),
            Some(next) => {
                seen.push(next.clone());
                cursor = Some(next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    fn run<F: Future>(f: F) -> F::Output {
        futures_executor::block_on(f)
    }

    #[test]
    fn after_cursor_pages_until_has_more_is_false() {
        let data = ["a", "b", "c", "d", "e"];
        let asked = RefCell::new(Vec::new());
        let all = run(all_pages(Bounds::default(), |cursor| {
            asked.borrow_mut().push(cursor.clone());
            let start = match cursor {
                Some(Cursor::After(id)) => data.iter().position(|d| *d == id).unwrap() + 1,
                _ => 0,
            };
            let items: Vec<&str> = data[start..].iter().take(2).copied().collect();
            let has_more = start + items.len() < data.len();
            async move { Ok(Page::after(items, has_more, None, |s| (*s).to_owned())) }
        }))
        .unwrap();
        assert_eq!(all.items, data);
        assert_eq!(all.stopped, None);
        assert_eq!(*asked.borrow(), [None, Some(Cursor::After("b".into())), Some(Cursor::After("d".into()))]);
    }

    #[test]
    fn opaque_cursor_and_offset() {
        let all = run(all_pages(Bounds::default(), |cursor| async move {
            Ok(match cursor {
                None => Page::opaque(vec![1, 2], Some("Y3Vyc29yMQ==".into())),
                Some(Cursor::Opaque(c)) if c == "Y3Vyc29yMQ==" => Page::opaque(vec![3], Some(String::new())),
                other => panic!("{other:?}"),
            })
        }))
        .unwrap();
        assert_eq!((all.items, all.pages, all.stopped), (vec![1, 2, 3], 2, None));

        let rows: Vec<u64> = (0..7).collect();
        let all = run(all_pages(Bounds::default(), |cursor| {
            let offset = match cursor {
                Some(Cursor::Offset(o)) => o,
                _ => 0,
            };
            let items: Vec<u64> = rows.iter().skip(offset as usize).take(3).copied().collect();
            async move { Ok(Page::offset(items, offset, 3)) }
        }))
        .unwrap();
        assert_eq!(all.items, rows);
        assert_eq!(all.pages, 3);
    }

    #[test]
    fn bounded_by_a_page_cap_and_a_repeated_cursor() {
        let n = RefCell::new(0u64);
        let all = run(all_pages(Bounds { max_pages: 3 }, |_| {
            *n.borrow_mut() += 1;
            let i = *n.borrow();
            async move { Ok(Page::opaque(vec![i], Some(format!("c{i}")))) }
        }))
        .unwrap();
        assert_eq!((all.items, all.stopped), (vec![1, 2, 3], Some(Stop::PageCap(3))));

        let all = run(all_pages(Bounds::default(), |cursor| async move {
            Ok(match cursor {
                None => Page::opaque(vec![1], Some("same".into())),
                Some(_) => Page::opaque(vec![2], Some("same".into())),
            })
        }))
        .unwrap();
        assert_eq!((all.items, all.stopped), (vec![1, 2], Some(Stop::RepeatedCursor(Cursor::Opaque("same".into())))));
    }

    #[test]
    fn errors_stop_the_walk() {
        let r: Result<AllPages<u8>, Error> = run(all_pages(Bounds::default(), |cursor| async move {
            match cursor {
                None => Ok(Page::opaque(vec![1], Some("x".into()))),
                Some(_) => Err(Error::Auth("boom".into())),
            }
        }));
        assert_eq!(r, Err(Error::Auth("boom".into())));
    }
}
