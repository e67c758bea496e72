//! The dictionary use cases wired to their adapters: word metadata, frequencies and lemma tables
//! in PostgreSQL, entries in MongoDB, the cache and the lookup lock in Redis, the external
//! providers the configuration names, and the local file system for imports.

use crate::Stores;
use crate::config::{DictionaryConfig, DictionaryProviderKind};
use lingo_dictfiles::{FileFormats, LocalImportFiles};
use lingo_dictionary::analyse_text::TextAnalysisService;
use lingo_dictionary::import::{ImportDeps, ImportService, ImportSettings};
use lingo_dictionary::lemmatise::Lemmatiser;
use lingo_dictionary::lookup::{LookupDeps, LookupService, LookupSettings};
use lingo_dictionary::moderation::WordModerationService;
use lingo_dictionary::ports::{DictionaryProvider, FrequencySource, LemmaTable};
use lingo_dictionary::reconcile::{ReconcileDeps, ReconcileService, ReconcileSettings};
use lingo_dictionary::request_import::ImportRequestService;
use lingo_dictionary::request_reconcile::ReconcileRequestService;
use lingo_dictionary_providers::{FreeDictionaryApi, ProviderSettings, Wiktionary};
use lingo_kernel::Clock;
use lingo_mongo::MongoEntryStore;
use lingo_postgres::{
    PgFrequencies, PgImportCheckpoints, PgLearnerVocabulary, PgLemmaTable, PgWordModeration,
    PgWordRepository,
};
use lingo_redis::RedisLookupLock;
use std::sync::Arc;

pub(super) struct Dictionary {
    pub lookup: Arc<LookupService>,
    pub analyser: Arc<TextAnalysisService>,
    pub import: Arc<ImportService>,
    pub import_requests: Arc<ImportRequestService>,
    pub reconcile: Arc<ReconcileService>,
    pub reconcile_requests: Arc<ReconcileRequestService>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub lemma_table: Arc<dyn LemmaTable>,
    pub moderation: WordModerationService,
}

fn providers(config: &DictionaryConfig) -> anyhow::Result<Vec<Arc<dyn DictionaryProvider>>> {
    let settings = |base: &str| {
        let mut s = ProviderSettings::new(base);
        s.timeout = config.provider_timeout;
        s.max_attempts = u32::try_from(config.provider_attempts).unwrap_or(u32::MAX);
        s.user_agent = config.user_agent.clone();
        s
    };
    config
        .providers
        .iter()
        .map(|kind| -> anyhow::Result<Arc<dyn DictionaryProvider>> {
            Ok(match kind {
                DictionaryProviderKind::FreeDictionaryApi => Arc::new(FreeDictionaryApi::new(
                    settings(&config.free_dictionary_url),
                )?),
                DictionaryProviderKind::Wiktionary => {
                    Arc::new(Wiktionary::new(settings(&config.wiktionary_url))?)
                }
            })
        })
        .collect()
}

pub(super) fn import_service(
    stores: &Stores,
    formats: FileFormats,
    clock: Arc<dyn Clock>,
) -> Arc<ImportService> {
    let pool = stores.postgres.clone();
    Arc::new(ImportService::new(
        ImportDeps {
            formats: Arc::new(formats),
            entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
            words: Arc::new(PgWordRepository::new(pool.clone())),
            frequencies: Arc::new(PgFrequencies::new(pool.clone())),
            checkpoints: Arc::new(PgImportCheckpoints::new(pool)),
            cache: Arc::new(stores.cache.clone()),
            clock,
        },
        ImportSettings::default(),
    ))
}

/// The reconciliation of word rows with a source's entries (the import's stores and cache).
pub(super) fn reconcile_service(stores: &Stores) -> Arc<ReconcileService> {
    let pool = stores.postgres.clone();
    Arc::new(ReconcileService::new(
        ReconcileDeps {
            entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
            words: Arc::new(PgWordRepository::new(pool.clone())),
            frequencies: Arc::new(PgFrequencies::new(pool)),
            cache: Arc::new(stores.cache.clone()),
        },
        ReconcileSettings::default(),
    ))
}

/// The dictionary use cases; `providers` replaces the configured external dictionaries.
pub(super) fn build(
    config: &DictionaryConfig,
    stores: &Stores,
    providers_override: Option<Vec<Arc<dyn DictionaryProvider>>>,
    pronunciation: Arc<lingo_dictionary::speech::PronunciationService>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Dictionary> {
    let providers = match providers_override {
        Some(providers) => providers,
        None => providers(config)?,
    };
    let pool = stores.postgres.clone();
    let words = Arc::new(PgWordRepository::new(pool.clone()));
    let frequencies = Arc::new(PgFrequencies::new(pool.clone()));
    let lemma_table = Arc::new(PgLemmaTable::new(pool.clone()));
    let lemmatiser = Arc::new(Lemmatiser::new(
        words.clone(),
        frequencies.clone(),
        lemma_table.clone(),
    ));
    let lookup = LookupService::new(
        LookupDeps {
            words: words.clone(),
            entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
            frequencies: frequencies.clone(),
            lemmatiser: lemmatiser.clone(),
            providers,
            cache: Arc::new(stores.cache.clone()),
            lock: Arc::new(RedisLookupLock::new(
                stores.redis.clone(),
                &stores.redis_prefix,
            )),
        },
        LookupSettings {
            found_ttl: config.cache_ttl,
            miss_ttl: config.miss_ttl,
            ..LookupSettings::default()
        },
    )
    .with_pronunciation(pronunciation);
    let analyser = TextAnalysisService::new(
        lemmatiser,
        words,
        frequencies.clone(),
        Arc::new(PgLearnerVocabulary::new(pool)),
    );
    let import_requests = ImportRequestService::new(
        Arc::new(LocalImportFiles::new(&config.upload_dir)),
        Arc::new(stores.jobs.clone()),
        config.import_roots.clone(),
        config.upload_limit_bytes,
    );
    let reconcile_requests =
        ReconcileRequestService::new(Arc::new(stores.jobs.clone()), clock.clone());
    let moderation =
        WordModerationService::new(Arc::new(PgWordModeration::new(stores.postgres.clone())));
    Ok(Dictionary {
        lookup: Arc::new(lookup),
        analyser: Arc::new(analyser),
        import: import_service(
            stores,
            FileFormats::within_roots(&config.import_roots),
            clock,
        ),
        import_requests: Arc::new(import_requests),
        reconcile: reconcile_service(stores),
        reconcile_requests: Arc::new(reconcile_requests),
        frequencies,
        lemma_table,
        moderation,
    })
}
