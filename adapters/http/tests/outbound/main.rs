//! `HttpClient` against the crate's own double: what is retried, how long it waits, what the
//! breaker and the body cap make of a call, and what the double matches and records.

mod client;
mod double;
