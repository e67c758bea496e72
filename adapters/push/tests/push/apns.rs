use crate::h2_double::{H2Double, reply};
use crate::{device, fixture, message};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lingo_kernel::SystemClock;
use lingo_notifications::Platform;
use lingo_notifications::ports::{PushOutcome, PushSender};
use lingo_push::{ApnsSender, ApnsSettings};
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

fn sender(base_url: &str) -> ApnsSender {
    ApnsSender::new(
        ApnsSettings {
            key_pem: fixture("apns_test_key.p8"),
            key_id: "ABC123DEFG".to_owned(),
            team_id: "DEF123GHIJ".to_owned(),
            topic: "app.lingo.ios".to_owned(),
            base_url: base_url.to_owned(),
            timeout: Duration::from_secs(2),
        },
        Arc::new(SystemClock),
    )
    .expect("valid settings")
}

async fn outcome_of(status: u16, body: &str) -> PushOutcome {
    let apns = H2Double::script(vec![reply(status, body)]).await;
    sender(&apns.base_url)
        .send(&device(Platform::Ios, TOKEN), &message())
        .await
}

#[tokio::test]
async fn apns_pushes_over_http2_with_an_es256_provider_token() {
    let apns = H2Double::script(vec![reply(200, "")]).await;
    let sender = sender(&apns.base_url);
    let message = message();
    let outcome = sender.send(&device(Platform::Ios, TOKEN), &message).await;
    assert_eq!(outcome, PushOutcome::Delivered);
    let request = &apns.requests()[0];
    assert_eq!(request.version, http::Version::HTTP_2);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/3/device/{TOKEN}"));
    assert_eq!(request.header("apns-topic"), Some("app.lingo.ios"));
    assert_eq!(request.header("apns-push-type"), Some("alert"));
    let bearer = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("bearer "))
        .expect("a bearer provider token");
    let public =
        DecodingKey::from_ec_pem(fixture("apns_test_key.pub.pem").as_bytes()).expect("key");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let jwt = jsonwebtoken::decode::<serde_json::Value>(bearer, &public, &validation)
        .expect("an ES256 JWT signed with the .p8 key");
    assert_eq!(jwt.header.kid.as_deref(), Some("ABC123DEFG"));
    assert_eq!(jwt.claims["iss"], "DEF123GHIJ");
    assert!(jwt.claims["iat"].is_i64());
    let body = request.json();
    assert_eq!(body["aps"]["alert"]["title"], message.title);
    assert_eq!(body["notification_id"], message.notification.to_string());
}

#[tokio::test]
async fn apns_unregistered_and_bad_device_tokens_mean_the_token_is_no_longer_valid() {
    for (status, body) in [
        (
            410,
            r#"{"reason":"Unregistered","timestamp":1764633600000}"#,
        ),
        (410, r#"{"reason":"ExpiredToken"}"#),
        (400, r#"{"reason":"BadDeviceToken"}"#),
        (400, r#"{"reason":"DeviceTokenNotForTopic"}"#),
    ] {
        let outcome = outcome_of(status, body).await;
        assert!(
            matches!(outcome, PushOutcome::TokenInvalid(_)),
            "{body}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn apns_throttling_and_outages_may_pass_but_our_own_mistakes_are_rejected() {
    for (status, body) in [
        (429, r#"{"reason":"TooManyRequests"}"#),
        (503, r#"{"reason":"ServiceUnavailable"}"#),
        (500, r#"{"reason":"InternalServerError"}"#),
        (403, r#"{"reason":"ExpiredProviderToken"}"#),
    ] {
        let outcome = outcome_of(status, body).await;
        assert!(
            matches!(outcome, PushOutcome::Retryable(_)),
            "{body}: {outcome:?}"
        );
    }
    for (status, body) in [
        (400, r#"{"reason":"BadTopic"}"#),
        (403, r#"{"reason":"InvalidProviderToken"}"#),
        (413, r#"{"reason":"PayloadTooLarge"}"#),
    ] {
        let outcome = outcome_of(status, body).await;
        assert!(
            matches!(outcome, PushOutcome::Rejected(_)),
            "{body}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn apns_unreachable_is_retryable() {
    let base = lingo_http::testing::unreachable_base_url().await;
    let outcome = sender(&base)
        .send(&device(Platform::Ios, TOKEN), &message())
        .await;
    assert!(matches!(outcome, PushOutcome::Retryable(_)), "{outcome:?}");
}

#[test]
fn an_apns_key_that_is_not_ec_is_refused_at_start() {
    let result = ApnsSender::new(
        ApnsSettings {
            key_pem: fixture("rsa_test_key.pem"),
            key_id: "K".to_owned(),
            team_id: "T".to_owned(),
            topic: "app".to_owned(),
            base_url: ApnsSender::PRODUCTION_URL.to_owned(),
            timeout: Duration::from_secs(1),
        },
        Arc::new(SystemClock),
    );
    assert!(result.is_err());
}
