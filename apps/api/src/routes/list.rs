//! The one shape of every list the api returns.

use serde::Serialize;
use utoipa::ToSchema;

/// A list: its items and the opaque cursor of the next page — `null` on the last page, and
/// always on lists that are never paged (they are bounded; docs/limits.md says by what).
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    /// Give it back as `cursor` for the next page; `null` when there is none.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> List<T> {
    /// A list that is complete in one response.
    pub fn complete(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }
}

impl<T: ToSchema> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::complete(iter.into_iter().collect())
    }
}
