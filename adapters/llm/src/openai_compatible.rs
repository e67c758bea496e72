//! [`OpenAiCompatibleGenerator`]: the content generator over any OpenAI-compatible
//! chat-completions server.

use crate::BuildError;
use crate::chat_request::chat_request;
use crate::chat_response::generated;
use crate::chat_transport::ChatTransport;
use crate::llm_settings::{LlmSettings, chat_completions_url};
use crate::prompt_template::{PROMPT_VERSION, learner_content_prompt};
use async_trait::async_trait;
use lingo_content::LEARNER_CONTENT_SCHEMA;
use lingo_content::ports::{ContentGenerator, ContentRequest, Generated, GeneratorError};
use lingo_kernel::{Clock, SystemClock};
use std::sync::Arc;

/// Asks `POST {base_url}/chat/completions` for a learner's content for a word and returns the
/// answer's text unchecked: `LearnerContent::parse` is the judge of it.
#[derive(Debug)]
pub struct OpenAiCompatibleGenerator {
    settings: LlmSettings,
    schema: serde_json::Value,
    transport: ChatTransport,
}

impl OpenAiCompatibleGenerator {
    /// The generator's name in provenance and usage rows.
    pub const NAME: &str = "openai-compatible";

    pub fn new(settings: LlmSettings) -> Result<Self, BuildError> {
        let base_url = settings.check()?;
        let schema = serde_json::from_str(LEARNER_CONTENT_SCHEMA).map_err(|err| {
            BuildError::Settings(format!("the learner-content schema is not JSON ({err})"))
        })?;
        let transport = ChatTransport::new(
            &settings,
            chat_completions_url(&base_url),
            Arc::new(SystemClock),
        )?;
        Ok(Self {
            settings,
            schema,
            transport,
        })
    }

    /// The clock `Retry-After` dates are read against.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.transport.set_clock(clock);
        self
    }
}

#[async_trait]
impl ContentGenerator for OpenAiCompatibleGenerator {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn model(&self) -> &str {
        &self.settings.model
    }

    fn prompt_version(&self) -> &str {
        PROMPT_VERSION
    }

    #[tracing::instrument(
        skip(self, request),
        fields(
            generator = Self::NAME,
            model = %self.settings.model,
            word = %request.word.lemma,
            native = %request.native,
            level = %request.level,
            repair = request.repair.is_some(),
        )
    )]
    async fn generate(&self, request: &ContentRequest) -> Result<Generated, GeneratorError> {
        let prompt = learner_content_prompt(request);
        let body = chat_request(&self.settings, &prompt, &self.schema);
        let answer = self.transport.post(&body).await?;
        let result = generated(&answer, &self.settings.model);
        match &result {
            Ok(generated) => tracing::debug!(
                prompt_tokens = generated.usage.prompt_tokens,
                completion_tokens = generated.usage.completion_tokens,
                answered_by = %generated.model,
                "content generated"
            ),
            Err(err) => tracing::info!(error = %err, "no usable answer"),
        }
        result
    }
}
