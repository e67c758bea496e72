use chrono::{DateTime, Utc};
use lingo_http::testing::{HttpDouble, Reply, json};
use lingo_http::{CircuitState, ErrorKind, HttpClient, HttpSettings, Transport, Url};
use lingo_kernel::{FixedClock, SystemClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn fast() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(300),
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..HttpSettings::default()
    }
}

fn client(settings: HttpSettings) -> HttpClient {
    HttpClient::new(settings, Arc::new(SystemClock)).expect("valid settings")
}

fn url(double: &HttpDouble) -> Url {
    Url::parse(&double.url("/thing")).expect("valid url")
}

#[tokio::test]
async fn server_errors_are_retried_until_an_answer() {
    let double = HttpDouble::script(vec![json(503, "{}"), json(500, "{}"), json(200, "[1]")]).await;
    let http = client(fast());

    let answer = http.send(http.get(url(&double))).await.expect("an answer");

    assert_eq!(answer.status, 200);
    assert_eq!(answer.json::<Vec<u8>>().expect("json"), vec![1]);
    assert_eq!(double.request_count(), 3);
}

#[tokio::test]
async fn a_client_error_is_an_answer_and_is_not_retried() {
    let double = HttpDouble::start(json(404, r#"{"title":"Not Found"}"#)).await;
    let http = client(fast());

    let answer = http.send(http.get(url(&double))).await.expect("an answer");

    assert_eq!(answer.status, 404);
    assert_eq!(double.request_count(), 1);
    let refused = answer.success().expect_err("not a success");
    assert!(!refused.is_transient());
}

#[tokio::test]
async fn a_retry_after_date_is_read_against_the_injected_clock() {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    let double = HttpDouble::script(vec![
        json(429, "{}").with_header("Retry-After", "Wed, 21 Oct 2015 07:28:01 GMT"),
        json(200, "{}"),
    ])
    .await;
    let settings = HttpSettings {
        max_delay: Duration::from_secs(2),
        ..fast()
    };
    let http = HttpClient::new(settings, Arc::new(FixedClock::at(now))).expect("valid");

    let started = Instant::now();
    http.send(http.get(url(&double))).await.expect("an answer");

    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(double.request_count(), 2);
}

#[tokio::test]
async fn exhausted_attempts_report_the_status_the_body_and_the_count() {
    let double = HttpDouble::start(json(503, "overloaded")).await;
    let http = client(fast());

    let err = http
        .send(http.get(url(&double)))
        .await
        .expect_err("unavailable");

    assert!(err.is_transient());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.body(), Some(&b"overloaded"[..]));
    assert_eq!(err.attempts(), 3);
    assert_eq!(
        format!("{err}{}", err.gave_up()),
        "answered HTTP 503 (gave up after 3 attempts)"
    );
}

#[tokio::test]
async fn silence_times_out_and_a_body_over_the_cap_is_not_read() {
    let silent = HttpDouble::start(Reply::silence(Duration::from_secs(5))).await;
    let http = client(HttpSettings {
        max_attempts: 1,
        max_body_bytes: 8,
        ..fast()
    });

    let err = http
        .send(http.get(url(&silent)))
        .await
        .expect_err("timeout");
    assert_eq!(err.kind(), &ErrorKind::Transport(Transport::TimedOut));
    assert!(err.report().starts_with("timed out ("), "{}", err.report());

    let large = HttpDouble::start(json(200, "[1,2,3,4,5,6,7,8,9]")).await;
    let err = http
        .send(http.get(url(&large)))
        .await
        .expect_err("too large");
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge { limit: 8 });
}

#[tokio::test]
async fn the_breaker_opens_after_consecutive_unavailable_calls() {
    let double = HttpDouble::start(json(500, "{}")).await;
    let http = client(HttpSettings {
        max_attempts: 1,
        ..fast()
    })
    .with_circuit_breaker(2, Duration::from_secs(60));

    for _ in 0..2 {
        assert!(http.send(http.get(url(&double))).await.is_err());
    }
    let err = http.send(http.get(url(&double))).await.expect_err("open");

    assert_eq!(http.circuit(), CircuitState::Open);
    assert_eq!(err.kind(), &ErrorKind::CircuitOpen);
    assert_eq!(double.request_count(), 2, "an open circuit sends nothing");
}
