//! What the generator makes of each documented answer.

use crate::documented_bodies::{HOUSE_CONTENT, NO_CHOICES, REFUSAL, TRUNCATED, completion};
use crate::fast_settings::{expect_malformed, generator, house_for_persian_a2};
use lingo_content::LearnerContent;
use lingo_content::ports::{ContentGenerator, GeneratorError, TokenUsage};
use lingo_http::testing::{HttpDouble, json};

#[tokio::test]
async fn a_valid_answer_returns_its_text_usage_and_the_model_that_answered() {
    let server = HttpDouble::start(json(200, &completion(HOUSE_CONTENT))).await;

    let generated = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await
        .expect("an answer");

    assert_eq!(generated.text, HOUSE_CONTENT);
    assert_eq!(
        generated.usage,
        TokenUsage {
            prompt_tokens: 412,
            completion_tokens: 230
        }
    );
    assert_eq!(generated.model, "gpt-4o-mini-2024-07-18");
    assert!(LearnerContent::parse(&generated.text, "house").is_ok());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn content_that_is_not_valid_json_comes_back_unchanged_for_the_domain_to_reject() {
    let not_json = "Sure! Here is the card for \"house\": {ipa: /haʊs/, senses: [";
    let server = HttpDouble::start(json(200, &completion(not_json))).await;

    let generated = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await
        .expect("the adapter does not judge the content");

    assert_eq!(generated.text, not_json);
    assert!(LearnerContent::parse(&generated.text, "house").is_err());
}

#[tokio::test]
async fn a_refusal_is_refused_with_the_models_reason() {
    let server = HttpDouble::start(json(200, REFUSAL)).await;

    let result = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await;

    assert_eq!(
        result,
        Err(GeneratorError::Refused(
            "I'm sorry, I cannot assist with that request.".to_owned()
        ))
    );
    assert_eq!(server.request_count(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn finish_reason_length_is_truncated_with_the_partial_text_and_usage() {
    let server = HttpDouble::start(json(200, TRUNCATED)).await;

    let result = generator(&server.url("/v1"))
        .generate(&house_for_persian_a2())
        .await;

    assert_eq!(
        result,
        Err(GeneratorError::Truncated {
            partial: r#"{"ipa":"/haʊs/","senses":[{"part_of_"#.to_owned(),
            usage: TokenUsage {
                prompt_tokens: 412,
                completion_tokens: 1200
            },
        })
    );
}

#[tokio::test]
async fn an_envelope_without_choices_is_malformed() {
    let server = HttpDouble::start(json(200, NO_CHOICES)).await;

    let message = expect_malformed(
        generator(&server.url("/v1"))
            .generate(&house_for_persian_a2())
            .await,
    );

    assert!(message.contains("choices"), "{message}");
    assert_eq!(server.request_count(), 1, "the same body would come again");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_malformed() {
    let server = HttpDouble::start(json(200, "<html>Welcome to nginx!</html>")).await;

    let message = expect_malformed(
        generator(&server.url("/v1"))
            .generate(&house_for_persian_a2())
            .await,
    );

    assert!(message.contains("not a chat completion"), "{message}");
}
