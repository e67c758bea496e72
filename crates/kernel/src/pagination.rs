//! Cursor pagination shared by every listing endpoint.

use serde::{Deserialize, Serialize};

/// How many items a page may hold at most, whatever the client asks for.
pub const MAX_PAGE_SIZE: u32 = 200;
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// A validated page size: 1..=MAX_PAGE_SIZE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(u32);

impl PageSize {
    /// Clamps the requested size into range; absent means the default.
    pub fn clamped(requested: Option<u32>) -> Self {
        Self(
            requested
                .unwrap_or(DEFAULT_PAGE_SIZE)
                .clamp(1, MAX_PAGE_SIZE),
        )
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// One page of items plus the opaque cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped_into_range() {
        assert_eq!(PageSize::clamped(None).get(), DEFAULT_PAGE_SIZE);
        assert_eq!(PageSize::clamped(Some(0)).get(), 1);
        assert_eq!(PageSize::clamped(Some(10_000)).get(), MAX_PAGE_SIZE);
        assert_eq!(PageSize::clamped(Some(7)).get(), 7);
    }
}
