use lingo_http::testing::{HttpDouble, Reply, json, unreachable_base_url};
use lingo_sms::KavenegarSender;
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};
use std::time::Duration;

const API_KEY: &str = "4A6B2F7kavenegar-key-s3cret";
const TIMEOUT: Duration = Duration::from_millis(300);

const ACCEPTED: &str = r#"{"return":{"status":200,"message":"تایید شد"},"entries":[{"messageid":8792343,"message":"کد ورود شما 123456","status":1,"statustext":"در صف ارسال","sender":"10004346","receptor":"09121234567","date":1356619709,"cost":120}]}"#;

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+989121234567").expect("valid phone number")
}

fn sender(base_url: &str) -> KavenegarSender {
    KavenegarSender::new(base_url, API_KEY, Some("10004346"), TIMEOUT).expect("valid config")
}

async fn send_against(reply: Reply) -> Result<(), SmsError> {
    let provider = HttpDouble::start(reply).await;
    sender(&provider.base_url)
        .send(&phone(), "code 123456")
        .await
}

/// Every error must be safe to log: no API key, no full phone number.
fn assert_safe_to_log(error: &SmsError) {
    let text = error.to_string();
    assert!(!text.contains(API_KEY), "the API key leaked: {text}");
    assert!(
        !text.contains("9121234567"),
        "the phone number leaked: {text}"
    );
}

fn expect_rejected(result: Result<(), SmsError>) -> String {
    match result {
        Err(SmsError::Rejected(message)) => {
            assert_safe_to_log(&SmsError::Rejected(message.clone()));
            message
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

fn expect_unavailable(result: Result<(), SmsError>) -> String {
    match result {
        Err(SmsError::Unavailable(message)) => {
            assert_safe_to_log(&SmsError::Unavailable(message.clone()));
            message
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn kavenegar_send_posts_the_form_to_the_key_path_with_digits_only_receptor() {
    let provider = HttpDouble::start(json(200, ACCEPTED)).await;

    let result = sender(&provider.base_url)
        .send(&phone(), "کد ورود شما: 123456")
        .await;

    assert_eq!(result, Ok(()));
    let request = provider.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/v1/{API_KEY}/sms/send.json"));
    assert_eq!(
        request.headers.get("content-type").map(String::as_str),
        Some("application/x-www-form-urlencoded")
    );
    let form = request.form();
    assert_eq!(form["receptor"], "989121234567");
    assert_eq!(form["message"], "کد ورود شما: 123456");
    assert_eq!(form["sender"], "10004346");
}

#[tokio::test]
async fn kavenegar_without_a_sender_line_leaves_the_field_out() {
    let provider = HttpDouble::start(json(200, ACCEPTED)).await;
    let sender = KavenegarSender::new(&provider.base_url, API_KEY, None, TIMEOUT).expect("config");

    sender.send(&phone(), "code 123456").await.expect("sent");

    assert!(!provider.only_request().form().contains_key("sender"));
}

#[tokio::test]
async fn kavenegar_invalid_receptor_is_rejected_with_the_provider_message() {
    let body = r#"{"return":{"status":411,"message":"گیرنده نامعتبر است"},"entries":null}"#;

    let message = expect_rejected(send_against(json(411, body)).await);

    assert!(message.contains("411"), "{message}");
    assert!(message.contains("گیرنده نامعتبر است"), "{message}");
}

#[tokio::test]
async fn kavenegar_bad_parameters_invalid_key_and_no_credit_are_rejected() {
    for (status, text) in [
        (400, "پارامترها ناقص هستند"),
        (401, "حساب کاربری غیرفعال شده است"),
        (412, "ارسال کننده نامعتبر است"),
        (418, "اعتبار حساب شما کافی نیست"),
    ] {
        let body =
            format!(r#"{{"return":{{"status":{status},"message":"{text}"}},"entries":null}}"#);
        let message = expect_rejected(send_against(json(status, &body)).await);
        assert!(message.contains(text), "{status}: {message}");
    }
}

#[tokio::test]
async fn kavenegar_rate_limit_is_unavailable() {
    let body = r#"{"return":{"status":429,"message":"Too Many Requests"},"entries":null}"#;

    expect_unavailable(send_against(json(429, body)).await);
}

#[tokio::test]
async fn kavenegar_server_error_is_unavailable_even_without_an_envelope() {
    expect_unavailable(send_against(json(500, "<html>Internal Server Error</html>")).await);
}

#[tokio::test]
async fn kavenegar_that_stays_silent_past_the_timeout_is_unavailable() {
    let message = expect_unavailable(send_against(Reply::silence(Duration::from_secs(3))).await);

    assert!(message.contains("timed out"), "{message}");
}

#[tokio::test]
async fn kavenegar_success_with_a_non_json_body_is_unavailable() {
    let message = expect_unavailable(send_against(json(200, "OK")).await);

    assert!(message.contains("not its JSON envelope"), "{message}");
}

#[tokio::test]
async fn kavenegar_answer_cut_off_mid_body_is_unavailable() {
    let reply = Reply::cut_off(200, ACCEPTED.len(), &ACCEPTED[..24]);

    expect_unavailable(send_against(reply).await);
}

#[tokio::test]
async fn kavenegar_hanging_up_without_an_answer_is_unavailable() {
    expect_unavailable(send_against(Reply::hang_up()).await);
}

#[tokio::test]
async fn kavenegar_answer_over_the_size_cap_is_unavailable() {
    let huge = format!(r#"{{"padding":"{}"}}"#, "x".repeat(100 * 1024));

    let message = expect_unavailable(send_against(json(200, &huge)).await);

    assert!(message.contains("larger than"), "{message}");
}

#[tokio::test]
async fn kavenegar_unreachable_is_unavailable_and_the_error_hides_the_key_in_the_url() {
    let base_url = unreachable_base_url().await;

    let message = expect_unavailable(sender(&base_url).send(&phone(), "code 1").await);

    assert!(message.contains("connect"), "{message}");
}

#[tokio::test]
async fn kavenegar_message_blocked_at_once_is_rejected() {
    let body = ACCEPTED.replace(
        r#""status":1,"statustext":"در صف ارسال""#,
        r#""status":14,"statustext":"بلاک شده""#,
    );

    let message = expect_rejected(send_against(json(200, &body)).await);

    assert!(message.contains("14"), "{message}");
}

#[test]
fn kavenegar_debug_output_hides_the_api_key() {
    let sender = sender(KavenegarSender::DEFAULT_BASE_URL);

    assert!(!format!("{sender:?}").contains(API_KEY));
}
