use crate::documented_bodies::FREE_DICTIONARY_HELLO;
use crate::fast_settings::{english, expect_unavailable, fast_settings, free_dictionary};
use lingo_dictionary::ports::DictionaryProvider;
use lingo_dictionary_providers::{FreeDictionaryApi, ProviderSettings};
use lingo_http::testing::{HttpDouble, json, unreachable_base_url};
use std::time::{Duration, Instant};

const RATE_LIMITED: &str = r#"{"title":"Too Many Requests","message":"You have exceeded the rate limit.","resolution":"Wait and try again."}"#;
const SERVER_ERROR: &str = r#"{"title":"Something Went Wrong","message":"Internal server error.","resolution":"Try again later."}"#;

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_advertised_delay() {
    let server = HttpDouble::script(vec![
        json(429, RATE_LIMITED).with_header("Retry-After", "1"),
        json(200, FREE_DICTIONARY_HELLO),
    ])
    .await;
    let settings = fast_settings(&server.base_url);
    let provider = FreeDictionaryApi::new(ProviderSettings {
        max_delay: Duration::from_secs(2),
        ..settings
    })
    .expect("valid settings");

    let started = Instant::now();
    let answer = provider.fetch(&english(), "hello").await;

    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(server.request_count(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited only {:?}, not the second Retry-After asked for",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_the_maximum_delay_is_capped() {
    let server = HttpDouble::script(vec![
        json(503, SERVER_ERROR).with_header("Retry-After", "3600"),
        json(200, FREE_DICTIONARY_HELLO),
    ])
    .await;

    let started = Instant::now();
    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), "hello")
        .await;

    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(server.request_count(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn two_server_errors_then_an_answer_succeed_on_the_third_request() {
    let server = HttpDouble::script(vec![
        json(500, SERVER_ERROR),
        json(500, SERVER_ERROR),
        json(200, FREE_DICTIONARY_HELLO),
    ])
    .await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), "hello")
        .await
        .expect("an answer on the third attempt");

    assert_eq!(answer.entries.len(), 3);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_persistent_503_is_unavailable_after_max_attempts() {
    let server = HttpDouble::start(json(503, SERVER_ERROR)).await;

    let message = expect_unavailable(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert_eq!(server.request_count(), 3);
    assert!(message.contains("HTTP 503"), "{message}");
    assert!(message.contains("3 attempts"), "{message}");
}

#[tokio::test]
async fn a_persistent_429_is_unavailable_after_max_attempts() {
    let server = HttpDouble::start(json(429, RATE_LIMITED).with_header("Retry-After", "0")).await;

    let message = expect_unavailable(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert_eq!(server.request_count(), 3);
    assert!(message.contains("HTTP 429"), "{message}");
}

#[tokio::test]
async fn client_errors_other_than_404_and_429_are_not_retried() {
    for status in [400, 401, 403, 405] {
        let server = HttpDouble::start(json(status, r#"{"title":"Bad Request"}"#)).await;

        let message = expect_unavailable(
            free_dictionary(&server.base_url)
                .fetch(&english(), "hello")
                .await,
        );

        assert_eq!(server.request_count(), 1, "HTTP {status} was retried");
        assert!(message.contains(&format!("HTTP {status}")), "{message}");
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_unavailable_after_max_attempts() {
    let base_url = unreachable_base_url().await;

    let message = expect_unavailable(free_dictionary(&base_url).fetch(&english(), "hello").await);

    assert!(message.contains("could not be reached"), "{message}");
    assert!(message.contains("3 attempts"), "{message}");
}

#[tokio::test]
async fn one_attempt_means_no_retry() {
    let server = HttpDouble::start(json(500, SERVER_ERROR)).await;
    let provider = FreeDictionaryApi::new(ProviderSettings {
        max_attempts: 1,
        ..fast_settings(&server.base_url)
    })
    .expect("valid settings");

    let message = expect_unavailable(provider.fetch(&english(), "hello").await);

    assert_eq!(server.request_count(), 1);
    assert!(message.contains("1 attempt)"), "{message}");
}
