use lingo_dictionary::speech::{AudioKey, SpeechError, SpeechSynthesizer, SpeechText};
use lingo_http::testing::{HttpDouble, Reply, unreachable_base_url};
use lingo_kernel::LanguageCode;
use lingo_speech::{OpenAiSpeech, OpenAiSpeechSettings};
use std::time::Duration;

/// The start of an MP3 file (an ID3v2 header), as the API answers with `response_format: mp3`.
const MP3: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64\x00\x00\x00\x00";
/// The API's documented error body.
const BAD_KEY: &str = r#"{"error": {"message": "Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#;

fn speech_at(base_url: &str) -> OpenAiSpeech {
    OpenAiSpeech::new(OpenAiSpeechSettings {
        base_url: format!("{base_url}/v1"),
        model: "tts-1".into(),
        voice: "alloy".into(),
        api_key: Some("sk-test".into()),
        timeout: Duration::from_millis(500),
    })
    .expect("valid settings")
}

fn house(engine: &OpenAiSpeech) -> AudioKey {
    let language = LanguageCode::parse("en").expect("language");
    AudioKey {
        voice: engine.default_voice(&language).expect("voice"),
        language,
        text: SpeechText::parse("house").expect("text"),
    }
}

#[tokio::test]
async fn the_documented_request_answers_mp3() {
    let server = HttpDouble::start(Reply::bytes(200, "audio/mpeg", MP3)).await;
    let engine = speech_at(&server.base_url);
    let speech = engine.synthesize(&house(&engine)).await.expect("audio");
    assert_eq!(speech.content_type, "audio/mpeg");
    assert_eq!(speech.bytes, MP3);
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/audio/speech");
    assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
    let body = request.json();
    assert_eq!(body["model"], "tts-1");
    assert_eq!(body["input"], "house");
    assert_eq!(body["voice"], "alloy");
    assert_eq!(body["response_format"], "mp3");
    assert_eq!(engine.engine(), "openai-compatible:tts-1");
}

#[tokio::test]
async fn a_wrong_key_is_a_rejection_and_overload_is_unavailable() {
    let server = HttpDouble::start(Reply::json(401, BAD_KEY)).await;
    let engine = speech_at(&server.base_url);
    let err = engine
        .synthesize(&house(&engine))
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, SpeechError::Rejected(m) if m.contains("401")),
        "{err}"
    );
    assert!(!err.to_string().contains("sk-test"), "the key never shows");

    let server = HttpDouble::start(
        Reply::json(429, r#"{"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}"#)
            .with_header("retry-after", "0"),
    )
    .await;
    let engine = speech_at(&server.base_url);
    let err = engine
        .synthesize(&house(&engine))
        .await
        .expect_err("limited");
    assert!(matches!(err, SpeechError::Unavailable(_)), "{err}");
    assert!(server.request_count() > 1, "429 is retried");
}

#[tokio::test]
async fn an_answer_that_is_not_audio_is_never_taken_for_audio() {
    let server = HttpDouble::start(Reply::bytes(
        200,
        "text/html",
        b"<html>captive portal</html>",
    ))
    .await;
    let engine = speech_at(&server.base_url);
    let err = engine
        .synthesize(&house(&engine))
        .await
        .expect_err("not audio");
    assert!(matches!(err, SpeechError::Rejected(_)), "{err}");
}

#[tokio::test]
async fn a_server_that_is_down_is_unavailable() {
    let engine = speech_at(&unreachable_base_url().await);
    let err = engine.synthesize(&house(&engine)).await.expect_err("down");
    assert!(matches!(err, SpeechError::Unavailable(_)), "{err}");
}
