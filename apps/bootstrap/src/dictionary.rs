//! The dictionary use cases wired to their adapters, shared by the api, the worker and the
//! admin tool.

use crate::Stores;
use crate::config::DictionaryConfig;
use lingo_dictfiles::FileFormats;
use lingo_dictionary::analyse_text::TextAnalyser;
use lingo_dictionary::import::{ImportDeps, ImportService, ImportSettings};
use lingo_dictionary::lemmatise::Lemmatiser;
use lingo_dictionary::lookup::{LookupDeps, LookupService, LookupSettings};
use lingo_dictionary::ports::{DictionaryProvider, FrequencySource, LemmaTable};
use lingo_dictionary_providers::{FreeDictionaryApi, ProviderSettings, Wiktionary};
use lingo_kernel::{Clock, SystemClock};
use lingo_mongo::MongoEntryStore;
use lingo_postgres::{
    PgFrequencies, PgImportCheckpoints, PgLearnerVocabulary, PgLemmaTable, PgWordRepository,
};
use lingo_redis::RedisLookupLock;
use std::sync::Arc;

#[derive(Clone)]
pub struct Dictionary {
    pub lookup: Arc<LookupService>,
    pub analyser: Arc<TextAnalyser>,
    pub import: Arc<ImportService>,
    pub frequencies: Arc<dyn FrequencySource>,
    pub lemma_table: Arc<dyn LemmaTable>,
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
        .map(|name| -> anyhow::Result<Arc<dyn DictionaryProvider>> {
            Ok(match name.as_str() {
                "free-dictionary-api" => Arc::new(FreeDictionaryApi::new(settings(
                    &config.free_dictionary_url,
                ))?),
                "wiktionary" => Arc::new(Wiktionary::new(settings(&config.wiktionary_url))?),
                other => anyhow::bail!("unknown dictionary provider '{other}'"),
            })
        })
        .collect()
}

/// The import use case alone (the worker needs nothing else of the dictionary).
pub fn import_service(stores: &Stores) -> ImportService {
    let pool = stores.postgres.clone();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    ImportService::new(
        ImportDeps {
            formats: Arc::new(FileFormats::new()),
            entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
            words: Arc::new(PgWordRepository::new(pool.clone())),
            frequencies: Arc::new(PgFrequencies::new(pool.clone())),
            checkpoints: Arc::new(PgImportCheckpoints::new(pool)),
            cache: Arc::new(stores.cache.clone()),
            clock,
        },
        ImportSettings::default(),
    )
}

impl Dictionary {
    pub fn build(config: &DictionaryConfig, stores: &Stores) -> anyhow::Result<Self> {
        Self::build_with(config, stores, providers(config)?)
    }

    /// With explicit providers (tests point them at local doubles).
    pub fn build_with(
        config: &DictionaryConfig,
        stores: &Stores,
        providers: Vec<Arc<dyn DictionaryProvider>>,
    ) -> anyhow::Result<Self> {
        let pool = stores.postgres.clone();
        let words = Arc::new(PgWordRepository::new(pool.clone()));
        let frequencies = Arc::new(PgFrequencies::new(pool.clone()));
        let lemma_table = Arc::new(PgLemmaTable::new(pool.clone()));
        let entries = Arc::new(MongoEntryStore::new(&stores.mongo));
        let cache = Arc::new(stores.cache.clone());
        let lemmatiser = Arc::new(Lemmatiser::new(
            words.clone(),
            frequencies.clone(),
            lemma_table.clone(),
        ));
        let lookup = LookupService::new(
            LookupDeps {
                words: words.clone(),
                entries: entries.clone(),
                frequencies: frequencies.clone(),
                lemmatiser: lemmatiser.clone(),
                providers,
                cache: cache.clone(),
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
        );
        let analyser = TextAnalyser::new(
            lemmatiser,
            words,
            frequencies.clone(),
            Arc::new(PgLearnerVocabulary::new(pool)),
        );
        let import = import_service(stores);
        Ok(Self {
            lookup: Arc::new(lookup),
            analyser: Arc::new(analyser),
            import: Arc::new(import),
            frequencies,
            lemma_table,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportPathError {
    #[error("'{0}' does not exist or cannot be read")]
    Missing(String),
    #[error("'{0}' is outside the directories imports may read (LINGO_IMPORT_ROOTS)")]
    NotAllowed(String),
}

/// The canonical form of `path` if it lies inside one of the configured import roots; symbolic
/// links and `..` are resolved first, so they cannot lead outside.
pub fn allowed_import_path(
    config: &DictionaryConfig,
    path: &str,
) -> Result<std::path::PathBuf, ImportPathError> {
    let canonical =
        std::fs::canonicalize(path).map_err(|_| ImportPathError::Missing(path.into()))?;
    let inside = config
        .import_roots
        .iter()
        .filter_map(|root| std::fs::canonicalize(root).ok())
        .any(|root| canonical.starts_with(root));
    if inside {
        Ok(canonical)
    } else {
        Err(ImportPathError::NotAllowed(path.into()))
    }
}

/// The import job for `spec`, with an id fixed by what is imported (source, file, size and
/// modification time): asking twice for the same import enqueues it once.
pub fn import_job(
    spec: &lingo_dictionary::import::ImportSpec,
) -> anyhow::Result<lingo_kernel::jobs::NewJob> {
    use lingo_dictionary::import::ImportDictionary;
    let meta = std::fs::metadata(&spec.path)?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let fingerprint = format!(
        "dictionary.import|{}|{}|{:?}|{}|{}|{}",
        spec.source,
        spec.path,
        spec.format,
        spec.language,
        meta.len(),
        modified
    );
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, fingerprint.as_bytes());
    Ok(
        lingo_kernel::jobs::NewJob::of(&ImportDictionary { spec: spec.clone() })?
            .with_id(lingo_kernel::jobs::JobId::from_uuid(id)),
    )
}
