//! Learning wired to its adapters: decks, cards, reviews, quizzes, profiles and FSRS parameters
//! in PostgreSQL; quiz word facts from the dictionary's PostgreSQL and MongoDB adapters; card
//! backs from MongoDB, kept in-process under the lookup and content versions.

use crate::Stores;
use crate::config::Config;
use lingo_content::card_back_cache::BackCache;
use lingo_content::content_version::ContentVersions;
use lingo_kernel::Clock;
use lingo_kernel::jobs::JobQueue;
use lingo_learning::card_actions::CardActionService;
use lingo_learning::card_queries::CardQueryService;
use lingo_learning::import_words::{
    ImportWordsDeps, ImportWordsService, LearnerImportRequests, ReadLimits,
};
use lingo_learning::manage_decks::DeckService;
use lingo_learning::optimise::OptimiseService;
use lingo_learning::ports::{CardStore, DeckStore, LearnerProfiles, ReviewHistory};
use lingo_learning::prepare_content::ContentPreparation;
use lingo_learning::quiz::dictionary_facts::DictionaryQuizFacts;
use lingo_learning::quiz::grade_answer::QuizSettings;
use lingo_learning::quiz::{QuizDeps, QuizService};
use lingo_learning::request_optimisation::OptimiseRequestService;
use lingo_learning::review::ReviewService;
use lingo_learning::stats::StatsService;
use lingo_learning::study_queue::StudyService;
use lingo_mongo::MongoEntryStore;
use lingo_postgres::{
    PgActivityDays, PgCardStore, PgChangeFeed, PgDeckStore, PgFsrsParameters, PgLearnerProfiles,
    PgQuizStore, PgWordRepository,
};
use std::sync::Arc;

pub(super) struct Learning {
    pub decks: DeckService,
    pub cards: CardQueryService,
    pub reviews: ReviewService,
    pub study: StudyService,
    pub session: lingo_learning::study_session::StudySessionService,
    pub stats: StatsService,
    pub sync: lingo_learning::sync::SyncService,
    pub card_actions: CardActionService,
    pub quizzes: QuizService,
    pub optimise_requests: OptimiseRequestService,
    pub optimise: Arc<OptimiseService>,
    pub review_history: Arc<dyn ReviewHistory>,
    pub deck_store: Arc<dyn DeckStore>,
    /// Learners' uploads into their decks (the api).
    pub imports: LearnerImportRequests,
    /// `learning.import_words` (the worker).
    pub import_words: Arc<ImportWordsService>,
}

pub(super) fn build(
    config: &Config,
    stores: &Stores,
    pronunciation: Arc<lingo_dictionary::speech::PronunciationService>,
    lookup: Arc<lingo_dictionary::lookup::LookupService>,
    clock: Arc<dyn Clock>,
) -> Learning {
    let pool = stores.postgres.clone();
    let cards: Arc<dyn CardStore> = Arc::new(PgCardStore::new(pool.clone()));
    let deck_store: Arc<dyn DeckStore> = Arc::new(PgDeckStore::new(pool.clone()));
    let profiles: Arc<dyn LearnerProfiles> = Arc::new(PgLearnerProfiles::new(pool.clone()));
    let fsrs = Arc::new(PgFsrsParameters::new(pool.clone()));
    let queue: Arc<dyn JobQueue> = Arc::new(stores.jobs.clone());
    let reviews = ReviewService::new(cards.clone(), clock.clone());
    let quizzes = QuizService::new(
        QuizDeps {
            cards: Arc::new(PgCardStore::new(pool.clone())),
            facts: Arc::new(DictionaryQuizFacts {
                words: Arc::new(PgWordRepository::new(pool.clone())),
                entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
                meanings: config.dictionary.meanings.clone(),
                pronunciation: Some(pronunciation.clone()),
            }),
            store: Arc::new(PgQuizStore::new(pool)),
            reviews: reviews.clone(),
            profiles: profiles.clone(),
            clock: clock.clone(),
        },
        QuizSettings {
            slow_ms: config.quiz.slow_ms,
            fast_ms: config.quiz.fast_ms,
        },
    );
    let study = StudyService::new(cards.clone(), fsrs.clone(), profiles.clone(), clock.clone());
    let backs = lingo_content::card_backs::StoredCardBacks::new(
        Arc::new(MongoEntryStore::new(&stores.mongo)),
        Arc::new(lingo_mongo::MongoContentStore::new(&stores.mongo)),
        Arc::new(PgLearnerProfiles::new(stores.postgres.clone())),
        config.dictionary.meanings.clone(),
    )
    .with_pronunciation(pronunciation)
    .with_background(Arc::new(TokioBackground))
    // Sessions of words already seen cost no MongoDB query (docs/performance.md).
    .with_cache(BackCache::new(
        lookup,
        ContentVersions::new(Arc::new(stores.cache.clone())),
    ));
    let stats = StatsService::new(
        cards.clone(),
        Arc::new(PgActivityDays::new(stores.postgres.clone())),
        profiles.clone(),
        clock.clone(),
    );
    let session = lingo_learning::study_session::StudySessionService::new(
        study.clone(),
        cards.clone(),
        Arc::new(backs),
        stats.clone(),
        clock.clone(),
    );
    let imports = &config.learner_import;
    let import_words = Arc::new(ImportWordsService::new(
        ImportWordsDeps {
            files: Arc::new(lingo_learner_files::LocalWordListFiles::new(
                &imports.upload_dir,
            )),
            decks: deck_store.clone(),
            cards: Arc::new(PgCardStore::new(stores.postgres.clone())),
            profiles: profiles.clone(),
            parameters: fsrs.clone(),
            content: ContentPreparation::new(queue.clone()),
            clock: clock.clone(),
        },
        ReadLimits {
            max_rows: imports.max_rows,
            max_uncompressed_bytes: imports.max_uncompressed_bytes,
            ..ReadLimits::default()
        },
    ));
    let imports = LearnerImportRequests::new(
        Arc::new(lingo_dictfiles::LocalImportFiles::new(&imports.upload_dir)),
        deck_store.clone(),
        queue.clone(),
        imports.upload_limit_bytes,
    );
    Learning {
        imports,
        import_words,
        decks: DeckService::new(deck_store.clone(), cards.clone(), clock.clone())
            .with_content_preparation(ContentPreparation::new(queue.clone())),
        cards: CardQueryService::new(cards.clone()),
        study,
        session,
        stats,
        sync: lingo_learning::sync::SyncService::new(
            Arc::new(PgChangeFeed::new(stores.postgres.clone())),
            clock.clone(),
        ),
        card_actions: CardActionService::new(cards, profiles.clone(), clock.clone()),
        optimise_requests: OptimiseRequestService::new(profiles, queue, clock),
        optimise: Arc::new(OptimiseService::new(fsrs.clone(), fsrs.clone())),
        review_history: fsrs,
        quizzes,
        reviews,
        deck_store,
    }
}

/// The session's work behind the answer, on the process's tokio runtime.
struct TokioBackground;

impl lingo_content::ports::Background for TokioBackground {
    fn spawn(&self, task: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>) {
        tokio::spawn(task);
    }
}
