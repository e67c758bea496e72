//! The `content.generate` job: make, check and store one version of a word's learner content.
//!
//! The generator's answer must pass `LearnerContent::parse`; if it does not (or was cut off), the
//! generator is asked once to repair it, naming every problem; if that fails too, the job fails
//! permanently with the reasons. Token usage of every call is recorded per model and day.
//!
//! Paid-for content is never paid for twice: it is kept as a draft (`ContentDrafts`, another
//! store than the content store) before it is stored, and a retry after a failed store stores
//! the draft without calling the generator. A usage record that cannot be written does not fail
//! the job either (the usage also travels in the content's provenance).
//!
//! Every paid call first reserves its estimated cost against the global daily budget
//! (`generation_budget.rs`); past the budget the extractive generator writes the content.

use crate::content_key::{ContentKey, LevelBand};
use crate::generation_budget::GenerationBudget;
use crate::learner_content::LearnerContent;
use crate::ports::{
    ContentDrafts, ContentGenerator, ContentProvenance, ContentRequest, ContentStore,
    ContentVersion, GeneratorError, Repair, TokenUsage, UsageLedger, WordForContent,
};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryStore, StoreError, WordRepository};
use lingo_kernel::jobs::{Job, JobError};
use lingo_kernel::{Clock, LanguageCode, UserId, WordId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerateContent {
    pub key: ContentKey,
    /// A new version even if one exists (admins); otherwise a rerun keeps the existing one.
    #[serde(default)]
    pub regenerate: bool,
    #[serde(default)]
    pub requested_by: Option<UserId>,
}

impl Job for GenerateContent {
    const NAME: &'static str = "content.generate";
    const MAX_ATTEMPTS: u32 = 4;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub key: String,
    pub version: u32,
    pub generator: String,
    pub model: String,
    pub repaired: bool,
    pub usage: TokenUsage,
    /// The job found the content already made (a rerun or a duplicate request).
    pub already_existed: bool,
}

pub struct ContentDeps {
    pub words: Arc<dyn WordRepository>,
    pub entries: Arc<dyn EntryStore>,
    pub generator: Arc<dyn ContentGenerator>,
    pub store: Arc<dyn ContentStore>,
    pub ledger: Arc<dyn UsageLedger>,
    pub drafts: Arc<dyn ContentDrafts>,
    pub clock: Arc<dyn Clock>,
    /// The global daily money budget of `generator`; `None` when it costs nothing.
    pub budget: Option<GenerationBudget>,
}

/// Drafts held in this process when the drafts store is down too (bounded).
const MEMORY_DRAFTS: usize = 256;

pub struct ContentGenerationService {
    deps: ContentDeps,
    /// Told of every stored version, so in-process card backs everywhere are read again.
    versions: Option<crate::content_version::ContentVersions>,
    unstored: std::sync::Mutex<std::collections::HashMap<String, ContentVersion>>,
}

fn retryable(e: StoreError) -> JobError {
    JobError::Retryable(e.to_string())
}

/// What one attempt produced: content, or the text and problems to send back for repair.
enum Attempt {
    Valid(LearnerContent),
    Invalid { text: String, problems: Vec<String> },
}

impl ContentGenerationService {
    pub fn new(deps: ContentDeps) -> Self {
        Self {
            deps,
            versions: None,
            unstored: std::sync::Mutex::default(),
        }
    }

    /// Bumps the content version of the learner's language after each stored version.
    pub fn announcing_to(mut self, versions: crate::content_version::ContentVersions) -> Self {
        self.versions = Some(versions);
        self
    }

    fn unstored(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, ContentVersion>> {
        self.unstored.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Content paid for by an earlier attempt and not stored yet, if it is still new.
    async fn waiting_draft(
        &self,
        key: &ContentKey,
        latest: Option<&ContentVersion>,
    ) -> Option<ContentVersion> {
        let kept = match self.deps.drafts.get(key).await {
            Ok(draft) => draft,
            Err(e) => {
                tracing::warn!(error = %e, "content drafts unavailable");
                None
            }
        };
        let draft = kept.or_else(|| self.unstored().get(&key.id()).cloned())?;
        let newer = latest.is_none_or(|l| draft.version > l.version);
        newer.then_some(draft)
    }

    /// Stores `version`, kept first as a draft so that a failed store costs no second generation.
    async fn store(&self, version: &ContentVersion) -> Result<(), JobError> {
        let key = version.key.id();
        if let Err(e) = self.deps.drafts.keep(version).await {
            tracing::warn!(error = %e, "draft not kept; holding it in this process");
            let mut unstored = self.unstored();
            if unstored.len() >= MEMORY_DRAFTS {
                unstored.clear();
            }
            unstored.insert(key.clone(), version.clone());
        }
        self.deps.store.put(version).await.map_err(retryable)?;
        if let Some(versions) = &self.versions {
            versions.bump(&version.key.native).await;
        }
        self.unstored().remove(&key);
        if let Err(e) = self.deps.drafts.discard(&version.key).await {
            tracing::warn!(error = %e, "stored content's draft not discarded");
        }
        Ok(())
    }

    pub fn generator_name(&self) -> &str {
        self.deps.generator.name()
    }

    /// The word with its stored entries, or `None` when no word has this id.
    pub async fn word(&self, id: WordId) -> Result<Option<WordForContent>, StoreError> {
        let Some(meta) = self.deps.words.by_ids(&[id]).await?.into_iter().next() else {
            return Ok(None);
        };
        let key = fold_key(&meta.lemma);
        let entries = self.deps.entries.entries(&meta.language, &[key]).await?;
        Ok(Some(WordForContent {
            id: meta.id,
            language: meta.language,
            lemma: meta.lemma,
            part_of_speech: meta.part_of_speech,
            zipf: meta.zipf,
            entries,
        }))
    }

    pub async fn latest(&self, key: &ContentKey) -> Result<Option<ContentVersion>, StoreError> {
        self.deps.store.latest(key).await
    }

    #[tracing::instrument(skip(self), fields(key = %job.key.id()))]
    pub async fn run(&self, job: &GenerateContent) -> Result<Generation, JobError> {
        let latest = self.deps.store.latest(&job.key).await.map_err(retryable)?;
        if let Some(draft) = self.waiting_draft(&job.key, latest.as_ref()).await {
            tracing::info!(
                version = draft.version,
                "storing content generated by an earlier attempt"
            );
            self.store(&draft).await?;
            return Ok(summary(&draft, false));
        }
        if let Some(existing) = latest.as_ref().filter(|_| !job.regenerate) {
            return Ok(summary(existing, true));
        }
        let word = self
            .word(job.key.word_id)
            .await
            .map_err(retryable)?
            .ok_or_else(|| JobError::Permanent(format!("no word {}", job.key.word_id)))?;
        let mut request = ContentRequest {
            word,
            native: job.key.native.clone(),
            level: job.key.band.target_level(),
            repair: None,
        };
        let mut usage = TokenUsage::default();
        let mut repaired = false;
        let mut used = self.deps.generator.clone();
        let content = match self.attempt(&request, &mut usage, &mut used).await? {
            Attempt::Valid(content) => content,
            Attempt::Invalid { text, problems } => {
                tracing::warn!(
                    ?problems,
                    "generated content failed the schema; asking for a repair"
                );
                repaired = true;
                request.repair = Some(Repair {
                    previous: text,
                    problems,
                });
                match self.attempt(&request, &mut usage, &mut used).await? {
                    Attempt::Valid(content) => content,
                    Attempt::Invalid { problems, .. } => {
                        return Err(JobError::Permanent(format!(
                            "generated content failed the schema twice: {}",
                            problems.join("; ")
                        )));
                    }
                }
            }
        };
        let version = ContentVersion {
            key: job.key.clone(),
            version: latest.map_or(1, |v| v.version + 1),
            content,
            provenance: ContentProvenance {
                generator: used.name().to_owned(),
                model: used.model().to_owned(),
                prompt_version: used.prompt_version().to_owned(),
                created_at: self.deps.clock.now(),
                repaired,
                usage,
            },
        };
        self.store(&version).await?;
        tracing::info!(
            version = version.version,
            repaired,
            ?usage,
            "learner content stored"
        );
        Ok(summary(&version, false))
    }

    /// The generator for the next call: the configured one when the day's budget still has
    /// room for it (reserved now), the fallback otherwise.
    async fn generator_within_budget(
        &self,
        day: chrono::NaiveDate,
    ) -> Result<(Arc<dyn ContentGenerator>, bool), JobError> {
        let Some(budget) = &self.deps.budget else {
            return Ok((self.deps.generator.clone(), false));
        };
        if budget.reserve(day).await.map_err(retryable)? {
            return Ok((self.deps.generator.clone(), true));
        }
        tracing::warn!(
            fallback = budget.fallback.name(),
            "the daily content budget is spent; no model is called"
        );
        Ok((budget.fallback.clone(), false))
    }

    /// One generator call, its usage recorded, its answer checked; `used` is set to the
    /// generator that answered.
    async fn attempt(
        &self,
        request: &ContentRequest,
        usage: &mut TokenUsage,
        used: &mut Arc<dyn ContentGenerator>,
    ) -> Result<Attempt, JobError> {
        let day = self.deps.clock.now().date_naive();
        let (generator, reserved) = self.generator_within_budget(day).await?;
        *used = generator.clone();
        let outcome = generator.generate(request).await;
        let (spent, model) = match &outcome {
            Ok(g) => (g.usage, g.model.clone()),
            Err(GeneratorError::Truncated { usage, .. }) => (*usage, generator.model().to_owned()),
            Err(_) => (TokenUsage::default(), generator.model().to_owned()),
        };
        if reserved && let Some(budget) = &self.deps.budget {
            budget.settle(day, spent).await;
        }
        *usage = *usage + spent;
        let answered = outcome.is_ok() || matches!(outcome, Err(GeneratorError::Truncated { .. }));
        if answered
            && let Err(e) = self
                .deps
                .ledger
                .record(day, generator.name(), &model, spent)
                .await
        {
            // Paid already: failing the job would pay again. The usage stays in the
            // content's provenance.
            tracing::error!(error = %e, ?spent, %model, "generator usage not recorded");
        }
        match outcome {
            Ok(generated) => Ok(
                match LearnerContent::parse(&generated.text, &request.word.lemma) {
                    Ok(content) => Attempt::Valid(content),
                    Err(problems) => Attempt::Invalid {
                        text: generated.text,
                        problems,
                    },
                },
            ),
            Err(GeneratorError::Truncated { partial, .. }) => Ok(Attempt::Invalid {
                text: partial,
                problems: vec!["the answer was cut off: answer with shorter texts".to_owned()],
            }),
            Err(GeneratorError::Unavailable(e)) => Err(JobError::Retryable(e)),
            Err(
                e @ (GeneratorError::Refused(_)
                | GeneratorError::Malformed(_)
                | GeneratorError::Misconfigured(_)),
            ) => Err(JobError::Permanent(e.to_string())),
        }
    }
}

fn summary(version: &ContentVersion, already_existed: bool) -> Generation {
    Generation {
        key: version.key.id(),
        version: version.version,
        generator: version.provenance.generator.clone(),
        model: version.provenance.model.clone(),
        repaired: version.provenance.repaired,
        usage: version.provenance.usage,
        already_existed,
    }
}

/// The key of a request: the word, the native language and the band of the level.
pub fn content_key(
    word_id: WordId,
    native: LanguageCode,
    level: lingo_kernel::CefrLevel,
) -> ContentKey {
    ContentKey {
        word_id,
        native,
        band: LevelBand::of(level),
    }
}
