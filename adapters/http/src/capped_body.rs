//! Reading a body with a byte cap: a body much larger than the API ever sends is not its
//! answer, and reading it whole would let a broken proxy make us buffer without limit.

use crate::http_error::{ErrorKind, HttpError};
use reqwest::Response;

/// The whole body, or `BodyTooLarge` as soon as it is known to exceed `limit` (from
/// `Content-Length`, before reading anything, or while reading). A connection that closes
/// mid-body is a transport failure (`CutOff`), so it is retried.
pub async fn read_capped(mut response: Response, limit: usize) -> Result<Vec<u8>, HttpError> {
    let too_large = || HttpError::new(ErrorKind::BodyTooLarge { limit });
    if response
        .content_length()
        .is_some_and(|declared| declared > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(HttpError::transport)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
