//! Taking data out, wired to its adapters: deck files (PostgreSQL contents, the dictionary's
//! backs without audio renders, Anki packages from `lingo-apkg`), the complete account export
//! (its sections, the PostgreSQL archive of written files) and the tombstone purge.

use crate::Stores;
use crate::config::Config;
use lingo_kernel::Clock;
use lingo_learning::export_deck::DeckExportService;
use lingo_learning::purge_tombstones::TombstonePurgeService;
use lingo_postgres::{
    PgDeckContents, PgDeviceStore, PgExportArchive, PgLearnerProfiles, PgLearningExport,
    PgNotificationStore, PgRequestedJobs, PgTombstones, PgUserRepository,
};
use lingo_users::export_account::{AccountExportService, ExportSection};
use std::sync::Arc;

pub(super) struct Exports {
    pub decks: DeckExportService,
    pub accounts: AccountExportService,
    pub tombstone_purge: TombstonePurgeService,
}

pub(super) fn build(config: &Config, stores: &Stores, clock: Arc<dyn Clock>) -> Exports {
    let pool = stores.postgres.clone();
    // The same backs as the study session's, without enqueueing audio renders for every word.
    let backs = lingo_content::card_backs::StoredCardBacks::new(
        Arc::new(lingo_mongo::MongoEntryStore::new(&stores.mongo)),
        Arc::new(lingo_mongo::MongoContentStore::new(&stores.mongo)),
        Arc::new(PgLearnerProfiles::new(pool.clone())),
        config.dictionary.meanings.clone(),
    );
    let sections: Vec<Arc<dyn ExportSection>> = vec![
        Arc::new(PgLearningExport::new(pool.clone())),
        Arc::new(PgRequestedJobs::new(pool.clone())),
        Arc::new(PgDeviceStore::new(pool.clone())),
        Arc::new(PgNotificationStore::new(pool.clone())),
    ];
    Exports {
        decks: DeckExportService::new(
            Arc::new(PgDeckContents::new(pool.clone())),
            Arc::new(backs),
            Arc::new(lingo_apkg::AnkiPackager),
            clock.clone(),
        ),
        accounts: AccountExportService::new(
            Arc::new(PgUserRepository::new(pool.clone())),
            sections,
            Arc::new(PgExportArchive::new(pool.clone())),
            Arc::new(stores.jobs.clone()),
            clock.clone(),
            config.exports.retention,
        ),
        tombstone_purge: TombstonePurgeService::new(Arc::new(PgTombstones::new(pool)), clock),
    }
}
