//! Answers that are not answers: silence, cut-off bodies, closed sockets, JSON that is broken or
//! of the wrong shape, bodies too large to be an entry.

use crate::documented_bodies::FREE_DICTIONARY_HELLO;
use crate::fast_settings::{english, expect_malformed, expect_unavailable, free_dictionary};
use lingo_dictionary::ports::DictionaryProvider;
use lingo_http::testing::{HttpDouble, Reply, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_provider_that_never_answers_is_unavailable_by_timeout_quickly() {
    let server = HttpDouble::start(Reply::silence(Duration::from_secs(10))).await;

    let started = Instant::now();
    let message = expect_unavailable(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    // 3 attempts × 300 ms timeout + two backoffs of at most 50 ms.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("timed out"), "{message}");
    assert_eq!(server.request_count(), 3, "timeouts are retried");
}

/// A body shorter than its `Content-Length` is a transport failure, so `Unavailable` and
/// retried: the bytes we got are not the provider's answer, we cannot tell what the rest would
/// have said, and the next attempt may well arrive whole. `Malformed` is for complete answers
/// that are wrong, which asking again would not change.
#[tokio::test]
async fn a_body_cut_off_before_its_content_length_is_unavailable_and_retried() {
    let server = HttpDouble::start(Reply::cut_off(
        200,
        FREE_DICTIONARY_HELLO.len(),
        &FREE_DICTIONARY_HELLO[..200],
    ))
    .await;

    let message = expect_unavailable(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert!(message.contains("cut its answer off"), "{message}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_cut_off_body_followed_by_a_whole_one_succeeds() {
    let server = HttpDouble::script(vec![
        Reply::cut_off(
            200,
            FREE_DICTIONARY_HELLO.len(),
            &FREE_DICTIONARY_HELLO[..200],
        ),
        json(200, FREE_DICTIONARY_HELLO),
    ])
    .await;

    let answer = free_dictionary(&server.base_url)
        .fetch(&english(), "hello")
        .await;

    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_provider_that_hangs_up_is_unavailable() {
    let server = HttpDouble::start(Reply::hang_up()).await;

    expect_unavailable(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn malformed_json_is_malformed_after_one_request() {
    let server = HttpDouble::start(json(200, r#"[{"word": "hello", "meanings": ["#)).await;

    let message = expect_malformed(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert!(message.contains("not JSON"), "{message}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_malformed_after_one_request() {
    for body in [
        r#"{"word": "hello", "meanings": []}"#,
        r#"[{"word": "hello"}]"#,
        r#"[{"word": "hello", "meanings": [{"partOfSpeech": "noun", "definitions": "greeting"}]}]"#,
        "42",
    ] {
        let server = HttpDouble::start(json(200, body)).await;

        let message = expect_malformed(
            free_dictionary(&server.base_url)
                .fetch(&english(), "hello")
                .await,
        );

        assert!(
            message.contains("not an array of entries"),
            "{body}: {message}"
        );
        assert_eq!(server.request_count(), 1, "{body} was retried");
    }
}

#[tokio::test]
async fn an_empty_200_body_is_malformed() {
    let server = HttpDouble::start(json(200, "")).await;

    expect_malformed(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_body_declared_larger_than_any_entry_is_malformed_without_being_read() {
    let server = HttpDouble::start(Reply::cut_off(200, 64 * 1024 * 1024, "[")).await;

    let message = expect_malformed(
        free_dictionary(&server.base_url)
            .fetch(&english(), "hello")
            .await,
    );

    assert!(message.contains("larger than"), "{message}");
    assert_eq!(server.request_count(), 1);
}
