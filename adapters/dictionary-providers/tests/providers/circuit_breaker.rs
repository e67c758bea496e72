use crate::documented_bodies::{FREE_DICTIONARY_HELLO, FREE_DICTIONARY_NOT_FOUND};
use crate::fast_settings::{english, expect_unavailable, fast_settings};
use chrono::{DateTime, Utc};
use lingo_dictionary::ports::{DictionaryProvider, ProviderError};
use lingo_dictionary_providers::{CircuitState, FreeDictionaryApi, ProviderSettings};
use lingo_http::testing::{HttpDouble, json};
use lingo_kernel::FixedClock;
use std::sync::Arc;
use std::time::{Duration, Instant};

const DOWN: &str = r#"{"title":"Service Unavailable"}"#;
const COOLDOWN: Duration = Duration::from_secs(30);

fn start_of_test() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

/// Two unavailable lookups open the circuit; one attempt per lookup keeps the counts simple.
fn provider(base_url: &str, clock: &Arc<FixedClock>) -> FreeDictionaryApi {
    FreeDictionaryApi::new(ProviderSettings {
        max_attempts: 1,
        breaker_threshold: 2,
        breaker_cooldown: COOLDOWN,
        ..fast_settings(base_url)
    })
    .expect("valid settings")
    .with_clock(clock.clone())
}

#[tokio::test]
async fn the_circuit_opens_after_the_threshold_and_then_fails_fast_without_a_request() {
    let server = HttpDouble::start(json(503, DOWN)).await;
    let clock = Arc::new(FixedClock::at(start_of_test()));
    let provider = provider(&server.base_url, &clock);

    expect_unavailable(provider.fetch(&english(), "hello").await);
    assert_eq!(provider.circuit(), CircuitState::Closed);
    expect_unavailable(provider.fetch(&english(), "hello").await);
    assert_eq!(provider.circuit(), CircuitState::Open);
    assert_eq!(server.request_count(), 2);

    let started = Instant::now();
    let result = provider.fetch(&english(), "hello").await;

    assert_eq!(
        result,
        Err(ProviderError::Unavailable("circuit open".to_owned()))
    );
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.request_count(), 2, "an open circuit sends nothing");
}

#[tokio::test]
async fn after_the_cooldown_a_recovered_provider_closes_the_circuit() {
    let server = HttpDouble::script(vec![
        json(503, DOWN),
        json(503, DOWN),
        json(200, FREE_DICTIONARY_HELLO),
    ])
    .await;
    let clock = Arc::new(FixedClock::at(start_of_test()));
    let provider = provider(&server.base_url, &clock);
    for _ in 0..2 {
        expect_unavailable(provider.fetch(&english(), "hello").await);
    }

    clock.advance(chrono::Duration::seconds(29));
    expect_unavailable(provider.fetch(&english(), "hello").await);
    assert_eq!(server.request_count(), 2, "still cooling down");

    clock.advance(chrono::Duration::seconds(1));
    let trial = provider.fetch(&english(), "hello").await;

    assert!(trial.is_ok(), "{trial:?}");
    assert_eq!(provider.circuit(), CircuitState::Closed);
    assert!(provider.fetch(&english(), "hello").await.is_ok());
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn a_failed_trial_opens_the_circuit_again() {
    let server = HttpDouble::start(json(503, DOWN)).await;
    let clock = Arc::new(FixedClock::at(start_of_test()));
    let provider = provider(&server.base_url, &clock);
    for _ in 0..2 {
        expect_unavailable(provider.fetch(&english(), "hello").await);
    }

    clock.advance(chrono::Duration::seconds(30));
    expect_unavailable(provider.fetch(&english(), "hello").await);

    assert_eq!(provider.circuit(), CircuitState::Open);
    assert_eq!(server.request_count(), 3, "the trial went through");
    assert_eq!(
        provider.fetch(&english(), "hello").await,
        Err(ProviderError::Unavailable("circuit open".to_owned()))
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn unknown_words_do_not_open_the_circuit() {
    let server = HttpDouble::start(json(404, FREE_DICTIONARY_NOT_FOUND)).await;
    let clock = Arc::new(FixedClock::at(start_of_test()));
    let provider = provider(&server.base_url, &clock);

    for _ in 0..5 {
        assert_eq!(
            provider.fetch(&english(), "qwertyzzz").await,
            Err(ProviderError::NotFound)
        );
    }

    assert_eq!(provider.circuit(), CircuitState::Closed);
    assert_eq!(server.request_count(), 5);
}

#[tokio::test]
async fn an_answer_between_failures_resets_the_count() {
    let server = HttpDouble::script(vec![
        json(503, DOWN),
        json(404, FREE_DICTIONARY_NOT_FOUND),
        json(503, DOWN),
    ])
    .await;
    let clock = Arc::new(FixedClock::at(start_of_test()));
    let provider = provider(&server.base_url, &clock);

    expect_unavailable(provider.fetch(&english(), "hello").await);
    assert_eq!(
        provider.fetch(&english(), "hello").await,
        Err(ProviderError::NotFound)
    );
    expect_unavailable(provider.fetch(&english(), "hello").await);

    assert_eq!(provider.circuit(), CircuitState::Closed);
}
