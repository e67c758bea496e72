//! Response compression (gzip or brotli, as the client's `Accept-Encoding` prefers) by actix's
//! `Compress`, minus what gains nothing: bodies under `MIN_BYTES` (the headers and the codec
//! frame would outweigh the saving) and media already compressed (images, audio, archives).
//!
//! `Compress` leaves a response alone when it already carries a `Content-Encoding`, so `mark`
//! (inside it) gives the exempt responses `Content-Encoding: identity` and `unmark` (outside it)
//! takes that header off again before the response leaves.

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// Bodies smaller than this go uncompressed.
pub const MIN_BYTES: u64 = 1024;

fn already_compressed(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    (ct.starts_with("image/") && !ct.starts_with("image/svg"))
        || ct.starts_with("audio/")
        || ct.starts_with("video/")
        || ct.starts_with("application/zip")
        || ct.starts_with("application/gzip")
        || ct.starts_with("application/x-bzip2")
        || ct.starts_with("font/woff")
}

fn exempt(response: &ServiceResponse<impl MessageBody>) -> bool {
    let small = match response.response().body().size() {
        BodySize::Sized(n) => n < MIN_BYTES,
        BodySize::None => true,
        BodySize::Stream => false,
    };
    small
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(already_compressed)
}

pub async fn mark(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    if !response.headers().contains_key(header::CONTENT_ENCODING) && exempt(&response) {
        response.headers_mut().insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static("identity"),
        );
    }
    Ok(response.map_into_boxed_body())
}

pub async fn unmark(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    if response
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "identity")
    {
        response.headers_mut().remove(header::CONTENT_ENCODING);
    }
    Ok(response.map_into_boxed_body())
}
