use super::{LOAD_CHUNK_ROWS, unavailable};
use crate::pool::PgPool;
use crate::schema::lemma_forms;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel::sql_types::{Array, Text};
use diesel_async::RunQueryDsl;
use lingo_dictionary::ports::{LemmaTable, StoreError};
use lingo_kernel::LanguageCode;
use std::collections::{BTreeSet, HashMap};

const LOAD: &str = r#"
INSERT INTO lemma_forms (language, form_key, lemma)
SELECT $1, r.form_key, r.lemma FROM unnest($2::text[], $3::text[]) AS r(form_key, lemma)
ON CONFLICT DO NOTHING
"#;

/// Inflected form → lemma tables in `lemma_forms`.
#[derive(Clone)]
pub struct PgLemmaTable {
    pool: PgPool,
}

impl PgLemmaTable {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl LemmaTable for PgLemmaTable {
    /// Each form's lemmas sorted (byte-wise), without duplicates.
    async fn lemmas(
        &self,
        language: &LanguageCode,
        forms: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        if forms.is_empty() {
            return Ok(HashMap::new());
        }
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<(String, String)> = lemma_forms::table
            .filter(lemma_forms::language.eq(language.as_str()))
            .filter(lemma_forms::form_key.eq_any(forms))
            .select((lemma_forms::form_key, lemma_forms::lemma))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let mut lemmas: HashMap<String, Vec<String>> = HashMap::new();
        for (form, lemma) in rows {
            lemmas.entry(form).or_default().push(lemma);
        }
        for list in lemmas.values_mut() {
            list.sort();
        }
        Ok(lemmas)
    }

    /// Returns how many (form, lemma) pairs were new.
    #[tracing::instrument(name = "lemma_table.load", skip_all, fields(language = %language, rows = rows.len()))]
    async fn load(
        &self,
        language: &LanguageCode,
        rows: &[(String, String)],
    ) -> Result<u64, StoreError> {
        let distinct: BTreeSet<(&str, &str)> = rows
            .iter()
            .map(|(form, lemma)| (form.as_str(), lemma.as_str()))
            .collect();
        let distinct: Vec<(&str, &str)> = distinct.into_iter().collect();
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let mut written = 0u64;
        for chunk in distinct.chunks(LOAD_CHUNK_ROWS) {
            let (forms, lemmas): (Vec<&str>, Vec<&str>) = chunk.iter().copied().unzip();
            let n = diesel::sql_query(LOAD)
                .bind::<Text, _>(language.as_str())
                .bind::<Array<Text>, _>(&forms)
                .bind::<Array<Text>, _>(&lemmas)
                .execute(&mut conn)
                .await
                .map_err(unavailable)?;
            written += n as u64;
        }
        Ok(written)
    }
}
