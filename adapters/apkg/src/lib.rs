//! Anki packages (`.apkg`) of a Lingo deck: the `DeckPackager` port on SQLite (`rusqlite`,
//! bundled) and `zip`. `anki_schema` holds Anki's schema-11 definitions, `anki_rows` the pure
//! mapping of cards, FSRS state and reviews to Anki rows, `write_package` the file itself.

pub mod anki_rows;
pub mod anki_schema;
mod write_package;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lingo_learning::export_deck::{DeckContents, DeckPackager, PackageError};

/// Writes packages on a blocking thread (SQLite and deflate are synchronous).
#[derive(Debug, Clone, Copy, Default)]
pub struct AnkiPackager;

impl AnkiPackager {
    /// The package, written on the calling thread.
    pub fn write(contents: &DeckContents, now: DateTime<Utc>) -> Result<Vec<u8>, PackageError> {
        let rows = anki_rows::collection(contents, now);
        write_package::write(
            &rows,
            contents.deck.name.as_str(),
            &contents.deck.description,
            now.timestamp_millis(),
        )
    }
}

#[async_trait]
impl DeckPackager for AnkiPackager {
    #[tracing::instrument(name = "apkg.write", skip_all, fields(cards = contents.cards.len()))]
    async fn package(
        &self,
        contents: &DeckContents,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, PackageError> {
        let contents = contents.clone();
        tokio::task::spawn_blocking(move || Self::write(&contents, now))
            .await
            .map_err(|e| PackageError(format!("package writer stopped: {e}")))?
    }
}
