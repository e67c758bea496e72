//! Rate limits, outages, silence and refused requests: what is retried, how long it waits and
//! what it comes to when the attempts run out.

use crate::documented_bodies::{
    BAD_KEY, HOUSE_CONTENT, NO_JSON_SCHEMA, OVERLOADED, RATE_LIMITED, SERVER_ERROR, completion,
};
use crate::fast_settings::{
    API_KEY, expect_malformed, expect_misconfigured, expect_unavailable, fast_settings, generator,
    house_for_persian_a2,
};
use lingo_content::ports::ContentGenerator;
use lingo_http::testing::{HttpDouble, Reply, json};
use lingo_llm::{LlmSettings, OpenAiCompatibleGenerator};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_advertised_delay() {
    let server = HttpDouble::script(vec![
        json(429, RATE_LIMITED).with_header("Retry-After", "1"),
        json(200, &completion(HOUSE_CONTENT)),
    ])
    .await;
    let settings = LlmSettings {
        max_delay: Duration::from_secs(2),
        ..fast_settings(&server.url("/v1"))
    };

    let started = Instant::now();
    let generated = OpenAiCompatibleGenerator::new(settings)
        .expect("valid settings")
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer on the second attempt");

    assert_eq!(generated.text, HOUSE_CONTENT);
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
        json(503, OVERLOADED).with_header("Retry-After", "3600"),
        json(200, &completion(HOUSE_CONTENT)),
    ])
    .await;

    let started = Instant::now();
    let result = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await;

    assert!(result.is_ok(), "{result:?}");
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
        json(200, &completion(HOUSE_CONTENT)),
    ])
    .await;

    let generated = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer on the third attempt");

    assert_eq!(generated.text, HOUSE_CONTENT);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_persistent_503_is_unavailable_after_max_attempts() {
    let server = HttpDouble::start(json(503, OVERLOADED)).await;

    let message = expect_unavailable(
        generator(&server.url("/v1"))
            .generate(&house_for_persian_a2())
            .await,
    );

    assert_eq!(server.request_count(), 3);
    assert!(message.contains("HTTP 503"), "{message}");
    assert!(message.contains("overloaded"), "{message}");
    assert!(message.contains("after 3 attempts"), "{message}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_unavailable_quickly() {
    let server = HttpDouble::start(Reply::silence(Duration::from_secs(30))).await;
    let settings = LlmSettings {
        timeout: Duration::from_millis(200),
        max_attempts: 2,
        ..fast_settings(&server.url("/v1"))
    };

    let started = Instant::now();
    let message = expect_unavailable(
        OpenAiCompatibleGenerator::new(settings)
            .expect("valid settings")
            .generate(&house_for_persian_a2())
            .await,
    );

    assert!(message.contains("timed out"), "{message}");
    assert_eq!(server.request_count(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_401_is_not_retried_and_says_authentication_failed_without_the_key() {
    let server = HttpDouble::start(json(401, BAD_KEY)).await;

    let message = expect_misconfigured(
        generator(&server.url("/v1"))
            .generate(&house_for_persian_a2())
            .await,
    );

    assert_eq!(server.request_count(), 1);
    assert!(
        message.starts_with("authentication failed (HTTP 401)"),
        "{message}"
    );
    assert!(!message.contains(API_KEY), "{message}");
}

#[tokio::test]
async fn a_400_is_malformed_and_names_what_the_server_does_not_support() {
    let server = HttpDouble::start(json(400, NO_JSON_SCHEMA)).await;

    let message = expect_malformed(
        generator(&server.url("/v1"))
            .generate(&house_for_persian_a2())
            .await,
    );

    assert_eq!(server.request_count(), 1);
    assert!(message.contains("HTTP 400"), "{message}");
    assert!(
        message.contains("response_format json_schema not supported"),
        "{message}"
    );
}

#[tokio::test]
async fn a_server_that_is_not_listening_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
    drop(listener);

    let message = expect_unavailable(generator(&base_url).generate(&house_for_persian_a2()).await);

    assert!(message.contains("could not be reached"), "{message}");
}
