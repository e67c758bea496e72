//! The HTTP api: actix-web handlers that translate HTTP to use cases and back, the middleware
//! every request passes through, and the OpenAPI document.

mod caller;
mod client_address;
mod client_version;
mod compression;
mod conditional;
mod contract;
mod error_mapping;
mod http_errors;
mod idempotency;
mod json_body;
mod lookup_cache;
mod metrics;
mod middleware;
mod openapi;
mod problem;
mod problem_catalogue;
mod rate_limit;
mod routes;
mod server;
mod state;

pub use caller::Caller;
pub use lingo_bootstrap::Overrides;
pub use metrics::Metrics;
pub use openapi::{ApiDoc, document as openapi_document};
pub use problem::{ApiError, Problem};
pub use server::{ServerSettings, start, start_admin};
pub use state::AppState;
