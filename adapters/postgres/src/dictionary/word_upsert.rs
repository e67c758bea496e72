//! Two statements per batch of word upserts: confirm learners' private rows of the same words,
//! then insert or update.

use diesel::sql_types::{Array, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_dictionary::WordUpsert;
use lingo_dictionary::normalise::fold_key;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Sources travel as one comma-separated string per row (arrays of arrays must be
/// rectangular); a `SourceId` never contains a comma. The union of old and new sources is kept
/// sorted byte-wise (`COLLATE "C"`), as `SourceId` orders them. Frequency and CEFR change only
/// when the new value is known. The key is rewritten too: rows a learner added before the
/// dictionary knew the word were keyed by `lower()`, which does not unify Arabic-script letters.
const UPSERT: &str = r#"
INSERT INTO words AS w (id, language, lemma, lemma_key, part_of_speech, zipf, cefr, sources)
SELECT u.id, u.language, u.lemma, u.lemma_key, u.part_of_speech, u.zipf, u.cefr,
       string_to_array(u.sources, ',')
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[],
            $7::text[], $8::text[])
     AS u(id, language, lemma, lemma_key, part_of_speech, zipf, cefr, sources)
ON CONFLICT (language, lemma, part_of_speech) DO UPDATE SET
    lemma_key = EXCLUDED.lemma_key,
    sources = ARRAY(SELECT DISTINCT s COLLATE "C"
                    FROM unnest(w.sources || EXCLUDED.sources) AS s ORDER BY 1),
    zipf = coalesce(EXCLUDED.zipf, w.zipf),
    cefr = coalesce(EXCLUDED.cefr, w.cefr),
    visibility = 'public',
    updated_at = now()
"#;

/// A dictionary source knowing a word confirms every private row learners added with the same
/// fold key, whatever its part of speech (learners add lemmas without one).
const CONFIRM: &str = r#"
UPDATE words AS w SET visibility = 'public', updated_at = now()
FROM unnest($1::text[], $2::text[]) AS k(language, lemma_key)
WHERE w.visibility = 'private' AND w.language = k.language AND w.lemma_key = k.lemma_key
"#;

/// The upserts of one row, merged: PostgreSQL refuses to update a row twice in one statement.
struct Merged<'a> {
    sources: BTreeSet<&'a str>,
    zipf: Option<f64>,
    cefr: Option<&'static str>,
}

/// Merges `words` by (language, lemma, part of speech): sources united, the last known
/// frequency and CEFR band kept. Sorted by key, so concurrent batches lock rows in one order.
fn merge(words: &[WordUpsert]) -> BTreeMap<(&str, &str, &str), Merged<'_>> {
    let mut merged: BTreeMap<(&str, &str, &str), Merged<'_>> = BTreeMap::new();
    for word in words {
        let key = (
            word.language.as_str(),
            word.lemma.as_str(),
            word.part_of_speech.as_str(),
        );
        let row = merged.entry(key).or_insert_with(|| Merged {
            sources: BTreeSet::new(),
            zipf: None,
            cefr: None,
        });
        row.sources.insert(word.source.as_str());
        if let Some(zipf) = word.zipf {
            row.zipf = Some(zipf.get());
        }
        if let Some(cefr) = word.cefr {
            row.cefr = Some(cefr.as_str());
        }
    }
    merged
}

pub(super) async fn upsert(
    conn: &mut AsyncPgConnection,
    words: &[WordUpsert],
) -> Result<usize, diesel::result::Error> {
    let merged = merge(words);
    let n = merged.len();
    let (mut ids, mut languages, mut lemmas, mut keys, mut parts) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut zipfs, mut cefrs, mut sources) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for ((language, lemma, part_of_speech), row) in merged {
        ids.push(Uuid::now_v7());
        languages.push(language);
        lemmas.push(lemma);
        keys.push(fold_key(lemma));
        parts.push(part_of_speech);
        zipfs.push(row.zipf);
        cefrs.push(row.cefr);
        sources.push(row.sources.into_iter().collect::<Vec<_>>().join(","));
    }
    let confirmed: BTreeSet<(&str, &str)> = languages
        .iter()
        .copied()
        .zip(keys.iter().map(String::as_str))
        .collect();
    let (confirm_languages, confirm_keys): (Vec<&str>, Vec<&str>) = confirmed.into_iter().unzip();
    diesel::sql_query(CONFIRM)
        .bind::<Array<Text>, _>(&confirm_languages)
        .bind::<Array<Text>, _>(&confirm_keys)
        .execute(conn)
        .await?;
    diesel::sql_query(UPSERT)
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Text>, _>(&languages)
        .bind::<Array<Text>, _>(&lemmas)
        .bind::<Array<Text>, _>(&keys)
        .bind::<Array<Text>, _>(&parts)
        .bind::<Array<Nullable<diesel::sql_types::Float8>>, _>(&zipfs)
        .bind::<Array<Nullable<Text>>, _>(&cefrs)
        .bind::<Array<Text>, _>(&sources)
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingo_dictionary::{PartOfSpeech, SourceId, Zipf};
    use lingo_kernel::{CefrLevel, LanguageCode};

    fn upsert(lemma: &str, source: &str, zipf: Option<f64>, cefr: Option<CefrLevel>) -> WordUpsert {
        WordUpsert {
            language: LanguageCode::english(),
            lemma: lemma.to_owned(),
            part_of_speech: PartOfSpeech::parse("noun"),
            source: SourceId::parse(source).expect("valid source"),
            zipf: zipf.map(|z| Zipf::new(z).expect("valid zipf")),
            cefr,
        }
    }

    #[test]
    fn duplicates_merge_sources_and_keep_the_last_known_values() {
        let words = [
            upsert("house", "wordnet-3.0", Some(5.0), Some(CefrLevel::A1)),
            upsert("house", "freedict-eng-ara", None, None),
            upsert("house", "wordnet-3.0", Some(5.5), None),
            upsert("House", "wordnet-3.0", None, None),
        ];
        let merged = merge(&words);
        assert_eq!(merged.len(), 2);
        let house = &merged[&("en", "house", "noun")];
        assert_eq!(
            house.sources.iter().copied().collect::<Vec<_>>(),
            ["freedict-eng-ara", "wordnet-3.0"]
        );
        assert_eq!(house.zipf, Some(5.5));
        assert_eq!(house.cefr, Some("A1"));
    }
}
