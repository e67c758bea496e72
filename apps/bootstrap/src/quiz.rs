//! Quizzes wired to their adapters: cards and quizzes in PostgreSQL, word facts from the
//! dictionary's PostgreSQL and MongoDB adapters.

use crate::Stores;
use crate::config::QuizConfig;
use lingo_kernel::Clock;
use lingo_learning::quiz::dictionary_facts::DictionaryQuizFacts;
use lingo_learning::quiz::grade_answer::QuizSettings;
use lingo_learning::quiz::{QuizDeps, QuizService};
use lingo_learning::review::ReviewService;
use lingo_mongo::MongoEntryStore;
use lingo_postgres::{PgCardStore, PgQuizStore, PgWordRepository};
use std::sync::Arc;

pub fn quiz_service(
    stores: &Stores,
    config: &QuizConfig,
    reviews: ReviewService,
    clock: Arc<dyn Clock>,
) -> QuizService {
    let pool = stores.postgres.clone();
    QuizService::new(
        QuizDeps {
            cards: Arc::new(PgCardStore::new(pool.clone())),
            facts: Arc::new(DictionaryQuizFacts {
                words: Arc::new(PgWordRepository::new(pool.clone())),
                entries: Arc::new(MongoEntryStore::new(&stores.mongo)),
            }),
            store: Arc::new(PgQuizStore::new(pool)),
            reviews,
            clock,
        },
        QuizSettings {
            slow_ms: config.slow_ms,
            fast_ms: config.fast_ms,
        },
    )
}
