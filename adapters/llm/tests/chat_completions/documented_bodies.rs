//! Answers in the shapes OpenAI documents for `POST /v1/chat/completions` (and its structured
//! outputs guide), with the content a model answers for "house" for a Persian-speaking learner.

use serde_json::json;

/// What a good model answers: valid learner content for "house".
pub const HOUSE_CONTENT: &str = r#"{"ipa":"/haʊs/","senses":[{"part_of_speech":"noun","definition":"a building where a family lives","translation":"خانه"}],"examples":[{"text":"They live in a big house.","translation":"آنها در یک خانه بزرگ زندگی می‌کنند."},{"text":"My house is near the park.","translation":"خانه من نزدیک پارک است."}],"collocations":["big house","move house"],"mnemonic":"A mouse lives in a house.","common_mistakes":"Persian speakers often say 'I go to house'. Say 'I go home'."}"#;

/// The documented success body, as OpenAI sends it.
pub fn completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_721_596_428,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 412, "completion_tokens": 230, "total_tokens": 642},
        "system_fingerprint": "fp_611b667b19"
    })
    .to_string()
}

/// Structured outputs: the model declined, `content` is null and `refusal` says why.
pub const REFUSAL: &str = r#"{
  "id": "chatcmpl-2",
  "object": "chat.completion",
  "created": 1721596428,
  "model": "gpt-4o-2024-08-06",
  "choices": [{
    "index": 0,
    "message": {"role": "assistant", "content": null, "refusal": "I'm sorry, I cannot assist with that request."},
    "logprobs": null,
    "finish_reason": "stop"
  }],
  "usage": {"prompt_tokens": 380, "completion_tokens": 12, "total_tokens": 392}
}"#;

/// The answer reached `max_tokens`.
pub const TRUNCATED: &str = r#"{
  "id": "chatcmpl-3",
  "object": "chat.completion",
  "created": 1721596428,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [{
    "index": 0,
    "message": {"role": "assistant", "content": "{\"ipa\":\"/haʊs/\",\"senses\":[{\"part_of_", "refusal": null},
    "logprobs": null,
    "finish_reason": "length"
  }],
  "usage": {"prompt_tokens": 412, "completion_tokens": 1200, "total_tokens": 1612}
}"#;

/// A body that is JSON but not a completion: a proxy's status page, say.
pub const NO_CHOICES: &str =
    r#"{"id":"chatcmpl-4","object":"chat.completion","model":"gpt-4o-mini-2024-07-18"}"#;

pub const RATE_LIMITED: &str = r#"{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;

pub const SERVER_ERROR: &str = r#"{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}"#;

pub const OVERLOADED: &str = r#"{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}"#;

pub const BAD_KEY: &str = r#"{"error":{"message":"Incorrect API key provided: sk-test*****1234. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;

pub const NO_JSON_SCHEMA: &str =
    r#"{"error":{"message":"response_format json_schema not supported"}}"#;
