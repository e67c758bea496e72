//! Word facts for quizzes from the dictionary's ports: metadata and distractors from the word
//! repository, meanings, examples and synonyms from one entry-store query per quiz language.

use crate::ports::LearningStoreError;
use crate::quiz::ports::{QuizMaterial, QuizWordFacts, WordFacts};
use async_trait::async_trait;
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryStore, StoreError, WordRepository};
use lingo_dictionary::{Entry, WordMetadata};
use lingo_kernel::{LanguageCode, WordId};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Zipf bands tried in turn for distractors (`None`: any frequency).
const WINDOWS: [Option<f64>; 3] = [Some(0.75), Some(1.5), None];

/// Word facts from the dictionary stores.
pub struct DictionaryQuizFacts {
    pub words: Arc<dyn WordRepository>,
    pub entries: Arc<dyn EntryStore>,
}

fn store_error(e: StoreError) -> LearningStoreError {
    LearningStoreError::Unavailable(e.to_string())
}

impl DictionaryQuizFacts {
    /// Words of the same part of speech, closest frequency band first.
    async fn neighbours(
        &self,
        word: &WordMetadata,
        n: usize,
    ) -> Result<Vec<WordMetadata>, LearningStoreError> {
        let zipf = word.zipf.map(|z| z.get());
        let limit = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let mut found = Vec::new();
        for window in WINDOWS {
            let (min, max) = match (zipf, window) {
                (Some(z), Some(w)) => (Some(z - w), Some(z + w)),
                (None, Some(_)) => continue,
                (_, None) => (None, None),
            };
            found = self
                .words
                .similar(&word.language, &word.part_of_speech, min, max, limit)
                .await
                .map_err(store_error)?;
            found.retain(|w| w.id != word.id);
            if found.len() >= n {
                break;
            }
        }
        found.truncate(n);
        Ok(found)
    }
}

/// What the entries of `word` say, with meanings in `native` preferred.
fn facts(word: &WordMetadata, entries: &[&Entry], native: &LanguageCode) -> WordFacts {
    let same_pos: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| e.part_of_speech == word.part_of_speech)
        .collect();
    let entries = if same_pos.is_empty() {
        entries.to_vec()
    } else {
        same_pos
    };
    let senses = || entries.iter().flat_map(|e| &e.senses);
    let translation = entries
        .iter()
        .flat_map(|e| &e.translations)
        .find(|t| t.language.primary() == native.primary() && !t.text.trim().is_empty())
        .map(|t| t.text.trim().to_owned());
    let gloss = senses()
        .map(|s| s.gloss.trim())
        .find(|g| !g.is_empty())
        .map(str::to_owned);
    WordFacts {
        word_id: word.id,
        lemma: word.lemma.clone(),
        part_of_speech: word.part_of_speech.as_str().to_owned(),
        zipf: word.zipf.map(|z| z.get()),
        meaning: translation.or(gloss),
        examples: senses()
            .flat_map(|s| &s.examples)
            .map(|x| x.text.clone())
            .collect(),
        synonyms: senses().flat_map(|s| s.synonyms.clone()).collect(),
        forms: entries
            .iter()
            .flat_map(|e| &e.forms)
            .map(|f| f.form.clone())
            .collect(),
    }
}

#[async_trait]
impl QuizWordFacts for DictionaryQuizFacts {
    #[tracing::instrument(name = "quiz.word_facts", skip_all, fields(words = words.len()))]
    async fn material(
        &self,
        native: &LanguageCode,
        words: &[WordId],
        candidates: usize,
    ) -> Result<QuizMaterial, LearningStoreError> {
        let answers = self.words.by_ids(words).await.map_err(store_error)?;
        let mut neighbours = HashMap::new();
        for answer in &answers {
            neighbours.insert(answer.id, self.neighbours(answer, candidates).await?);
        }
        // One entry-store query per language for every word involved (MongoDB is the slow part).
        let mut keys: HashMap<&str, (&LanguageCode, BTreeSet<String>)> = HashMap::new();
        for word in answers.iter().chain(neighbours.values().flatten()) {
            keys.entry(word.language.as_str())
                .or_insert_with(|| (&word.language, BTreeSet::new()))
                .1
                .insert(fold_key(&word.lemma));
        }
        let mut entries: Vec<Entry> = Vec::new();
        for (language, keys) in keys.values() {
            let keys: Vec<String> = keys.iter().cloned().collect();
            entries.extend(
                self.entries
                    .entries(language, &keys)
                    .await
                    .map_err(store_error)?,
            );
        }
        let facts_of = |word: &WordMetadata| {
            let key = fold_key(&word.lemma);
            let own: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.language == word.language && e.lemma_key() == key)
                .collect();
            facts(word, &own, native)
        };
        Ok(QuizMaterial {
            facts: answers.iter().map(|w| (w.id, facts_of(w))).collect(),
            candidates: neighbours
                .iter()
                .map(|(id, words)| (*id, words.iter().map(facts_of).collect()))
                .collect(),
        })
    }
}
