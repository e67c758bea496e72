//! Base URLs from configuration and endpoints under them.

use reqwest::Url;

/// `raw` parsed, if it is an http(s) URL that can have paths appended; `None` otherwise, for
/// the adapter to report in its own terms at start-up.
pub fn parse_base_url(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    (matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base()).then_some(url)
}

/// `base` with `segments` appended as path segments, each percent-encoded as needed (spaces,
/// non-ASCII letters, `/`, `?` and `#` included), whether or not the base ends with a slash.
pub fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_base_urls() {
        assert!(parse_base_url("https://api.example.org/v1").is_some());
        for raw in ["ftp://example.org", "not a url", "mailto:a@example.org"] {
            assert_eq!(parse_base_url(raw), None, "{raw}");
        }
    }

    #[test]
    fn endpoint_segments_are_percent_encoded_under_the_base_path() {
        let base = Url::parse("http://127.0.0.1:1/prefix/").expect("valid");
        let url = endpoint(&base, &["entries", "en", "ice cream/AC?#"]);
        assert_eq!(url.path(), "/prefix/entries/en/ice%20cream%2FAC%3F%23");
    }
}
