//! Learner content wired to its adapters: the generator the configuration names (an
//! OpenAI-compatible server, or the offline extractive generator when none is configured), the
//! MongoDB content store and the PostgreSQL usage ledger.

use crate::Stores;
use crate::config::ContentConfig;
use lingo_content::extractive::ExtractiveGenerator;
use lingo_content::generate_content::{ContentDeps, ContentService};
use lingo_content::ports::{ContentGenerator, UsageLedger};
use lingo_content::request_content::ContentRequests;
use lingo_kernel::SystemClock;
use lingo_kernel::jobs::JobQueue;
use lingo_kernel::rate_limit::RateLimiter;
use lingo_llm::{LlmSettings, OpenAiCompatibleGenerator, StructuredOutput};
use lingo_mongo::{MongoContentStore, MongoEntryStore};
use lingo_postgres::{PgUsageLedger, PgWordRepository};
use std::sync::Arc;

pub fn generator(config: &ContentConfig) -> anyhow::Result<Arc<dyn ContentGenerator>> {
    let Some(base_url) = &config.llm_base_url else {
        return Ok(Arc::new(ExtractiveGenerator));
    };
    let mut settings = LlmSettings::new(base_url, &config.llm_model);
    settings.api_key = config.llm_api_key.clone();
    settings.timeout = config.llm_timeout;
    settings.max_tokens = config.llm_max_tokens;
    settings.structured_output = match config.llm_structured_output.as_str() {
        "json_object" => StructuredOutput::JsonObject,
        "none" => StructuredOutput::None,
        _ => StructuredOutput::JsonSchema,
    };
    Ok(Arc::new(OpenAiCompatibleGenerator::new(settings)?))
}

/// The generation use case (the worker's `content.generate`) with the configured generator.
pub fn content_service(config: &ContentConfig, stores: &Stores) -> anyhow::Result<ContentService> {
    Ok(content_service_with(generator(config)?, stores))
}

pub fn content_service_with(
    generator: Arc<dyn ContentGenerator>,
    stores: &Stores,
) -> ContentService {
    ContentService::new(ContentDeps {
        words: Arc::new(PgWordRepository::new(stores.postgres.clone())),
        entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
        generator,
        store: Arc::new(MongoContentStore::new(&stores.mongo)),
        ledger: usage_ledger(stores),
        clock: Arc::new(SystemClock),
    })
}

pub fn usage_ledger(stores: &Stores) -> Arc<dyn UsageLedger> {
    Arc::new(PgUsageLedger::new(stores.postgres.clone()))
}

/// The request use case (the api's content route).
pub fn content_requests(
    config: &ContentConfig,
    stores: &Stores,
    limiter: Arc<dyn RateLimiter>,
) -> ContentRequests {
    ContentRequests {
        store: Arc::new(MongoContentStore::new(&stores.mongo)),
        words: Arc::new(PgWordRepository::new(stores.postgres.clone())),
        queue: Arc::new(stores.queue.clone()) as Arc<dyn JobQueue>,
        limiter,
        daily_quota: config.daily_quota,
    }
}
