//! Search as the learner types: words starting with the query first, then words that look like
//! it (trigram similarity, for typos), in one statement so that paging is stable across both.

use super::decode;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Float4, Float8, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::{PartOfSpeech, SearchHit};
use lingo_kernel::LanguageCode;
use uuid::Uuid;

/// Prefix hits (score 1) by frequency, then trigram hits (`%`, pg_trgm's default similarity
/// threshold of 0.3) by similarity plus a twentieth of the Zipf frequency (so a common word
/// slightly further away outranks a rare near-identical one: "abandn" → abandon before aband); `id` breaks the remaining ties so that
/// pages never overlap. `$2` is the escaped key followed by `%`, `$3` the key itself.
/// The prefix condition uses `words_lemma_key_prefix_idx`, the similarity one
/// `words_lemma_key_trgm_idx`. Learners' private words never show (migration `private_words`).
const SEARCH: &str = r#"
SELECT id, lemma, part_of_speech, zipf, cefr, score
FROM (
    SELECT id, lemma, part_of_speech, zipf, cefr, 1.0::real AS score, 0 AS hit_group
    FROM words
    WHERE language = $1 AND visibility = 'public' AND lemma_key LIKE $2 ESCAPE '\'
    UNION ALL
    SELECT id, lemma, part_of_speech, zipf, cefr, similarity(lemma_key, $3) AS score,
           1 AS hit_group
    FROM words
    WHERE language = $1 AND visibility = 'public' AND lemma_key % $3 AND lemma_key NOT LIKE $2 ESCAPE '\'
) AS hits
ORDER BY hit_group, score + COALESCE(zipf, 0) / 20 DESC, zipf DESC NULLS LAST, lemma, id
LIMIT $4 OFFSET $5
"#;

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    lemma: String,
    #[diesel(sql_type = Text)]
    part_of_speech: String,
    #[diesel(sql_type = Nullable<Float8>)]
    zipf: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    cefr: Option<String>,
    #[diesel(sql_type = Float4)]
    score: f32,
}

impl HitRow {
    fn into_hit(self) -> Result<SearchHit, StoreError> {
        Ok(SearchHit {
            id: lingo_kernel::WordId::from_uuid(self.id),
            part_of_speech: PartOfSpeech::parse(&self.part_of_speech),
            zipf: decode::optional_zipf(self.zipf)?,
            cefr: decode::optional_cefr(self.cefr.as_deref())?,
            lemma: self.lemma,
            score: self.score,
        })
    }
}

/// `key` as a literal `LIKE` prefix: `%`, `_` and the escape character itself escaped.
fn like_prefix(key: &str) -> String {
    let mut pattern = String::with_capacity(key.len() + 2);
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(super) async fn search(
    conn: &mut AsyncPgConnection,
    language: &LanguageCode,
    key: &str,
    limit: u32,
    offset: u32,
) -> Result<Vec<SearchHit>, StoreError> {
    let rows: Vec<HitRow> = diesel::sql_query(SEARCH)
        .bind::<Text, _>(language.as_str())
        .bind::<Text, _>(like_prefix(key))
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(i64::from(limit))
        .bind::<BigInt, _>(i64::from(offset))
        .load(conn)
        .await
        .map_err(super::unavailable)?;
    rows.into_iter().map(HitRow::into_hit).collect()
}

#[cfg(test)]
mod tests {
    use super::like_prefix;

    #[test]
    fn like_wildcards_in_the_key_are_literal() {
        assert_eq!(like_prefix("hou"), "hou%");
        assert_eq!(like_prefix("50%_a\\b"), "50\\%\\_a\\\\b%");
    }
}
