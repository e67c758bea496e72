//! Pronunciation audio: `GET /api/v1/audio/{id}` serves rendered audio with its content type, a
//! strong `ETag` (the SHA-256 of the bytes), `Cache-Control` (an id names one rendering forever,
//! so caches may keep it), `304` on a matching `If-None-Match`, and single byte ranges (`206`,
//! `416` past the end; `If-Range` with another tag serves the whole file). Public: the audio is
//! of dictionary words, the same for everyone.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// An id names one rendering forever.
pub const AUDIO_CACHE: &str = "public, max-age=31536000, immutable";

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    /// Inclusive byte positions.
    Part(u64, u64),
    Unsatisfiable,
}

/// One range of `bytes=` (`a-b`, `a-`, `-n`); anything else (other units, several ranges,
/// nonsense) is ignored and the whole body served, as RFC 9110 §14.2 allows.
pub fn wanted(range: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = |s: &str| s.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        // The last n bytes.
        (true, false) => match parsed(last) {
            Some(0) => Wanted::Unsatisfiable,
            Some(n) if len > 0 => Wanted::Part(len.saturating_sub(n), len - 1),
            Some(_) => Wanted::Unsatisfiable,
            None => Wanted::Whole,
        },
        (false, _) => {
            let Some(start) = parsed(first) else {
                return Wanted::Whole;
            };
            let end = if last.is_empty() {
                Some(u64::MAX)
            } else {
                parsed(last)
            };
            match end {
                None => Wanted::Whole,
                Some(end) if end < start => Wanted::Whole,
                Some(_) if start >= len => Wanted::Unsatisfiable,
                Some(end) => Wanted::Part(start, end.min(len - 1)),
            }
        }
        (true, true) => Wanted::Whole,
    }
}

/// Weak comparison, as for `If-None-Match` (RFC 9110 §13.1.2).
fn matches(list: &str, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    list.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

/// The audio's bytes.
#[utoipa::path(get, path = "/api/v1/audio/{id}", tag = "dictionary",
    params(("id" = String, Path, description = "The audio's id (32 hex digits), from an `audio_url`"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` a client holds")),
    responses(
        (status = 200, description = "The audio (audio/ogg or audio/mpeg)", content_type = "audio/ogg", body = super::binary::DownloadedFile),
        (status = 206, description = "The requested byte range", content_type = "audio/ogg", body = super::binary::DownloadedFile),
        (status = 304, description = "The client's copy is current"),
        (status = 404, description = "No such audio", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range starts past the end", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let audio = state.pronunciation.audio(&path).await?;
    let etag = format!("\"{}\"", &audio.digest[..32.min(audio.digest.len())]);
    let text = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if text(header::IF_NONE_MATCH).is_some_and(|v| matches(&v, &etag)) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, AUDIO_CACHE))
            .finish());
    }
    let len = audio.bytes.len() as u64;
    // A range is for the representation the client has: another tag gets the whole file.
    let range = match text(header::IF_RANGE) {
        Some(tag) if tag.trim() != etag => None,
        _ => text(header::RANGE),
    };
    let mut response = match wanted(range.as_deref(), len) {
        Wanted::Whole => HttpResponse::Ok(),
        Wanted::Part(..) => HttpResponse::PartialContent(),
        Wanted::Unsatisfiable => {
            let mut refused = Problem::new(actix_web::http::StatusCode::RANGE_NOT_SATISFIABLE)
                .detail(format!("the audio has {len} bytes"))
                .with_request_id()
                .response();
            if let Ok(value) = header::HeaderValue::from_str(&format!("bytes */{len}")) {
                refused.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(refused);
        }
    };
    response
        .content_type(audio.content_type.as_str())
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, AUDIO_CACHE))
        .insert_header((header::ACCEPT_RANGES, "bytes"));
    Ok(match wanted(range.as_deref(), len) {
        Wanted::Part(start, end) => response
            .insert_header((header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}")))
            .body(audio.bytes[start as usize..=end as usize].to_vec()),
        _ => response.body(audio.bytes.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_byte_ranges_are_honoured_and_others_serve_the_whole() {
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0, 9));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=90-500"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-10"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-500"), 100), Wanted::Part(0, 99));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=9-1"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=x-"), 100), Wanted::Whole);
    }
}
