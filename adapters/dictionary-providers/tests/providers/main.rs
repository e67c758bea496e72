//! The provider adapters against a local server that replays the answers each provider
//! documents, plus the failures a network adds (silence, cut-off bodies, closed sockets,
//! rate limits and outages) and what the retries and the circuit breaker make of them.

mod broken_answers;
mod circuit_breaker;
mod documented_bodies;
mod fast_settings;
mod free_dictionary;
mod retries;
mod wiktionary;
