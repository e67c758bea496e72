//! MongoDB adapters (official driver): raw dictionary records, normalised entries and generated
//! word content. Only standard MongoDB features are used, so the same code runs against MongoDB
//! in production and the MongoDB-wire-compatible server used in development and tests.

mod audio_store;
mod bounded;
mod bulk_upsert;
mod content_store;
mod entry_document;
mod entry_store;
pub mod indexes;
mod raw_record_document;

use mongodb::bson::doc;
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};
use std::time::Duration;

use bounded::Bounds;

pub use audio_store::{AUDIO_BUCKET, MongoAudioStore};
pub use content_store::MongoContentStore;
pub use entry_store::MongoEntryStore;
pub use indexes::ensure_indexes;
pub use raw_record_document::JSON_TEXT_FORMAT;

#[derive(Debug, thiserror::Error)]
pub enum MongoError {
    #[error("invalid MongoDB URL: {0}")]
    Url(String),
    #[error("mongodb: {0}")]
    Driver(String),
    #[error("mongodb: {0} took longer than {1:?}")]
    Timeout(&'static str, Duration),
}

impl From<mongodb::error::Error> for MongoError {
    fn from(e: mongodb::error::Error) -> Self {
        Self::Driver(e.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct MongoSettings {
    pub url: String,
    pub database: String,
    /// How long an operation waits for a reachable server before failing.
    pub timeout: Duration,
    /// The most one operation may take, end to end.
    pub operation_timeout: Duration,
    /// The most one chunk of a bulk write may take.
    pub bulk_timeout: Duration,
    pub app_name: String,
}

/// A handle on Lingo's MongoDB database. Cheap to clone; the driver pools connections and
/// reconnects by itself.
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    database: Database,
    bounds: Bounds,
}

impl MongoStore {
    /// Parses the settings without waiting for the server (the driver connects lazily).
    pub async fn connect(settings: &MongoSettings) -> Result<Self, MongoError> {
        let mut options = ClientOptions::parse(&settings.url)
            .await
            .map_err(|e| MongoError::Url(e.to_string()))?;
        options.server_selection_timeout = Some(settings.timeout);
        options.connect_timeout = Some(settings.timeout);
        options.app_name = Some(settings.app_name.clone());
        let client = Client::with_options(options).map_err(|e| MongoError::Url(e.to_string()))?;
        let database = client.database(&settings.database);
        let bounds = Bounds {
            operation: settings.operation_timeout,
            bulk: settings.bulk_timeout,
        };
        Ok(Self {
            client,
            database,
            bounds,
        })
    }

    /// A store on a client configured by the caller (e.g. a test that watches the commands sent),
    /// with the default time bounds.
    pub fn with_client(client: Client, database: &str) -> Self {
        let database = client.database(database);
        Self {
            client,
            database,
            bounds: Bounds::default(),
        }
    }

    pub(crate) fn bounds(&self) -> Bounds {
        self.bounds
    }

    pub fn database(&self) -> &Database {
        &self.database
    }

    /// `ping` command, for readiness checks.
    pub async fn ping(&self) -> Result<(), MongoError> {
        let limit = self.bounds.operation;
        tokio::time::timeout(limit, self.database.run_command(doc! { "ping": 1 }))
            .await
            .map_err(|_| MongoError::Timeout("ping", limit))??;
        Ok(())
    }

    /// Drops the whole database (test clean-up, and the admin reset tool).
    pub async fn drop_database(&self) -> Result<(), MongoError> {
        self.database.drop().await?;
        Ok(())
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}
