use crate::{device, fixture, message};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lingo_http::testing::{HttpDouble, Reply, Route, json};
use lingo_kernel::SystemClock;
use lingo_notifications::Platform;
use lingo_notifications::ports::{PushOutcome, PushSender};
use lingo_push::{FcmSender, FcmSettings, ServiceAccount};
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "dGVzdC1mY20tdG9rZW4:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ";
const SEND_PATH: &str = "/v1/projects/lingo-test/messages:send";
const ACCESS: &str =
    r#"{"access_token":"ya29.c.test-access-token","expires_in":3599,"token_type":"Bearer"}"#;
const SENT: &str = r#"{"name":"projects/lingo-test/messages/0:1500415314455276%31bd1c9631bd1c96"}"#;
const UNREGISTERED: &str = r#"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"#;
const INVALID_TOKEN: &str = r#"{"error":{"code":400,"message":"The registration token is not a valid FCM registration token","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INVALID_ARGUMENT"},{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.token","description":"Invalid registration token"}]}]}}"#;
const INVALID_PAYLOAD: &str = r#"{"error":{"code":400,"message":"Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), Field 'ttl', Illegal duration format","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.android.ttl","description":"Illegal duration format"}]}]}}"#;
const SENDER_MISMATCH: &str = r#"{"error":{"code":403,"message":"SenderId mismatch","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"SENDER_ID_MISMATCH"}]}}"#;
const UNAVAILABLE: &str = r#"{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNAVAILABLE"}]}}"#;
const UNAUTHENTICATED: &str = r#"{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","status":"UNAUTHENTICATED"}}"#;
const INVALID_GRANT: &str =
    r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#;

async fn fcm(send: Vec<Reply>, token: Reply) -> (HttpDouble, FcmSender) {
    let double = HttpDouble::routes(vec![
        Route::post("/token").reply(token),
        Route::post(SEND_PATH).replies(send),
    ])
    .await;
    let account = ServiceAccount::from_json(&fixture("service_account.json"))
        .expect("key file")
        .with_token_uri(&double.url("/token"));
    let sender = FcmSender::new(
        FcmSettings {
            project_id: "lingo-test".to_owned(),
            account,
            base_url: double.base_url.clone(),
            timeout: Duration::from_secs(2),
        },
        Arc::new(SystemClock),
    )
    .expect("valid settings");
    (double, sender)
}

async fn outcome_of(send: Reply) -> PushOutcome {
    let (_double, sender) = fcm(vec![send], json(200, ACCESS)).await;
    sender
        .send(&device(Platform::Android, TOKEN), &message())
        .await
}

#[tokio::test]
async fn fcm_signs_a_service_account_jwt_exchanges_it_once_and_posts_the_message() {
    let (double, sender) = fcm(vec![json(200, SENT)], json(200, ACCESS)).await;
    let (device, message) = (device(Platform::Android, TOKEN), message());
    assert_eq!(sender.send(&device, &message).await, PushOutcome::Delivered);
    assert_eq!(sender.send(&device, &message).await, PushOutcome::Delivered);
    assert_eq!(
        double.hits("POST", "/token"),
        1,
        "the access token is reused"
    );
    let requests = double.requests();
    let form = requests[0].form();
    assert_eq!(
        form["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    let public =
        DecodingKey::from_rsa_pem(fixture("rsa_test_key.pub.pem").as_bytes()).expect("key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[double.url("/token")]);
    let jwt = jsonwebtoken::decode::<serde_json::Value>(&form["assertion"], &public, &validation)
        .expect("an RS256 JWT signed by the service account's key");
    assert_eq!(jwt.header.kid.as_deref(), Some("test-key-1"));
    assert_eq!(jwt.claims["iss"], "push@lingo-test.iam.gserviceaccount.com");
    assert_eq!(
        jwt.claims["scope"],
        "https://www.googleapis.com/auth/firebase.messaging"
    );
    let send = &requests[1];
    assert_eq!(send.path, SEND_PATH);
    assert_eq!(
        send.header("authorization"),
        Some("Bearer ya29.c.test-access-token")
    );
    let body = send.json();
    assert_eq!(body["message"]["token"], TOKEN);
    assert_eq!(body["message"]["notification"]["title"], message.title);
    assert_eq!(
        body["message"]["data"]["notification_id"],
        message.notification.to_string()
    );
}

#[tokio::test]
async fn fcm_unregistered_and_invalid_token_answers_mean_the_token_is_no_longer_valid() {
    for body in [UNREGISTERED, INVALID_TOKEN, SENDER_MISMATCH] {
        let status = serde_json::from_str::<serde_json::Value>(body).expect("json")["error"]["code"]
            .as_u64()
            .expect("code") as u16;
        let outcome = outcome_of(json(status, body)).await;
        assert!(
            matches!(outcome, PushOutcome::TokenInvalid(_)),
            "{body}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn fcm_invalid_argument_about_the_payload_is_our_fault_not_the_devices() {
    let outcome = outcome_of(json(400, INVALID_PAYLOAD)).await;
    assert!(matches!(outcome, PushOutcome::Rejected(_)), "{outcome:?}");
}

#[tokio::test]
async fn fcm_unavailable_and_timeouts_may_pass() {
    let outcome = outcome_of(json(503, UNAVAILABLE).with_header("Retry-After", "30")).await;
    assert!(matches!(outcome, PushOutcome::Retryable(_)), "{outcome:?}");
    let outcome = outcome_of(Reply::silence(Duration::from_secs(5))).await;
    assert!(matches!(outcome, PushOutcome::Retryable(_)), "{outcome:?}");
    let outcome = outcome_of(Reply::text(502, "<html>bad gateway</html>")).await;
    assert!(matches!(outcome, PushOutcome::Retryable(_)), "{outcome:?}");
}

#[tokio::test]
async fn fcm_refusing_the_access_token_makes_the_next_send_fetch_another() {
    let (double, sender) = fcm(
        vec![json(401, UNAUTHENTICATED), json(200, SENT)],
        json(200, ACCESS),
    )
    .await;
    let (device, message) = (device(Platform::Android, TOKEN), message());
    let first = sender.send(&device, &message).await;
    assert!(matches!(first, PushOutcome::Retryable(_)), "{first:?}");
    assert_eq!(sender.send(&device, &message).await, PushOutcome::Delivered);
    assert_eq!(double.hits("POST", "/token"), 2);
}

#[tokio::test]
async fn fcm_credentials_the_token_endpoint_refuses_are_rejected_without_sending() {
    let (double, sender) = fcm(vec![json(200, SENT)], json(400, INVALID_GRANT)).await;
    let outcome = sender
        .send(&device(Platform::Android, TOKEN), &message())
        .await;
    match outcome {
        PushOutcome::Rejected(reason) => assert!(reason.contains("invalid_grant"), "{reason}"),
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert_eq!(double.hits("POST", SEND_PATH), 0);
}

#[test]
fn a_key_file_without_an_rsa_key_is_refused_at_start() {
    let broken = r#"{"client_email":"a@b","private_key_id":"k","private_key":"not a key"}"#;
    assert!(ServiceAccount::from_json(broken).is_err());
    assert!(ServiceAccount::from_json("{}").is_err());
}
