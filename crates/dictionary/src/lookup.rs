//! Looking a word up: cache, then the stores, then the external providers in order.

use lingo_kernel::LanguageCode;

/// The cache key of a lookup of `key` (a fold key) in `language`.
pub fn cache_key(language: &LanguageCode, key: &str) -> String {
    format!("dict:v1:{language}:{key}")
}
