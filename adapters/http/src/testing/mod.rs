//! A local HTTP double for adapters' tests (feature `testing`): a small HTTP/1.1 server on
//! `127.0.0.1:0` that answers scripted [`Reply`]s per [`Route`] and records every request it
//! reads. Small enough to read in a few minutes, which a mock library is not.
//!
//! ```ignore
//! let double = HttpDouble::start(json(200, include_str!("fixtures/hello.json"))).await;
//! let double = HttpDouble::script(vec![json(503, "{}").with_header("Retry-After", "1"), json(200, "[]")]).await;
//! let double = HttpDouble::routes(vec![
//!     Route::get("/api/v2/entries/en/hello").reply(json(200, HELLO)),
//!     Route::any().reply(json(404, NOT_FOUND)),
//! ]).await;
//! assert_eq!(double.only_request().path, "/api/v2/entries/en/hello");
//! ```

mod http_double;
mod recorded;
mod reply;
mod route;
mod wire;

pub use http_double::{HttpDouble, unreachable_base_url};
pub use recorded::Recorded;
pub use reply::{Reply, json};
pub use route::Route;
