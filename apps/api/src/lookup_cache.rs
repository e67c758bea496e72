//! Cached dictionary lookups without a round trip: the serialised body of
//! `GET /dictionary/{lang}/words/{lemma}`, its gzip form and its `ETag`, kept in-process
//! (`lingo_kernel::near_cache`) under the language's lookup version, in front of the Redis
//! cache and its stampede lock (a miss here is an ordinary `LookupService::lookup`).
//! An import or reconciliation changes the version; every replica sees it within
//! `LookupSettings::version_poll` and serves nothing older (docs/performance.md). A word whose
//! audio is being rendered is served from here for `PENDING_TTL` only.

use crate::conditional::etag_of;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use flate2::Compression;
use flate2::write::GzEncoder;
use lingo_kernel::LanguageCode;
use lingo_kernel::near_cache::{NearCache, Weigh};
use std::io::Write;
use std::time::{Duration, Instant};

/// In-process lookup bodies at most (plain and gzip together).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The longest an in-process body is kept, whatever the version says.
pub const TTL: Duration = Duration::from_secs(300);
/// The longest a body whose audio is still being rendered is kept: its next lookup after that
/// asks the audio store again (and names the audio once it exists).
pub const PENDING_TTL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct LookupBody {
    json: Bytes,
    gzip: Bytes,
    etag: HeaderValue,
    /// Set when the audio is pending: served until then only.
    until: Option<Instant>,
}

impl Weigh for LookupBody {
    fn weight(&self) -> usize {
        self.json.len() + self.gzip.len() + 64
    }
}

impl LookupBody {
    fn new(json: Vec<u8>) -> Result<Self, ApiError> {
        let etag = HeaderValue::from_str(&etag_of(&json))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 3), Compression::fast());
        encoder
            .write_all(&json)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let gzip = encoder
            .finish()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Self {
            json: Bytes::from(json),
            gzip: Bytes::from(gzip),
            etag,
            until: None,
        })
    }

    /// The body in gzip when the client takes it; otherwise plain (left to `Compress`).
    fn response(&self, req: &HttpRequest) -> HttpResponse {
        let mut response = HttpResponse::Ok();
        response
            .content_type("application/json")
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")));
        if prefers_gzip(req) {
            response
                .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .body(self.gzip.clone())
        } else {
            response.body(self.json.clone())
        }
    }
}

pub type LookupBodies = NearCache<LookupBody>;

pub fn bodies() -> LookupBodies {
    NearCache::new(MAX_BYTES, TTL)
}

/// gzip is acceptable (a non-zero weight, by name or `*`) and no other coding weighs more: the
/// cached gzip body is served; otherwise `Compress` negotiates as for any response.
fn prefers_gzip(req: &HttpRequest) -> bool {
    let mut gzip: Option<f32> = None;
    let mut any: Option<f32> = None;
    let mut best_other = 0.0_f32;
    for coding in req
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let q = parts
            .find_map(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case("gzip") {
            gzip = Some(q);
        } else if name == "*" {
            any = Some(q);
        } else if !name.eq_ignore_ascii_case("identity") {
            best_other = best_other.max(q);
        }
    }
    let q = gzip.or(any).unwrap_or(0.0);
    q > 0.0 && q >= best_other
}

pub async fn respond(
    req: &HttpRequest,
    state: &AppState,
    language: &LanguageCode,
    lemma: &str,
) -> Result<HttpResponse, ApiError> {
    let key = state.lookup.key_of(language, lemma)?;
    // Read before the lookup: a change made meanwhile leaves this body under the old version.
    let version = state.lookup.version(language).await;
    let now = Instant::now();
    if let Some(body) = state
        .lookup_bodies
        .get(&key, &version, now)
        .filter(|b| b.until.is_none_or(|until| now < until))
    {
        return Ok(body.response(req));
    }
    let word = state.lookup.lookup(language, lemma).await?;
    let json = serde_json::to_vec(&word).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut body = LookupBody::new(json)?;
    // A word whose audio is still being rendered is kept briefly: a lookup after that names
    // the audio once it exists.
    let now = Instant::now();
    if word.audio_pending {
        body.until = Some(now + PENDING_TTL);
    }
    state.lookup_bodies.put(&key, &version, body.clone(), now);
    Ok(body.response(req))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_cached_gzip_is_chosen_only_when_no_coding_weighs_more() {
        let with = |v: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request()
        };
        assert!(prefers_gzip(&with("gzip, deflate, br")));
        assert!(prefers_gzip(&with("GZIP;q=0.8, br;q=0.8")));
        assert!(prefers_gzip(&with("*")));
        assert!(!prefers_gzip(&with("br;q=1.0, gzip;q=0.5")));
        assert!(!prefers_gzip(&with("gzip;q=0, br")));
        assert!(!prefers_gzip(&with("br")));
        assert!(!prefers_gzip(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn the_gzip_body_inflates_to_the_plain_one_and_both_share_the_tag() {
        let body = LookupBody::new(br#"{"lemma":"house"}"#.repeat(100)).expect("body");
        let mut plain = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&body.gzip[..]),
            &mut plain,
        )
        .expect("inflates");
        assert_eq!(plain, body.json);
        assert!(body.gzip.len() < body.json.len());
        assert_eq!(
            body.etag.to_str().expect("ascii"),
            etag_of(&body.json).as_str()
        );
    }
}
