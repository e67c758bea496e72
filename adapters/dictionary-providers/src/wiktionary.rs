//! The English Wiktionary's REST definitions
//! (<https://en.wiktionary.org/api/rest_v1/#/Page%20content/get_page_definition__term_>):
//! `GET /api/rest_v1/page/definition/<word>`, definitions of the word in every language it has,
//! glossed in English. Wikimedia requires a descriptive `User-Agent` with a contact.

use crate::BuildError;
use crate::http_policy::HttpPolicy;
use crate::lookup_context::Lookup;
use crate::provider_settings::ProviderSettings;
use crate::wiktionary_entries::{entries, usages};
use async_trait::async_trait;
use lingo_dictionary::SourceId;
use lingo_dictionary::ports::{DictionaryProvider, ProviderAnswer, ProviderError};
use lingo_http::Url;
use lingo_http::{CircuitState, endpoint};
use lingo_kernel::{Clock, LanguageCode};
use std::sync::Arc;

#[derive(Debug)]
pub struct Wiktionary {
    source: SourceId,
    base_url: Url,
    http: HttpPolicy,
}

impl Wiktionary {
    pub const DEFAULT_BASE_URL: &str = "https://en.wiktionary.org";
    /// The source id of its entries and raw records.
    pub const SOURCE: &str = "wiktionary";

    /// The defaults, against the English Wiktionary. Set `user_agent` to one with a contact.
    pub fn default_settings() -> ProviderSettings {
        ProviderSettings::new(Self::DEFAULT_BASE_URL)
    }

    pub fn new(settings: ProviderSettings) -> Result<Self, BuildError> {
        let (http, base_url) = HttpPolicy::new("Wiktionary", &settings)?;
        Ok(Self {
            source: SourceId::parse(Self::SOURCE)
                .map_err(|err| BuildError::Settings(err.to_string()))?,
            base_url,
            http,
        })
    }

    /// The clock for `retrieved_at`, `Retry-After` dates and the breaker's cool-down.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.http.set_clock(clock);
        self
    }

    /// Where the circuit breaker stands, for health checks and metrics.
    pub fn circuit(&self) -> CircuitState {
        self.http.circuit()
    }
}

#[async_trait]
impl DictionaryProvider for Wiktionary {
    fn source(&self) -> &SourceId {
        &self.source
    }

    fn serves(&self, _language: &LanguageCode) -> bool {
        true
    }

    #[tracing::instrument(skip(self), fields(provider = Self::SOURCE))]
    async fn fetch(
        &self,
        language: &LanguageCode,
        lemma: &str,
    ) -> Result<ProviderAnswer, ProviderError> {
        let word = lemma.trim();
        if word.is_empty() {
            return Err(ProviderError::NotFound);
        }
        // MediaWiki titles spell spaces as underscores; asking with the canonical title saves
        // a redirect.
        let title = word.replace(' ', "_");
        let url = endpoint(
            &self.base_url,
            &["api", "rest_v1", "page", "definition", &title],
        );
        let body = self.http.get_json(&url).await?;
        let Some(usages) = usages(&body, language.primary())? else {
            tracing::debug!("the word has no definitions in this language");
            return Err(ProviderError::NotFound);
        };
        let lookup = Lookup {
            source: &self.source,
            language,
            word,
            url: url.as_str(),
            received_at: self.http.now(),
        };
        let entries = entries(&usages, &lookup);
        if entries.is_empty() {
            return Err(ProviderError::NotFound);
        }
        tracing::debug!(entries = entries.len(), "provider answered");
        Ok(ProviderAnswer {
            raw: lookup.raw_record(body),
            entries,
        })
    }
}
