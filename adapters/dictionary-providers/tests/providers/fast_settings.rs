//! Settings that keep the tests fast: short timeouts and backoffs, a breaker that stays out of
//! the way unless a test sets it up.

use lingo_dictionary::ports::{ProviderAnswer, ProviderError};
use lingo_dictionary_providers::{FreeDictionaryApi, ProviderSettings};
use lingo_kernel::LanguageCode;
use std::time::Duration;

pub const USER_AGENT: &str = "Lingo/0.1 (contact@example.org)";

pub fn fast_settings(base_url: &str) -> ProviderSettings {
    ProviderSettings {
        timeout: Duration::from_millis(300),
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        breaker_threshold: 100,
        breaker_cooldown: Duration::from_secs(60),
        user_agent: USER_AGENT.to_owned(),
        ..ProviderSettings::new(base_url)
    }
}

pub fn free_dictionary(base_url: &str) -> FreeDictionaryApi {
    FreeDictionaryApi::new(fast_settings(base_url)).expect("valid settings")
}

pub fn language(code: &str) -> LanguageCode {
    LanguageCode::parse(code).expect("valid language code")
}

pub fn english() -> LanguageCode {
    LanguageCode::english()
}

pub fn expect_unavailable(result: Result<ProviderAnswer, ProviderError>) -> String {
    match result {
        Err(ProviderError::Unavailable(message)) => message,
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

pub fn expect_malformed(result: Result<ProviderAnswer, ProviderError>) -> String {
    match result {
        Err(ProviderError::Malformed(message)) => message,
        other => panic!("expected Malformed, got {other:?}"),
    }
}
