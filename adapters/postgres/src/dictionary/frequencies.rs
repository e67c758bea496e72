use super::{LOAD_CHUNK_ROWS, decode, unavailable};
use crate::pool::PgPool;
use crate::schema::word_frequencies;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel::sql_types::{Array, Float8, Text};
use diesel_async::RunQueryDsl;
use lingo_dictionary::Zipf;
use lingo_dictionary::ports::{FrequencySource, StoreError};
use lingo_kernel::LanguageCode;
use std::collections::HashMap;

const LOAD: &str = r#"
INSERT INTO word_frequencies (language, word_key, zipf)
SELECT $1, r.word_key, r.zipf FROM unnest($2::text[], $3::float8[]) AS r(word_key, zipf)
ON CONFLICT (language, word_key) DO UPDATE SET zipf = EXCLUDED.zipf
"#;

/// Frequency lists in `word_frequencies`, by fold key.
#[derive(Clone)]
pub struct PgFrequencies {
    pool: PgPool,
}

impl PgFrequencies {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl FrequencySource for PgFrequencies {
    async fn zipf(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<HashMap<String, Zipf>, StoreError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<(String, f64)> = word_frequencies::table
            .filter(word_frequencies::language.eq(language.as_str()))
            .filter(word_frequencies::word_key.eq_any(keys))
            .select((word_frequencies::word_key, word_frequencies::zipf))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter()
            .map(|(key, zipf)| Ok((key, decode::zipf(zipf)?)))
            .collect()
    }

    /// A key listed twice keeps its last value (one statement cannot update a row twice).
    #[tracing::instrument(name = "frequencies.load", skip_all, fields(language = %language, rows = rows.len()))]
    async fn load(
        &self,
        language: &LanguageCode,
        rows: &[(String, Zipf)],
    ) -> Result<u64, StoreError> {
        let mut last: HashMap<&str, f64> = HashMap::with_capacity(rows.len());
        for (key, zipf) in rows {
            last.insert(key.as_str(), zipf.get());
        }
        let mut distinct: Vec<(&str, f64)> = last.into_iter().collect();
        distinct.sort_by(|a, b| a.0.cmp(b.0));
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let mut written = 0u64;
        for chunk in distinct.chunks(LOAD_CHUNK_ROWS) {
            let (keys, zipfs): (Vec<&str>, Vec<f64>) = chunk.iter().copied().unzip();
            let n = diesel::sql_query(LOAD)
                .bind::<Text, _>(language.as_str())
                .bind::<Array<Text>, _>(&keys)
                .bind::<Array<Float8>, _>(&zipfs)
                .execute(&mut conn)
                .await
                .map_err(unavailable)?;
            written += n as u64;
        }
        Ok(written)
    }
}
