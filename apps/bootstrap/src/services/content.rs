//! Learner content wired to its adapters: the generator the configuration names (an
//! OpenAI-compatible server, or the offline extractive generator when none is configured), the
//! MongoDB content store, the PostgreSQL usage ledger and the daily money budget.

use crate::Stores;
use crate::config::{ContentConfig, StructuredOutputMode};
use lingo_content::content_version::ContentVersions;
use lingo_content::extractive::ExtractiveGenerator;
use lingo_content::generate_content::{ContentDeps, ContentGenerationService};
use lingo_content::generation_budget::{GenerationBudget, micro_usd};
use lingo_content::ports::{ContentGenerator, UsageLedger};
use lingo_content::prepare_content::ContentPreparationService;
use lingo_content::request_content::{ContentRequestDeps, ContentRequestService};
use lingo_content::usage_report::{TokenPrices, UsageReportService};
use lingo_dictionary::meaning::MeaningChains;
use lingo_kernel::Clock;
use lingo_kernel::jobs::JobQueue;
use lingo_kernel::rate_limit::RateLimiter;
use lingo_llm::{LlmSettings, OpenAiCompatibleGenerator, StructuredOutput};
use lingo_mongo::{MongoContentStore, MongoEntryStore};
use lingo_postgres::{PgContentSpend, PgLearnerProfiles, PgUsageLedger, PgWordRepository};
use std::sync::Arc;

pub(super) struct Content {
    pub requests: Arc<ContentRequestService>,
    pub usage: Arc<UsageReportService>,
    pub generation: Arc<ContentGenerationService>,
    pub preparation: Arc<ContentPreparationService>,
}

/// The generator the configuration names.
pub(super) fn generator(
    config: &ContentConfig,
    meanings: &MeaningChains,
) -> anyhow::Result<Arc<dyn ContentGenerator>> {
    let Some(base_url) = &config.llm_base_url else {
        return Ok(Arc::new(ExtractiveGenerator {
            meanings: meanings.clone(),
        }));
    };
    let mut settings = LlmSettings::new(base_url, &config.llm_model);
    settings.api_key = config.llm_api_key.clone();
    settings.timeout = config.llm_timeout;
    settings.max_tokens = config.llm_max_tokens;
    settings.structured_output = match config.llm_structured_output {
        StructuredOutputMode::JsonSchema => StructuredOutput::JsonSchema,
        StructuredOutputMode::JsonObject => StructuredOutput::JsonObject,
        StructuredOutputMode::None => StructuredOutput::None,
    };
    Ok(Arc::new(OpenAiCompatibleGenerator::new(settings)?))
}

/// The global daily money budget of a paid generator (PostgreSQL counts across replicas);
/// past it the extractive generator writes the content.
fn budget(
    config: &ContentConfig,
    stores: &Stores,
    generator: &dyn ContentGenerator,
) -> Option<GenerationBudget> {
    (generator.costs_money() && config.daily_budget_usd > 0.0).then(|| GenerationBudget {
        ledger: Arc::new(PgContentSpend::new(stores.postgres.clone())),
        daily_limit: micro_usd(config.daily_budget_usd),
        estimate: micro_usd(config.generation_estimate_usd),
        prompt_per_mtok: config.price_prompt_per_mtok,
        completion_per_mtok: config.price_completion_per_mtok,
        fallback: Arc::new(ExtractiveGenerator::default()),
    })
}

/// The generation use case (the worker's `content.generate`).
pub(super) fn generation(
    config: &ContentConfig,
    stores: &Stores,
    generator: Arc<dyn ContentGenerator>,
    clock: Arc<dyn Clock>,
) -> ContentGenerationService {
    let budget = budget(config, stores, generator.as_ref());
    ContentGenerationService::new(ContentDeps {
        words: Arc::new(PgWordRepository::new(stores.postgres.clone())),
        entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
        generator,
        store: Arc::new(MongoContentStore::new(&stores.mongo)),
        ledger: Arc::new(PgUsageLedger::new(stores.postgres.clone())),
        drafts: Arc::new(lingo_postgres::PgContentDrafts::new(
            stores.postgres.clone(),
        )),
        clock,
        budget,
    })
    .announcing_to(ContentVersions::new(Arc::new(stores.cache.clone())))
}

pub(super) fn build(
    config: &ContentConfig,
    stores: &Stores,
    generator: Arc<dyn ContentGenerator>,
    limiter: Arc<dyn RateLimiter>,
    clock: Arc<dyn Clock>,
) -> Content {
    let words = Arc::new(PgWordRepository::new(stores.postgres.clone()));
    let store = Arc::new(MongoContentStore::new(&stores.mongo));
    let ledger: Arc<dyn UsageLedger> = Arc::new(PgUsageLedger::new(stores.postgres.clone()));
    let generation = generation(config, stores, generator, clock.clone());
    let preparation = ContentPreparationService::new(
        store.clone(),
        Arc::new(PgLearnerProfiles::new(stores.postgres.clone())),
        Arc::new(stores.jobs.clone()),
    );
    let requests = ContentRequestService::new(ContentRequestDeps {
        store,
        words,
        learners: Arc::new(PgLearnerProfiles::new(stores.postgres.clone())),
        queue: Arc::new(stores.jobs.clone()) as Arc<dyn JobQueue>,
        failed_jobs: Arc::new(stores.jobs.clone()),
        limiter,
        daily_quota: config.daily_quota,
        retry_failed_after: config.retry_failed_after,
        clock: clock.clone(),
    });
    let prices = TokenPrices {
        prompt_per_mtok: config.price_prompt_per_mtok,
        completion_per_mtok: config.price_completion_per_mtok,
    };
    Content {
        requests: Arc::new(requests),
        usage: Arc::new(UsageReportService::new(ledger, prices, clock)),
        generation: Arc::new(generation),
        preparation: Arc::new(preparation),
    }
}
