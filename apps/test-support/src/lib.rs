//! Test harness: every integration test gets its own PostgreSQL database (copied from a migrated
//! template), its own MongoDB database and its own Redis key prefix, all dropped when the test
//! ends, and can spawn the api on a random port with every real adapter.
//!
//! Store URLs come from the environment (`just test` writes them to `.dev/env`); the defaults
//! match a local development stack.

pub mod anki;
mod app;
#[cfg(feature = "testcontainers")]
pub mod containers;
pub mod polling;
mod postgres;
pub mod requests;

pub use app::TestApp;
pub use polling::eventually;
pub use requests::{Learner, PASSWORD, english_words, items_of, json_of, kaikki_glosses};

/// A file of the dictionary fixtures (`adapters/dictfiles/tests/fixtures`); `""` is the folder.
pub fn dictfiles(path: &str) -> String {
    format!(
        "{}/../../adapters/dictfiles/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

use lingo_bootstrap::config::EnvSource;
use lingo_bootstrap::{Config, Stores};
use std::collections::HashMap;

/// One test's private slice of every store.
pub struct TestStores {
    pub config: Config,
    pub stores: Stores,
    database: postgres::TestDatabase,
    mongo_database: String,
}

impl TestStores {
    /// `overrides` are extra `LINGO_…` variables (e.g. a short visibility timeout).
    pub async fn new(overrides: &[(&str, &str)]) -> Self {
        let base = base_environment().await;
        let database = postgres::TestDatabase::create(&base.string(
            "LINGO_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/lingo",
        ))
        .await;
        let unique = uuid::Uuid::new_v4().simple().to_string();
        let mongo_database = format!("t_{}", &unique[..20]);
        let prefix = format!("test:{unique}:");
        let mut vars: HashMap<String, String> = base.vars().clone();
        for (k, v) in [
            ("LINGO_DATABASE_URL", database.url.as_str()),
            ("LINGO_MONGO_DATABASE", mongo_database.as_str()),
            ("LINGO_REDIS_PREFIX", prefix.as_str()),
            ("LINGO_DATABASE_POOL_SIZE", "4"),
            ("LINGO_REDIS_POOL_SIZE", "4"),
            ("LINGO_ENV", "development"),
            // No internet here: tests that want providers point them at local doubles.
            ("LINGO_DICTIONARY_PROVIDERS", "none"),
        ]
        .into_iter()
        .chain(overrides.iter().copied())
        {
            vars.insert(k.to_owned(), v.to_owned());
        }
        let config = Config::from_source(&EnvSource::from_pairs(vars)).expect("test configuration");
        let stores = Stores::connect(&config, "test").await.expect("stores");
        lingo_mongo::ensure_indexes(&stores.mongo)
            .await
            .expect("mongo indexes");
        // Some tests point at a Redis that is down on purpose.
        let _ = stores.queue.ensure_group().await;
        Self {
            config,
            stores,
            database,
            mongo_database,
        }
    }

    /// The Redis key prefix of this test.
    pub fn prefix(&self) -> &str {
        &self.config.redis.key_prefix
    }

    /// Environment for a child process (a worker binary) that must use this test's stores.
    pub fn child_env(&self) -> Vec<(String, String)> {
        vec![
            ("LINGO_DATABASE_URL".into(), self.database.url.clone()),
            ("LINGO_MONGO_URL".into(), self.config.mongo.url.clone()),
            ("LINGO_MONGO_DATABASE".into(), self.mongo_database.clone()),
            ("LINGO_REDIS_URL".into(), self.config.redis.url.clone()),
            ("LINGO_REDIS_PREFIX".into(), self.prefix().to_owned()),
            ("LINGO_DATABASE_MIGRATE_ON_START".into(), "false".into()),
        ]
    }
}

/// The process environment; with the `testcontainers` feature and no store URL set, plus the
/// URLs of stores started in containers.
async fn base_environment() -> EnvSource {
    #[cfg(feature = "testcontainers")]
    {
        let unset = ["LINGO_DATABASE_URL", "LINGO_MONGO_URL", "LINGO_REDIS_URL"]
            .iter()
            .all(|var| std::env::var(var).is_err());
        if unset {
            let mut vars: HashMap<String, String> = std::env::vars().collect();
            for (var, url) in containers::urls().await {
                vars.insert(var.to_owned(), url);
            }
            return EnvSource::from_pairs(vars);
        }
    }
    EnvSource::process()
}

impl Drop for TestStores {
    fn drop(&mut self) {
        let mongo_url = self.config.mongo.url.clone();
        let mongo_database = self.mongo_database.clone();
        let redis_url = self.config.redis.url.clone();
        let prefix = self.prefix().to_owned();
        // Clean-up runs on its own thread and runtime: Drop may run inside the test's runtime.
        let _ = std::thread::spawn(move || {
            drop_redis_keys(&redis_url, &prefix);
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                runtime.block_on(async {
                    if let Ok(client) = mongodb::Client::with_uri_str(&mongo_url).await {
                        let _ = client.database(&mongo_database).drop().await;
                    }
                });
            }
        })
        .join();
    }
}

fn drop_redis_keys(url: &str, prefix: &str) {
    use deadpool_redis::redis::Commands;
    let Ok(client) = deadpool_redis::redis::Client::open(url) else {
        return;
    };
    let Ok(mut conn) = client.get_connection() else {
        return;
    };
    let keys: Vec<String> = match conn.scan_match::<_, String>(format!("{prefix}*")) {
        Ok(iter) => iter.filter_map(Result::ok).collect(),
        Err(_) => return,
    };
    for chunk in keys.chunks(500) {
        let _: Result<(), _> = conn.del(chunk);
    }
}
