//! The JSON body of a request, read the way the document describes it: `application/json` (415
//! otherwise), at most the body limit (413), whole numbers accepted however they are written
//! (`3` and `3.0` are the same JSON Schema integer), unknown members refused (422, the schemas
//! say `additionalProperties: false`), malformed JSON a 400.

use crate::problem::{ApiError, FieldError, Problem};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::mime;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// A request body parsed from JSON into `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonBody<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(unsupported_media_type());
            }
            let bytes = bytes.await.map_err(unreadable)?;
            parse(&bytes).map(JsonBody).map_err(Into::into)
        })
    }
}

/// An optional JSON body: none at all (no bytes, or `null`) is `None`; anything sent is read as
/// [`JsonBody`] reads it, so a malformed or mistyped body is refused, never ignored.
#[derive(Debug)]
pub struct OptionalJsonBody<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(unreadable)?;
            let sent = bytes.trim_ascii();
            if sent.is_empty() || sent == b"null" {
                return Ok(OptionalJsonBody(None));
            }
            if !is_json {
                return Err(unsupported_media_type());
            }
            parse(&bytes)
                .map(|b| OptionalJsonBody(Some(b)))
                .map_err(Into::into)
        })
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`).
fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == mime::APPLICATION
                && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        })
}

fn unsupported_media_type() -> actix_web::Error {
    problem(
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .detail("expected a body of type application/json"),
    )
}

/// A body over the limit is a 413; one that broke off while being read a 400.
fn unreadable(e: actix_web::Error) -> actix_web::Error {
    if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
        problem(
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE).detail("the body is larger than the limit"),
        )
    } else {
        problem(
            Problem::new(StatusCode::BAD_REQUEST)
                .detail(format!("the body could not be read: {e}")),
        )
    }
}

fn problem(problem: Problem) -> actix_web::Error {
    ApiError::Detailed(Box::new(problem)).into()
}

/// `T` from `bytes`: whole numbers written with a fraction or an exponent (`3.0`, `3e0`) are
/// read as integers; an unknown member is a 422 naming it; anything else malformed a 400.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every request body of the api is an object (serde would read a struct from an array).
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::Detailed(Box::new(
            Problem::new(StatusCode::BAD_REQUEST).detail("the body must be a JSON object"),
        )));
    }
    let result = if has_non_integer_number(bytes) {
        serde_json::from_slice::<serde_json::Value>(bytes).and_then(|mut value| {
            normalise_whole_numbers(&mut value);
            serde_json::from_value::<T>(value)
        })
    } else {
        serde_json::from_slice::<T>(bytes)
    };
    result.map_err(|e| {
        let message = e.to_string();
        if let Some(rest) = message.strip_prefix("unknown field `")
            && let Some((field, _)) = rest.split_once('`')
        {
            return ApiError::Validation(vec![FieldError::new(
                field,
                "unknown_field",
                "this field is not part of the request (see the schema)",
            )]);
        }
        ApiError::Detailed(Box::new(
            Problem::new(StatusCode::BAD_REQUEST).detail(format!("malformed JSON: {e}")),
        ))
    })
}

/// Whether a number outside strings has a fraction or an exponent (a cheap scan, so that the
/// common body is parsed once, straight into its type).
fn has_non_integer_number(bytes: &[u8]) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut in_number = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                in_number = false;
            }
            b'-' | b'0'..=b'9' => in_number = true,
            b'.' | b'e' | b'E' if in_number => return true,
            b'+' if in_number => {}
            _ => in_number = false,
        }
    }
    false
}

/// Turns every float with no fractional part that fits an `i64`/`u64` into that integer.
fn normalise_whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if n.is_f64()
                && let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.is_finite()
            {
                if f >= 0.0 && f < u64::MAX as f64 {
                    *value = Value::from(f as u64);
                } else if f < 0.0 && f >= i64::MIN as f64 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_whole_numbers),
        Value::Object(members) => members.values_mut().for_each(normalise_whole_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Review {
        rating: u8,
        duration_ms: Option<u32>,
        note: Option<String>,
        weight: Option<f64>,
    }

    #[test]
    fn whole_numbers_are_integers_however_they_are_written() {
        let r: Review =
            parse(br#"{"rating": 3.0, "duration_ms": 1.5e3, "weight": 2.0}"#).expect("parsed");
        assert_eq!(
            (r.rating, r.duration_ms, r.weight),
            (3, Some(1500), Some(2.0))
        );
        assert!(parse::<Review>(br#"{"rating": 3.5}"#).is_err());
        // Digits and dots inside strings are not numbers.
        let r: Review = parse(br#"{"rating": 2, "note": "v1.0e5 \"3.0\""}"#).expect("parsed");
        assert_eq!(r.note.as_deref(), Some(r#"v1.0e5 "3.0""#));
    }

    #[test]
    fn unknown_members_are_a_422_naming_them_and_malformed_json_a_400() {
        match parse::<Review>(br#"{"rating": 2, "ratin": 3}"#) {
            Err(ApiError::Validation(fields)) => {
                assert_eq!(fields[0].field, "ratin");
                assert_eq!(fields[0].code, "unknown_field");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse::<Review>(b"{\"rating\": 2"),
            Err(ApiError::Detailed(p)) if p.status == 400
        ));
        // serde would read a struct from an array; a body is an object.
        assert!(matches!(
            parse::<Review>(b" [2, null, null, null]"),
            Err(ApiError::Detailed(p)) if p.status == 400
        ));
    }

    #[test]
    fn the_scan_finds_fractions_only_outside_strings() {
        assert!(!has_non_integer_number(
            br#"{"a": "2026-12-02T14:11:23.9Z", "b": 3}"#
        ));
        assert!(has_non_integer_number(br#"{"a": -0.5}"#));
        assert!(has_non_integer_number(br#"[1E3]"#));
        assert!(!has_non_integer_number(br#"{"e": true, "E1": null}"#));
    }
}
