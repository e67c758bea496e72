//! Adapters for the dictionary's [`DictionaryProvider`](lingo_dictionary::ports::DictionaryProvider)
//! port: the [Free Dictionary API](https://dictionaryapi.dev) ([`FreeDictionaryApi`], English)
//! and Wiktionary's REST definitions ([`Wiktionary`], every language).
//!
//! Both go through one resilience policy: a timeout per request, retries with exponential
//! backoff and jitter on 5xx, 429 and network failures (honouring `Retry-After`), and a circuit
//! breaker per provider so that a provider that is down costs one fast failure per lookup, not
//! a timeout. Each answer keeps the response body as received (a [`RawRecord`]) next to the
//! entries normalised from it.
//!
//! [`RawRecord`]: lingo_dictionary::RawRecord

mod discriminators;
mod free_dictionary;
mod free_dictionary_entries;
mod http_policy;
mod lookup_context;
mod provider_settings;
mod strip_html;
mod wiktionary;
mod wiktionary_entries;

pub use free_dictionary::FreeDictionaryApi;
pub use lingo_http::CircuitState;
pub use provider_settings::ProviderSettings;
pub use wiktionary::Wiktionary;

/// A provider that cannot be built from its settings: found at start-up, not per lookup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("the base URL '{0}' is not an http(s) URL such as https://api.example.org")]
    BaseUrl(String),
    #[error("invalid provider settings: {0}")]
    Settings(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}
