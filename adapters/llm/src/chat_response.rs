//! A chat-completions answer (HTTP 200) and what it comes to: the text with its cost, a refusal,
//! a truncation, or a shape that is not the documented one.

use lingo_content::ports::{Generated, GeneratorError, TokenUsage};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct ChatCompletion {
    #[serde(default)]
    model: Option<String>,
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
    /// OpenAI structured outputs: set instead of `content` when the model declines.
    #[serde(default)]
    refusal: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

/// `fallback_model` names the answer when the server does not (some local servers leave
/// `model` out).
pub(crate) fn generated(body: &[u8], fallback_model: &str) -> Result<Generated, GeneratorError> {
    let completion: ChatCompletion = serde_json::from_slice(body).map_err(|err| {
        GeneratorError::Malformed(format!("the answer is not a chat completion ({err})"))
    })?;
    let usage = completion
        .usage
        .map_or_else(TokenUsage::default, |usage| TokenUsage {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
        });
    let Some(choice) = completion.choices.into_iter().next() else {
        return Err(GeneratorError::Malformed(
            "the chat completion has no choices".to_owned(),
        ));
    };
    if let Some(refusal) = choice.message.refusal.filter(|r| !r.trim().is_empty()) {
        return Err(GeneratorError::Refused(refusal));
    }
    let content = choice.message.content.unwrap_or_default();
    match choice.finish_reason.as_deref() {
        Some("content_filter") => Err(GeneratorError::Refused(
            "the server's content filter stopped the answer".to_owned(),
        )),
        Some("length") => Err(GeneratorError::Truncated {
            partial: content,
            usage,
        }),
        _ if content.trim().is_empty() => Err(GeneratorError::Malformed(
            "the chat completion's message has no content".to_owned(),
        )),
        _ => Ok(Generated {
            text: content,
            usage,
            model: completion
                .model
                .filter(|model| !model.trim().is_empty())
                .unwrap_or_else(|| fallback_model.to_owned()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_usage_and_model_fall_back() {
        let body = br#"{"choices":[{"message":{"content":"{}"},"finish_reason":"stop"}]}"#;
        let generated = generated(body, "llama3.1:8b").expect("an answer");
        assert_eq!(generated.model, "llama3.1:8b");
        assert_eq!(generated.usage, TokenUsage::default());
        assert_eq!(generated.text, "{}");
    }

    #[test]
    fn a_content_filter_stop_is_a_refusal_and_empty_content_is_malformed() {
        let filtered =
            br#"{"choices":[{"message":{"content":null},"finish_reason":"content_filter"}]}"#;
        assert!(matches!(
            generated(filtered, "m"),
            Err(GeneratorError::Refused(_))
        ));
        let empty = br#"{"choices":[{"message":{"content":""},"finish_reason":"stop"}]}"#;
        assert!(matches!(
            generated(empty, "m"),
            Err(GeneratorError::Malformed(_))
        ));
        let no_message = br#"{"choices":[{"finish_reason":"stop"}]}"#;
        assert!(matches!(
            generated(no_message, "m"),
            Err(GeneratorError::Malformed(_))
        ));
    }
}
