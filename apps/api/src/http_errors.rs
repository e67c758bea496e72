//! Framework errors (unknown route, wrong method, bad JSON, oversized body, …) as problems.

use crate::problem::{PROBLEM_JSON, Problem};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse};

pub async fn not_found() -> HttpResponse {
    Problem::new(StatusCode::NOT_FOUND)
        .detail("no such route")
        .response()
}

/// Replaces the empty body of an error response the framework made (404, 405, 413, …) by a
/// problem document; responses that already are problems pass through.
pub fn bare_error_to_problem<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let (request, original) = response.into_parts();
    let mut problem = Problem::new(status);
    if status == StatusCode::METHOD_NOT_ALLOWED {
        problem = problem.detail(format!(
            "{} is not allowed on {}",
            request.method(),
            request.path()
        ));
    }
    let mut replacement = problem.response();
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement
                .headers_mut()
                .insert(name.clone(), value.clone());
        }
    }
    let response: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(request, replacement).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}

pub fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    let problem = match &error {
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE).detail(format!(
                "the body is larger than the limit of {limit} bytes"
            ))
        }
        JsonPayloadError::ContentType => Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .detail("expected a body of type application/json"),
        JsonPayloadError::Deserialize(e) => {
            Problem::new(StatusCode::BAD_REQUEST).detail(format!("malformed JSON: {e}"))
        }
        other => Problem::new(StatusCode::BAD_REQUEST).detail(other.to_string()),
    };
    actix_web::error::InternalError::from_response(error, problem.response()).into()
}

pub fn path_error(error: PathError, _: &HttpRequest) -> actix_web::Error {
    let problem = Problem::new(StatusCode::NOT_FOUND).detail(format!("invalid path: {error}"));
    actix_web::error::InternalError::from_response(error, problem.response()).into()
}

pub fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let problem =
        Problem::new(StatusCode::BAD_REQUEST).detail(format!("invalid query string: {error}"));
    actix_web::error::InternalError::from_response(error, problem.response()).into()
}
