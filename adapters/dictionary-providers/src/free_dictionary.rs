//! The Free Dictionary API (<https://dictionaryapi.dev>): `GET /api/v2/entries/<lang>/<word>`.
//! English only in practice; the languages it is asked for are configurable.

use crate::BuildError;
use crate::free_dictionary_entries::{entries, parse};
use crate::http_policy::HttpPolicy;
use crate::lookup_context::Lookup;
use crate::provider_settings::ProviderSettings;
use async_trait::async_trait;
use lingo_dictionary::SourceId;
use lingo_dictionary::ports::{DictionaryProvider, ProviderAnswer, ProviderError};
use lingo_http::Url;
use lingo_http::{CircuitState, endpoint};
use lingo_kernel::{Clock, LanguageCode};
use std::sync::Arc;

#[derive(Debug)]
pub struct FreeDictionaryApi {
    source: SourceId,
    base_url: Url,
    languages: Vec<LanguageCode>,
    http: HttpPolicy,
}

impl FreeDictionaryApi {
    pub const DEFAULT_BASE_URL: &str = "https://api.dictionaryapi.dev";
    /// The source id of its entries and raw records.
    pub const SOURCE: &str = "free-dictionary-api";

    /// The defaults, against the public API.
    pub fn default_settings() -> ProviderSettings {
        ProviderSettings::new(Self::DEFAULT_BASE_URL)
    }

    /// Serves English; see [`FreeDictionaryApi::with_languages`].
    pub fn new(settings: ProviderSettings) -> Result<Self, BuildError> {
        let (http, base_url) = HttpPolicy::new("the Free Dictionary API", &settings)?;
        Ok(Self {
            source: SourceId::parse(Self::SOURCE)
                .map_err(|err| BuildError::Settings(err.to_string()))?,
            base_url,
            languages: vec![LanguageCode::english()],
            http,
        })
    }

    /// The languages to ask it for, matched on their primary subtag (`en` serves `en-GB`).
    pub fn with_languages(mut self, languages: impl IntoIterator<Item = LanguageCode>) -> Self {
        self.languages = languages.into_iter().collect();
        self
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
impl DictionaryProvider for FreeDictionaryApi {
    fn source(&self) -> &SourceId {
        &self.source
    }

    fn serves(&self, language: &LanguageCode) -> bool {
        self.languages
            .iter()
            .any(|served| served.primary() == language.primary())
    }

    #[tracing::instrument(skip(self), fields(provider = Self::SOURCE))]
    async fn fetch(
        &self,
        language: &LanguageCode,
        lemma: &str,
    ) -> Result<ProviderAnswer, ProviderError> {
        let word = lemma.trim();
        if word.is_empty() || !self.serves(language) {
            return Err(ProviderError::NotFound);
        }
        let url = endpoint(
            &self.base_url,
            &["api", "v2", "entries", language.primary(), word],
        );
        let body = self.http.get_json(&url).await?;
        let headwords = parse(&body)?;
        let lookup = Lookup {
            source: &self.source,
            language,
            word,
            url: url.as_str(),
            received_at: self.http.now(),
        };
        let entries = entries(&headwords, &lookup);
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
