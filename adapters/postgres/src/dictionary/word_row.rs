use super::{corrupt, decode};
use crate::schema::words;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::{PartOfSpeech, SourceId, WordMetadata};
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = words)]
pub(super) struct WordRow {
    id: Uuid,
    language: String,
    lemma: String,
    part_of_speech: String,
    zipf: Option<f64>,
    cefr: Option<String>,
    sources: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl WordRow {
    pub(super) fn into_metadata(self) -> Result<WordMetadata, StoreError> {
        let sources = self
            .sources
            .iter()
            .map(|s| SourceId::parse(s).map_err(|e| corrupt("source", e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WordMetadata {
            id: lingo_kernel::WordId::from_uuid(self.id),
            language: decode::language(&self.language)?,
            part_of_speech: PartOfSpeech::parse(&self.part_of_speech),
            zipf: decode::optional_zipf(self.zipf)?,
            cefr: decode::optional_cefr(self.cefr.as_deref())?,
            lemma: self.lemma,
            sources,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
