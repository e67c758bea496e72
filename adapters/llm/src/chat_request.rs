//! The chat-completions request body: the model, the two messages, the sampling settings and,
//! depending on the server, how the answer is held to the content schema.

use crate::llm_settings::{LlmSettings, StructuredOutput};
use crate::prompt_template::Prompt;
use serde_json::{Value, json};

/// The name the schema is given in `response_format` (OpenAI requires one).
const SCHEMA_NAME: &str = "learner_content";

/// `schema` is `LEARNER_CONTENT_SCHEMA`, parsed once when the generator is built.
pub(crate) fn chat_request(settings: &LlmSettings, prompt: &Prompt, schema: &Value) -> Value {
    let mut body = json!({
        "model": settings.model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
    });
    if let (Some(format), Some(fields)) = (
        response_format(settings.structured_output, schema),
        body.as_object_mut(),
    ) {
        fields.insert("response_format".to_owned(), format);
    }
    body
}

fn response_format(structured_output: StructuredOutput, schema: &Value) -> Option<Value> {
    match structured_output {
        StructuredOutput::JsonSchema => Some(json!({
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "strict": true, "schema": schema},
        })),
        StructuredOutput::JsonObject => Some(json!({"type": "json_object"})),
        StructuredOutput::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt() -> Prompt {
        Prompt {
            system: "system".to_owned(),
            user: "user".to_owned(),
        }
    }

    fn with(structured_output: StructuredOutput) -> LlmSettings {
        LlmSettings {
            structured_output,
            ..LlmSettings::new("http://localhost:11434/v1", "llama3.1:8b")
        }
    }

    #[test]
    fn each_structured_output_mode_sends_its_response_format() {
        let schema = json!({"type": "object"});
        let body = chat_request(&with(StructuredOutput::JsonSchema), &prompt(), &schema);
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert_eq!(body["response_format"]["json_schema"]["schema"], schema);

        let body = chat_request(&with(StructuredOutput::JsonObject), &prompt(), &schema);
        assert_eq!(body["response_format"], json!({"type": "json_object"}));

        let body = chat_request(&with(StructuredOutput::None), &prompt(), &schema);
        assert!(body.get("response_format").is_none());
        assert_eq!(body["model"], "llama3.1:8b");
        assert_eq!(body["max_tokens"], 1200);
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(body["messages"][1]["content"], "user");
    }
}
