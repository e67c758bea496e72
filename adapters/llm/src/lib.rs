//! An adapter for the content crate's [`ContentGenerator`](lingo_content::ports::ContentGenerator)
//! port: [`OpenAiCompatibleGenerator`] asks any server that speaks OpenAI's chat-completions API
//! (OpenAI, vLLM, Ollama, the llama.cpp server, LM Studio) for a learner's content for a word.
//!
//! The prompts are versioned files in the repository (`prompts/learner_content/v1/`), grounded
//! in the dictionary entries already stored for the word. The answer's text is returned as is:
//! checking it against the schema is the domain's job (`LearnerContent::parse`), and so is asking
//! for a repair. This adapter owns the transport: a timeout per attempt, retries with backoff
//! and jitter on 429, 5xx and network failures (honouring `Retry-After`), and the translation
//! of refusals, truncations and odd answers into [`GeneratorError`](lingo_content::ports::GeneratorError)s.

mod chat_request;
mod chat_response;
mod chat_transport;
mod dictionary_facts;
mod language_names;
mod llm_settings;
mod openai_compatible;
mod prompt_template;

pub use llm_settings::{LlmSettings, StructuredOutput};
pub use openai_compatible::OpenAiCompatibleGenerator;

/// A generator that cannot be built from its settings: found at start-up, not per request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("the base URL '{0}' is not an http(s) URL such as https://api.openai.com/v1")]
    BaseUrl(String),
    #[error("invalid LLM settings: {0}")]
    Settings(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}
