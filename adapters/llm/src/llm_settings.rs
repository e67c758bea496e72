//! How the chat-completions server is reached, which model answers and how hard we try: loaded
//! once by the app, checked when the generator is built.

use crate::BuildError;
use lingo_http::header::HeaderValue;
use lingo_http::{HttpSettings, Url, endpoint, parse_base_url};
use std::fmt;
use std::time::Duration;

/// How the answer is held to the content schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StructuredOutput {
    /// `response_format: {type: "json_schema", strict: true, …}` (OpenAI, vLLM, recent Ollama
    /// and llama.cpp): the server constrains decoding to the schema.
    #[default]
    JsonSchema,
    /// `response_format: {type: "json_object"}`: valid JSON, the shape left to the prompt.
    JsonObject,
    /// No `response_format`: for servers that reject it. The prompt still asks for JSON and the
    /// domain checks what comes back.
    None,
}

/// The generator's settings. Start from [`LlmSettings::new`] and override what the deployment
/// needs.
#[derive(Clone, PartialEq)]
pub struct LlmSettings {
    /// Up to the API version, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`;
    /// `/chat/completions` is appended.
    pub base_url: String,
    /// Sent as `Authorization: Bearer …`; `None` (or blank) for local servers that need none.
    /// Never logged: `Debug` redacts it.
    pub api_key: Option<String>,
    pub model: String,
    /// Bounds one attempt, from connecting until the last byte of the answer.
    pub timeout: Duration,
    /// Attempts per request, the first included; at least 1.
    pub max_attempts: u32,
    /// The backoff before the second attempt; it doubles for each later one (with jitter).
    pub base_delay: Duration,
    /// No wait between attempts is longer, whatever the backoff or `Retry-After` says.
    pub max_delay: Duration,
    /// The answer's length limit; an answer that reaches it is truncated.
    pub max_tokens: u32,
    /// 0 to 2; low, because the content should be plain and dependable.
    pub temperature: f32,
    pub structured_output: StructuredOutput,
}

impl LlmSettings {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(20);
    pub const DEFAULT_MAX_TOKENS: u32 = 1200;
    pub const DEFAULT_TEMPERATURE: f32 = 0.3;

    /// The defaults, against `base_url` with `model`, without a key.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: None,
            model: model.into(),
            timeout: Self::DEFAULT_TIMEOUT,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            max_tokens: Self::DEFAULT_MAX_TOKENS,
            temperature: Self::DEFAULT_TEMPERATURE,
            structured_output: StructuredOutput::default(),
        }
    }

    /// The key to send, if any: a blank key (an empty environment variable) is no key.
    pub(crate) fn key(&self) -> Option<&str> {
        self.api_key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
    }

    /// Checks everything a request relies on, so a typo fails the boot, not a request.
    pub(crate) fn check(&self) -> Result<Url, BuildError> {
        let invalid = |what: &str| Err(BuildError::Settings(what.to_owned()));
        if self.model.trim().is_empty() {
            return invalid("the model must be named");
        }
        if self.timeout.is_zero() {
            return invalid("the timeout must be longer than zero");
        }
        if self.max_attempts == 0 {
            return invalid("max_attempts must be at least 1");
        }
        if self.base_delay > self.max_delay {
            return invalid("base_delay must not be longer than max_delay");
        }
        if self.max_tokens == 0 {
            return invalid("max_tokens must be at least 1");
        }
        if !(0.0..=2.0).contains(&self.temperature) {
            return invalid("temperature must be between 0 and 2");
        }
        if let Some(key) = self.key()
            && HeaderValue::from_str(&format!("Bearer {key}")).is_err()
        {
            return invalid("api_key must be printable ASCII");
        }
        parse_base_url(&self.base_url).ok_or_else(|| BuildError::BaseUrl(self.base_url.clone()))
    }

    /// The client these settings ask for: JSON accepted, no redirects followed (one would
    /// carry the key somewhere not configured).
    pub(crate) fn http_settings(&self) -> HttpSettings {
        HttpSettings {
            timeout: self.timeout,
            connect_timeout: self.timeout,
            user_agent: concat!("Lingo/", env!("CARGO_PKG_VERSION")).to_owned(),
            accept: Some("application/json".to_owned()),
            max_attempts: self.max_attempts,
            base_delay: self.base_delay,
            max_delay: self.max_delay,
            max_body_bytes: MAX_BODY_BYTES,
            max_redirects: 0,
            http2_prior_knowledge: false,
        }
    }
}

/// A completion is a few kilobytes; a body much larger is not one.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// `{base}/chat/completions`, whether or not the base ends with a slash.
pub(crate) fn chat_completions_url(base: &Url) -> Url {
    endpoint(base, &["chat", "completions"])
}

impl fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.key().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("max_tokens", &self.max_tokens)
            .field("temperature", &self.temperature)
            .field("structured_output", &self.structured_output)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> LlmSettings {
        LlmSettings::new("https://api.openai.com/v1", "gpt-4o-mini")
    }

    #[test]
    fn defaults_pass_the_check() {
        assert!(good().check().is_ok());
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let cases = [
            LlmSettings {
                model: " ".to_owned(),
                ..good()
            },
            LlmSettings {
                max_attempts: 0,
                ..good()
            },
            LlmSettings {
                timeout: Duration::ZERO,
                ..good()
            },
            LlmSettings {
                base_delay: Duration::from_secs(30),
                ..good()
            },
            LlmSettings {
                max_tokens: 0,
                ..good()
            },
            LlmSettings {
                temperature: 2.5,
                ..good()
            },
            LlmSettings {
                temperature: f32::NAN,
                ..good()
            },
            LlmSettings {
                api_key: Some("sk-\n".to_owned() + "x"),
                ..good()
            },
        ];
        for settings in cases {
            assert!(
                matches!(settings.check(), Err(BuildError::Settings(_))),
                "{settings:?}"
            );
        }
        for url in ["ftp://example.org", "not a url", "mailto:a@example.org"] {
            let settings = LlmSettings::new(url, "m");
            assert_eq!(settings.check(), Err(BuildError::BaseUrl(url.to_owned())));
        }
    }

    #[test]
    fn the_endpoint_is_appended_with_or_without_a_trailing_slash() {
        for base in ["http://localhost:11434/v1", "http://localhost:11434/v1/"] {
            let url = chat_completions_url(&Url::parse(base).expect("valid"));
            assert_eq!(url.as_str(), "http://localhost:11434/v1/chat/completions");
        }
    }

    #[test]
    fn debug_never_shows_the_key_and_a_blank_key_is_no_key() {
        let settings = LlmSettings {
            api_key: Some("sk-secret-123".to_owned()),
            ..good()
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("sk-secret-123"), "{shown}");
        assert!(shown.contains("<redacted>"));
        let blank = LlmSettings {
            api_key: Some("  ".to_owned()),
            ..good()
        };
        assert_eq!(blank.key(), None);
    }
}
