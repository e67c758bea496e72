//! Abuse limits through the front door (docs/abuse-limits.md): route classes per account or
//! address, refresh per token family, progressive delay per (identifier, address), SMS budgets
//! and the country allow-list, one answer whether a code is pending.
//!
//! The test client always connects from 127.0.0.1; tests that need several client addresses
//! trust that address as a proxy and name the client in `X-Forwarded-For`.

use lingo_test_support::{PASSWORD, TestApp, json_of};
use reqwest::Method;
use serde_json::{Value, json};

const PROXY: (&str, &str) = ("LINGO_HTTP_TRUSTED_PROXIES", "127.0.0.1/32");

/// A request as if from client address `from`, behind the trusted local proxy.
fn from(
    app: &TestApp,
    from: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("x-forwarded-for", format!("6.6.6.6, {from}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
}

async fn login_from(
    app: &TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    from(app, address, Method::POST, "/api/v1/auth/login", None)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("request sent")
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn auth_routes_are_limited_per_client_with_retry_after() {
    let app = TestApp::spawn_with(&[("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "3")]).await;
    let body = json!({"email": "x@example.com", "password": "whatever-1"});
    let login = || app.post_json("/api/v1/auth/login", &body);
    for _ in 0..3 {
        assert_eq!(login().await.status(), 401);
    }
    let limited = login().await;
    assert_eq!(limited.status(), 429);
    assert_eq!(
        limited.headers()["content-type"],
        "application/problem+json"
    );
    assert!((1..=60).contains(&retry_after(&limited)));
    // Other routes are not limited by the auth class.
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
}

#[tokio::test]
async fn a_stranger_from_another_address_cannot_lock_a_learners_login() {
    // A minute's base delay: the app's clock follows the wall clock, and a loaded machine must
    // not let a second-long wait run out between two requests of the test.
    let app = TestApp::spawn_with(&[PROXY, ("LINGO_RATE_LIMIT_LOGIN_DELAY_MS", "60000")]).await;
    app.register_learner("sara@example.org").await;
    let stranger = "198.51.100.66";
    let sara = "203.0.113.10";
    for _ in 0..5 {
        let guess = login_from(&app, stranger, "sara@example.org", "guess guess").await;
        assert_eq!(guess.status(), 401);
    }
    // The stranger now waits longer and longer between guesses …
    let delayed = login_from(&app, stranger, "sara@example.org", "guess guess").await;
    assert_eq!(delayed.status(), 429);
    assert!(retry_after(&delayed) >= 1);
    // … even with the right password; Sara, elsewhere, is not slowed at all.
    let right = login_from(&app, stranger, "sara@example.org", PASSWORD).await;
    assert_eq!(right.status(), 429);
    assert_eq!(
        login_from(&app, sara, "sara@example.org", PASSWORD)
            .await
            .status(),
        200
    );

    // A spoofed leftmost hop does not give the stranger a fresh bucket either.
    let spoofed = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", format!("192.0.2.1, {stranger}"))
        .json(&json!({"email": "sara@example.org", "password": "guess guess"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(spoofed.status(), 429);

    // The wait doubles after each further failure, and a success forgets the failures.
    app.advance_time(chrono::Duration::seconds(60));
    assert_eq!(
        login_from(&app, stranger, "sara@example.org", "guess guess")
            .await
            .status(),
        401
    );
    let longer = login_from(&app, stranger, "sara@example.org", "guess guess").await;
    assert_eq!(longer.status(), 429);
    assert!((61..=120).contains(&retry_after(&longer)));
    // A minute later is not enough any more: the wait is two minutes now.
    app.advance_time(chrono::Duration::seconds(60));
    let still = login_from(&app, stranger, "sara@example.org", PASSWORD).await;
    assert_eq!(still.status(), 429);
    app.advance_time(chrono::Duration::seconds(90));
    assert_eq!(
        login_from(&app, stranger, "sara@example.org", PASSWORD)
            .await
            .status(),
        200
    );
    for _ in 0..5 {
        let guess = login_from(&app, stranger, "sara@example.org", "guess guess").await;
        assert_eq!(guess.status(), 401, "the count started again");
    }
}

#[tokio::test]
async fn refresh_from_one_shared_address_is_limited_per_family_not_per_address() {
    let app = TestApp::spawn_with(&[("LINGO_RATE_LIMIT_REFRESH_PER_MINUTE", "2")]).await;
    let mut tokens = Vec::new();
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        let learner = app.register_learner(email).await;
        tokens.push(
            learner.session["refresh_token"]
                .as_str()
                .expect("token")
                .to_owned(),
        );
    }
    // Nine refreshes from one (carrier-grade NAT) address: two per family pass.
    for token in &mut tokens {
        for _ in 0..2 {
            let (status, session) = json_of(
                app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
                    .await,
            )
            .await;
            assert_eq!(status, 200, "{session}");
            *token = session["refresh_token"].as_str().expect("token").to_owned();
        }
    }
    let third = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": tokens[0]}))
        .await;
    assert_eq!(
        third.status(),
        429,
        "the third refresh of one family in a minute"
    );
    assert!(retry_after(&third) >= 1);
    // An unknown token is simply invalid.
    let unknown = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": "nope"}))
        .await;
    assert_eq!(unknown.status(), 401);
}

/// One request of each route class: (name, method, path, body).
fn classes() -> Vec<(&'static str, Method, String, Option<Value>)> {
    let word = uuid::Uuid::now_v7();
    vec![
        (
            "lookup",
            Method::GET,
            "/api/v1/dictionary/en/words/zzqx".into(),
            None,
        ),
        (
            "search",
            Method::GET,
            "/api/v1/dictionary/en/search?q=zzqx".into(),
            None,
        ),
        (
            "analyse",
            Method::POST,
            "/api/v1/texts/analyze".into(),
            Some(json!({"language": "en", "text": "a cat"})),
        ),
        (
            "content",
            Method::GET,
            format!("/api/v1/words/{word}/content"),
            None,
        ),
        (
            "quizzes",
            Method::POST,
            "/api/v1/quizzes".into(),
            Some(json!({})),
        ),
        (
            "batches",
            Method::POST,
            "/api/v1/reviews/batch".into(),
            Some(json!({"reviews": []})),
        ),
    ]
}

async fn send(
    app: &TestApp,
    address: &str,
    token: Option<&str>,
    (method, path, body): (&Method, &str, &Option<Value>),
) -> reqwest::Response {
    let mut request = from(app, address, method.clone(), path, token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn each_route_class_answers_429_past_its_limit_per_account_when_signed_in() {
    let mut vars = vec![PROXY, ("LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000")];
    for var in [
        "LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE",
        "LINGO_RATE_LIMIT_SEARCH_PER_MINUTE",
        "LINGO_RATE_LIMIT_ANALYSE_PER_MINUTE",
        "LINGO_RATE_LIMIT_CONTENT_PER_MINUTE",
        "LINGO_RATE_LIMIT_QUIZZES_PER_MINUTE",
        "LINGO_RATE_LIMIT_BATCHES_PER_MINUTE",
    ] {
        vars.push((var, "2"));
    }
    let app = TestApp::spawn_with(&vars).await;
    let sara = app.register_learner("sara@example.org").await.token;
    let omar = app.register_learner("omar@example.org").await.token;
    for (class, method, path, body) in classes() {
        let request = (&method, path.as_str(), &body);
        for _ in 0..2 {
            let response = send(&app, "203.0.113.1", Some(&sara), request).await;
            assert_ne!(response.status(), 429, "{class}");
        }
        // From another address, still Sara: her account's budget is spent.
        let limited = send(&app, "203.0.113.2", Some(&sara), request).await;
        assert_eq!(limited.status(), 429, "{class}");
        assert_eq!(
            limited.headers()["content-type"],
            "application/problem+json"
        );
        assert!(retry_after(&limited) >= 1, "{class}");
        // Omar on Sara's address is counted on his own account.
        let omar = send(&app, "203.0.113.1", Some(&omar), request).await;
        assert_ne!(omar.status(), 429, "{class}");
    }
    // Single reviews (the hot path) are in no class.
    for _ in 0..5 {
        let (status, _) = app.post_with(&sara, "/api/v1/reviews", json!({})).await;
        assert_ne!(status, 429);
    }
}

#[tokio::test]
async fn anonymous_lookups_of_non_words_are_limited_per_address() {
    let app = TestApp::spawn_with(&[PROXY, ("LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "3")]).await;
    for n in 0..3 {
        let path = format!("/api/v1/dictionary/en/words/zzqx{n}");
        let miss = send(&app, "198.51.100.7", None, (&Method::GET, &path, &None)).await;
        assert_eq!(miss.status(), 404);
    }
    let path = "/api/v1/dictionary/en/words/zzqy";
    let limited = send(&app, "198.51.100.7", None, (&Method::GET, path, &None)).await;
    assert_eq!(limited.status(), 429);
    let elsewhere = send(&app, "198.51.100.8", None, (&Method::GET, path, &None)).await;
    assert_eq!(elsewhere.status(), 404);
    // Signed in, the class limit (300 a minute by default) applies to the account instead.
    let sara = app.register_learner("sara@example.org").await.token;
    let signed_in = send(
        &app,
        "198.51.100.7",
        Some(&sara),
        (&Method::GET, path, &None),
    )
    .await;
    assert_eq!(signed_in.status(), 404);
}

async fn request_code(app: &TestApp, address: &str, phone: &str) -> reqwest::Response {
    from(
        app,
        address,
        Method::POST,
        "/api/v1/auth/phone/request",
        None,
    )
    .json(&json!({"phone": phone}))
    .send()
    .await
    .expect("request sent")
}

#[tokio::test]
async fn codes_go_only_to_allowed_country_calling_codes() {
    let app = TestApp::spawn_with(&[("LINGO_SMS_ALLOWED_COUNTRIES", "98,971")]).await;
    for refused in ["+447700900123", "+88234567890"] {
        let (status, problem) = json_of(request_code(&app, "203.0.113.1", refused).await).await;
        assert_eq!(status, 403, "{problem}");
        assert_eq!(problem["code"], "phone_country_not_allowed");
    }
    assert!(app.sms.sent().is_empty());
    assert_eq!(
        request_code(&app, "203.0.113.1", "+971501234567")
            .await
            .status(),
        202
    );
    assert_eq!(
        request_code(&app, "203.0.113.1", "+989121234567")
            .await
            .status(),
        202
    );
    assert_eq!(app.sms.sent().len(), 2);
}

#[tokio::test]
async fn sms_budgets_hold_per_phone_per_address_per_country_and_overall() {
    let app = TestApp::spawn_with(&[
        PROXY,
        ("LINGO_SMS_PER_PHONE_PER_DAY", "2"),
        ("LINGO_SMS_PER_ADDRESS_PER_DAY", "3"),
        ("LINGO_SMS_PER_COUNTRY_PER_DAY", "5"),
        ("LINGO_SMS_GLOBAL_PER_DAY", "6"),
    ])
    .await;
    let status = |r: reqwest::Response| r.status().as_u16();
    // Per phone: two a day.
    assert_eq!(
        status(request_code(&app, "203.0.113.1", "+989120000001").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.2", "+989120000001").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.3", "+989120000001").await),
        429
    );
    // Per address: three a day, whatever the numbers.
    assert_eq!(
        status(request_code(&app, "203.0.113.1", "+989120000002").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.1", "+989120000003").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.1", "+989120000004").await),
        429
    );
    // Per country: five +98 numbers went out (the refused ones above counted no further).
    assert_eq!(
        status(request_code(&app, "203.0.113.4", "+989120000005").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.5", "+989120000006").await),
        429
    );
    // Overall: the sixth code of the day, to another country, is the last.
    assert_eq!(
        status(request_code(&app, "203.0.113.6", "+447700900001").await),
        202
    );
    assert_eq!(
        status(request_code(&app, "203.0.113.7", "+447700900002").await),
        429
    );
    assert_eq!(app.sms.sent().len(), 6);
    let limited = request_code(&app, "203.0.113.8", "+447700900003").await;
    assert!(retry_after(&limited) >= 1);
}

async fn verify(app: &TestApp, phone: &str, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/phone/verify",
        &json!({"phone": phone, "code": code}),
    )
    .await
}

#[tokio::test]
async fn a_code_request_and_a_wrong_code_answer_the_same_whether_a_code_is_pending() {
    let app = TestApp::spawn().await;
    let (none_status, none) = json_of(verify(&app, "+989120000011", "123456").await).await;
    let (first_status, first) =
        json_of(request_code(&app, "127.0.0.1", "+989120000012").await).await;
    let (again_status, again) =
        json_of(request_code(&app, "127.0.0.1", "+989120000012").await).await;
    assert_eq!((first_status, again_status), (202, 202));
    assert_eq!(first, again, "a pending code changes nothing in the answer");
    assert_eq!(app.sms.sent().len(), 2);
    let phone = lingo_users::PhoneNumber::parse("+989120000012").expect("valid");
    let text = app.sms.last_text_to(&phone).expect("an SMS was sent");
    let wrong = if text.contains("123456") {
        "654321"
    } else {
        "123456"
    };
    let (pending_status, pending) = json_of(verify(&app, "+989120000012", wrong).await).await;
    assert_eq!((none_status, pending_status), (401, 401));
    for field in ["type", "title", "detail"] {
        assert_eq!(none[field], pending[field], "{field}");
    }
    assert_eq!(none["detail"], "the code is wrong or has expired");
}

#[tokio::test]
async fn leased_lookup_tokens_still_end_in_429_with_retry_after() {
    // 100 a minute: the replica leases tokens five at a time (a twentieth of the limit).
    let app = TestApp::spawn_with(&[
        PROXY,
        ("LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE", "100"),
        ("LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000"),
    ])
    .await;
    let sara = app.register_learner("sara@example.org").await.token;
    let lookup = || {
        send(
            &app,
            "203.0.113.1",
            Some(&sara),
            (&Method::GET, "/api/v1/dictionary/en/words/zzqx", &None),
        )
    };
    for n in 0..100 {
        assert_ne!(lookup().await.status(), 429, "request {n}");
    }
    // The burst is spent; a token comes back every 0.6 s, far slower than these requests.
    let mut limited = None;
    for _ in 0..200 {
        let response = lookup().await;
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("a 429 once the budget is spent");
    assert!((1..=60).contains(&retry_after(&limited)));
    let (_, problem) = json_of(limited).await;
    assert!(problem["retry_after"].as_u64().is_some_and(|s| s >= 1));
}
