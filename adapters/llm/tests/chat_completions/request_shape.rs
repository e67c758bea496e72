//! What the generator sends: the endpoint, the key, the model, the messages and the schema.

use crate::documented_bodies::{HOUSE_CONTENT, completion};
use crate::fast_settings::ChatMessages;
use crate::fast_settings::{API_KEY, MODEL, fast_settings, generator, house_for_persian_a2};
use lingo_content::LEARNER_CONTENT_SCHEMA;
use lingo_content::ports::{ContentGenerator, Repair};
use lingo_http::testing::{HttpDouble, json};
use lingo_llm::{LlmSettings, OpenAiCompatibleGenerator, StructuredOutput};

#[tokio::test]
async fn the_request_carries_the_model_key_schema_word_and_native_language() {
    let server = HttpDouble::start(json(200, &completion(HOUSE_CONTENT))).await;

    generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(
        request.headers.get("authorization").map(String::as_str),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(request.json()["model"], MODEL);
    assert_eq!(request.json()["max_tokens"], 1200);
    assert!((request.json()["temperature"].as_f64().expect("a number") - 0.3).abs() < 1e-6);

    let format = &request.json()["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "learner_content");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema: serde_json::Value =
        serde_json::from_str(LEARNER_CONTENT_SCHEMA).expect("the schema is JSON");
    assert_eq!(format["json_schema"]["schema"], schema);

    let system = request.message("system");
    assert!(
        system.contains("Common mistakes are specific to speakers of THIS native language"),
        "{system}"
    );
    let user = request.message("user");
    assert!(user.contains("Word: house"), "{user}");
    assert!(
        user.contains("Learner's native language: Persian (Farsi) [fa]"),
        "{user}"
    );
    assert!(user.contains("Learner's CEFR level: A2"), "{user}");
    assert!(
        user.contains("A structure serving as an abode"),
        "grounded: {user}"
    );
    assert!(user.contains("خانه"), "the stored translation: {user}");
    assert!(user.contains("/haʊs/ (UK)"), "the stored IPA: {user}");
    assert!(!user.contains("{{"), "{user}");
}

#[tokio::test]
async fn a_repair_request_contains_the_previous_answer_and_the_problems() {
    let server = HttpDouble::start(json(200, &completion(HOUSE_CONTENT))).await;
    let previous = r#"{"ipa":"/haʊs/","senses":[],"examples":[]}"#;
    let mut request = house_for_persian_a2();
    request.repair = Some(Repair {
        previous: previous.to_owned(),
        problems: vec![
            "senses must hold 1 to 3 items, not 0".to_owned(),
            "examples must hold 2 or 3 items, not 0".to_owned(),
        ],
    });

    generator(&server.url("/v1"))
        .generate(&request)
        .await
        .expect("an answer");

    let user = server.only_request().message("user");
    assert!(user.contains(previous), "{user}");
    assert!(
        user.contains(
            "1. senses must hold 1 to 3 items, not 0\n2. examples must hold 2 or 3 items, not 0"
        ),
        "{user}"
    );
    assert!(user.contains("corrected JSON object only"), "{user}");
}

#[tokio::test]
async fn structured_output_none_sends_no_response_format_and_no_key_sends_no_authorization() {
    let server = HttpDouble::start(json(200, &completion(HOUSE_CONTENT))).await;
    let settings = LlmSettings {
        api_key: None,
        structured_output: StructuredOutput::None,
        ..fast_settings(&server.url("/v1"))
    };

    OpenAiCompatibleGenerator::new(settings)
        .expect("valid settings")
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer");

    let request = server.only_request();
    assert!(
        request.json().get("response_format").is_none(),
        "{}",
        request.text()
    );
    assert!(!request.headers.contains_key("authorization"));
    assert!(
        request.message("user").contains("JSON Schema"),
        "the prompt still asks"
    );
}

#[tokio::test]
async fn structured_output_json_object_sends_the_json_object_format() {
    let server = HttpDouble::start(json(200, &completion(HOUSE_CONTENT))).await;
    let settings = LlmSettings {
        structured_output: StructuredOutput::JsonObject,
        ..fast_settings(&server.url("/v1"))
    };

    OpenAiCompatibleGenerator::new(settings)
        .expect("valid settings")
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer");

    assert_eq!(
        server.only_request().json()["response_format"],
        serde_json::json!({"type": "json_object"})
    );
}

#[test]
fn the_generator_names_itself_its_model_and_prompt_version_and_hides_the_key() {
    let generator = generator("http://127.0.0.1:1/v1");
    assert_eq!(generator.name(), "openai-compatible");
    assert_eq!(generator.model(), MODEL);
    assert_eq!(generator.prompt_version(), "learner_content/v1");
    let shown = format!("{generator:?}");
    assert!(!shown.contains(API_KEY), "{shown}");
}
