use lingo_http::testing::{HttpDouble, Reply, json, unreachable_base_url};
use lingo_sms::TwilioSender;
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};
use std::time::Duration;

const ACCOUNT_SID: &str = "AC0123456789abcdef";
const AUTH_TOKEN: &str = "twilio-auth-token-s3cret";
/// `base64("AC0123456789abcdef:twilio-auth-token-s3cret")`
const BASIC_AUTH: &str = "Basic QUMwMTIzNDU2Nzg5YWJjZGVmOnR3aWxpby1hdXRoLXRva2VuLXMzY3JldA==";
const FROM: &str = "+15017122661";
const TIMEOUT: Duration = Duration::from_millis(300);

const CREATED: &str = r#"{"account_sid":"AC0123456789abcdef","body":"code 123456","from":"+15017122661","to":"+14155550100","sid":"SM1234567890abcdef1234567890abcdef","status":"queued","error_code":null,"error_message":null}"#;
const INVALID_TO: &str = r#"{"code": 21211, "message": "The 'To' number +14155550100 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+14155550100").expect("valid phone number")
}

fn sender(base_url: &str) -> TwilioSender {
    TwilioSender::new(base_url, ACCOUNT_SID, AUTH_TOKEN, FROM, TIMEOUT).expect("valid config")
}

async fn send_against(reply: Reply) -> Result<(), SmsError> {
    let provider = HttpDouble::start(reply).await;
    sender(&provider.base_url)
        .send(&phone(), "code 123456")
        .await
}

/// Every error must be safe to log: no auth token, no full phone number.
fn assert_safe_to_log(message: &str) {
    assert!(
        !message.contains(AUTH_TOKEN),
        "the auth token leaked: {message}"
    );
    assert!(
        !message.contains("4155550100"),
        "the phone number leaked: {message}"
    );
}

fn expect_rejected(result: Result<(), SmsError>) -> String {
    match result {
        Err(error @ SmsError::Rejected(_)) => {
            assert_safe_to_log(&error.to_string());
            error.to_string()
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

fn expect_unavailable(result: Result<(), SmsError>) -> String {
    match result {
        Err(error @ SmsError::Unavailable(_)) => {
            assert_safe_to_log(&error.to_string());
            error.to_string()
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn twilio_send_creates_a_message_with_basic_auth_and_the_e164_number() {
    let provider = HttpDouble::start(json(201, CREATED)).await;

    let result = sender(&provider.base_url)
        .send(&phone(), "code 123456 & more")
        .await;

    assert_eq!(result, Ok(()));
    let request = provider.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
    );
    assert_eq!(
        request.headers.get("authorization").map(String::as_str),
        Some(BASIC_AUTH)
    );
    let form = request.form();
    assert_eq!(form["To"], "+14155550100");
    assert_eq!(form["From"], FROM);
    assert_eq!(form["Body"], "code 123456 & more");
}

#[tokio::test]
async fn twilio_invalid_number_is_rejected_with_the_provider_message_and_the_number_masked() {
    let message = expect_rejected(send_against(json(400, INVALID_TO)).await);

    assert!(message.contains("21211"), "{message}");
    assert!(
        message.contains("The 'To' number +14…00 is not a valid phone number."),
        "{message}"
    );
}

#[tokio::test]
async fn twilio_bad_credentials_and_unknown_account_are_rejected() {
    for status in [401, 403, 404] {
        let body = format!(r#"{{"code":20003,"message":"Authenticate","status":{status}}}"#);
        let message = expect_rejected(send_against(json(status, &body)).await);
        assert!(message.contains("Authenticate"), "{status}: {message}");
    }
}

#[tokio::test]
async fn twilio_rate_limit_is_unavailable() {
    let body = r#"{"code":20429,"message":"Too Many Requests","status":429}"#;

    expect_unavailable(send_against(json(429, body)).await);
}

#[tokio::test]
async fn twilio_server_error_is_unavailable() {
    expect_unavailable(send_against(json(500, "")).await);
}

#[tokio::test]
async fn twilio_that_stays_silent_past_the_timeout_is_unavailable() {
    let message = expect_unavailable(send_against(Reply::silence(Duration::from_secs(3))).await);

    assert!(message.contains("timed out"), "{message}");
}

#[tokio::test]
async fn twilio_created_with_a_malformed_body_is_unavailable() {
    let message = expect_unavailable(send_against(json(201, r#"{"sid": 42"#)).await);

    assert!(message.contains("not a Message resource"), "{message}");
}

#[tokio::test]
async fn twilio_answer_cut_off_mid_body_is_unavailable() {
    let reply = Reply::cut_off(201, CREATED.len(), &CREATED[..30]);

    expect_unavailable(send_against(reply).await);
}

#[tokio::test]
async fn twilio_hanging_up_without_an_answer_is_unavailable() {
    expect_unavailable(send_against(Reply::hang_up()).await);
}

#[tokio::test]
async fn twilio_unreachable_is_unavailable() {
    let base_url = unreachable_base_url().await;

    expect_unavailable(sender(&base_url).send(&phone(), "code 1").await);
}

#[test]
fn twilio_debug_output_hides_the_auth_token() {
    let sender = sender(TwilioSender::DEFAULT_BASE_URL);

    assert!(!format!("{sender:?}").contains(AUTH_TOKEN));
}
