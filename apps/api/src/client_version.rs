//! Old apps told to update: an app sends its version in `X-Client-Version`; when it is older than
//! `LINGO_MIN_CLIENT_VERSION` the answer is a 426 problem of type
//! `urn:lingo:problem:client-update-required` naming the minimum, whatever the route; a header
//! that is not a version is a 400. Requests without the header (the web, tools, health checks)
//! are served.

use crate::problem::Problem;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderName;
use actix_web::middleware::Next;
use actix_web::web;
use lingo_kernel::client_version::ClientVersion;

pub const CLIENT_VERSION: HeaderName = HeaderName::from_static("x-client-version");
pub const UPDATE_REQUIRED: &str = "urn:lingo:problem:client-update-required";
pub const INVALID_VERSION: &str = "urn:lingo:problem:client-version-invalid";
/// `X-Client-Version` as the document declares it.
pub const PATTERN: &str = r"^[0-9]{1,9}(\.[0-9]{1,9}){0,2}$";

pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let minimum = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| s.min_client_version);
    if let Some(raw) = req.headers().get(CLIENT_VERSION) {
        let Some(Ok(version)) = raw.to_str().ok().map(ClientVersion::parse) else {
            let problem = Problem::new(StatusCode::BAD_REQUEST)
                .of_type(INVALID_VERSION)
                .detail("X-Client-Version must be MAJOR.MINOR.PATCH");
            return Ok(req.into_response(problem.response()));
        };
        if let Some(minimum) = minimum.filter(|m| version < *m) {
            let problem = Problem::new(StatusCode::UPGRADE_REQUIRED)
                .of_type(UPDATE_REQUIRED)
                .detail(format!(
                    "this version of the app ({version}) is no longer supported; \
                     update to {minimum} or later"
                ))
                .extension("min_version", minimum.to_string());
            return Ok(req.into_response(problem.response()));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
