//! Word facts for quizzes from the dictionary's ports: metadata and distractors from the word
//! repository; meanings, examples and synonyms from the entries of every source. A word's
//! meaning follows the learner's fallback chain (`meaning`): a translation into their language,
//! else the next step (a definition, another language). A word whose row has no part of
//! speech (bilingual lists) is quizzed as the part of speech its other entries give it, and its
//! distractors share it.

use crate::ports::LearningStoreError;
use crate::quiz::ports::{QuizMaterial, QuizWordFacts, WordFacts};
use async_trait::async_trait;
use lingo_dictionary::meaning::{
    MeaningChains, MeaningSource, inferred_part_of_speech, meaning_of,
};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryStore, StoreError, WordRepository};
use lingo_dictionary::speech::{AudioKey, PronunciationService};
use lingo_dictionary::{Entry, PartOfSpeech, WordMetadata};
use lingo_kernel::{LanguageCode, WordId};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Zipf bands tried in turn for distractors (`None`: any frequency).
const WINDOWS: [Option<f64>; 3] = [Some(0.75), Some(1.5), None];

/// Word facts from the dictionary stores.
pub struct DictionaryQuizFacts {
    pub words: Arc<dyn WordRepository>,
    pub entries: Arc<dyn EntryStore>,
    /// Where a meaning comes from when the learner's language has no translation.
    pub meanings: MeaningChains,
    /// Rendered pronunciations for words without source audio (listening questions).
    pub pronunciation: Option<Arc<PronunciationService>>,
}

fn store_error(e: StoreError) -> LearningStoreError {
    LearningStoreError::Unavailable(e.to_string())
}

/// Entries by (language, fold key).
type EntriesByWord = HashMap<(String, String), Vec<Entry>>;

fn key_of(word: &WordMetadata) -> (String, String) {
    (word.language.as_str().to_owned(), fold_key(&word.lemma))
}

impl DictionaryQuizFacts {
    /// Rendered audio for the quizzed words without source audio: one store query. A word
    /// whose audio is not rendered yet gets no listening question this time (and its render
    /// is asked for); the audio store being down only means no listening questions.
    async fn add_rendered_audio(
        &self,
        words: &[WordMetadata],
        facts: &mut HashMap<WordId, WordFacts>,
    ) {
        let Some(pronunciation) = &self.pronunciation else {
            return;
        };
        let wanted: Vec<(WordId, AudioKey)> = words
            .iter()
            .filter(|w| facts.get(&w.id).is_some_and(|f| f.audio_url.is_none()))
            .filter_map(|w| Some((w.id, pronunciation.key_for(&w.language, &w.lemma)?)))
            .collect();
        let keys: Vec<AudioKey> = wanted.iter().map(|(_, k)| k.clone()).collect();
        let rendered = match pronunciation.rendered(&keys).await {
            Ok(rendered) => rendered,
            Err(e) => {
                tracing::warn!(error = %e, "audio store unavailable: no listening questions");
                return;
            }
        };
        let mut missing = Vec::new();
        for (word, key) in wanted {
            match facts.get_mut(&word) {
                Some(f) if rendered.contains(&key.id()) => f.audio_url = Some(key.path()),
                Some(_) => missing.push(key),
                None => {}
            }
        }
        if !missing.is_empty() {
            pronunciation.enqueue_renders(&missing).await;
        }
    }

    /// Words of `part_of_speech`, closest frequency band first.
    async fn neighbours(
        &self,
        word: &WordMetadata,
        part_of_speech: &PartOfSpeech,
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
                .similar(&word.language, part_of_speech, min, max, limit)
                .await
                .map_err(store_error)?;
            found.retain(|w| w.id != word.id && fold_key(&w.lemma) != fold_key(&word.lemma));
            if found.len() >= n {
                break;
            }
        }
        found.truncate(n);
        Ok(found)
    }

    /// The entries of `words`, one entry-store query per language.
    async fn entries_of(
        &self,
        words: &[&WordMetadata],
    ) -> Result<EntriesByWord, LearningStoreError> {
        let mut keys: HashMap<&str, (&LanguageCode, BTreeSet<String>)> = HashMap::new();
        for word in words {
            keys.entry(word.language.as_str())
                .or_insert_with(|| (&word.language, BTreeSet::new()))
                .1
                .insert(fold_key(&word.lemma));
        }
        let mut out: EntriesByWord = HashMap::new();
        for (language, keys) in keys.values() {
            let keys: Vec<String> = keys.iter().cloned().collect();
            for entry in self
                .entries
                .entries(language, &keys)
                .await
                .map_err(store_error)?
            {
                out.entry((entry.language.as_str().to_owned(), entry.lemma_key()))
                    .or_default()
                    .push(entry);
            }
        }
        Ok(out)
    }
}

/// The part of speech a word is quizzed as: its row's, else what its entries say (WordNet has
/// one where a bilingual list has none), else unknown.
fn part_of_speech(word: &WordMetadata, entries: &[&Entry]) -> PartOfSpeech {
    if word.part_of_speech.is_unknown() {
        inferred_part_of_speech(entries).unwrap_or_else(PartOfSpeech::unknown)
    } else {
        word.part_of_speech.clone()
    }
}

/// What the entries of `word` (every source, every part of speech) say, the meaning chosen
/// along `chain`.
fn facts(
    word: &WordMetadata,
    part_of_speech: PartOfSpeech,
    entries: &[&Entry],
    chain: &[MeaningSource],
) -> WordFacts {
    let same_pos: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| e.part_of_speech == part_of_speech)
        .collect();
    // Examples, synonyms and forms of the word's own part of speech when it has any.
    let own = if same_pos.iter().any(|e| !e.senses.is_empty()) {
        same_pos
    } else {
        entries.to_vec()
    };
    let senses = || own.iter().flat_map(|e| &e.senses);
    WordFacts {
        word_id: word.id,
        lemma: word.lemma.clone(),
        meaning: meaning_of(entries, &part_of_speech, chain).map(|m| m.text),
        part_of_speech: part_of_speech.as_str().to_owned(),
        zipf: word.zipf.map(|z| z.get()),
        examples: senses()
            .flat_map(|s| &s.examples)
            .map(|x| x.text.clone())
            .collect(),
        synonyms: senses().flat_map(|s| s.synonyms.clone()).collect(),
        forms: own
            .iter()
            .flat_map(|e| &e.forms)
            .map(|f| f.form.clone())
            .collect(),
        // Licensed source audio of any entry; rendered audio is added by the caller.
        audio_url: entries
            .iter()
            .flat_map(|e| &e.pronunciations)
            .find_map(|p| p.audio_url.clone()),
    }
}

#[async_trait]
impl QuizWordFacts for DictionaryQuizFacts {
    /// Two entry-store queries per language: the quizzed words' (their part of speech decides
    /// which distractors to fetch), then the distractors'.
    #[tracing::instrument(name = "quiz.word_facts", skip_all, fields(words = words.len()))]
    async fn material(
        &self,
        native: &LanguageCode,
        words: &[WordId],
        candidates: usize,
    ) -> Result<QuizMaterial, LearningStoreError> {
        let chain = self.meanings.for_native(native);
        let answers = self.words.by_ids(words).await.map_err(store_error)?;
        let answer_entries = self.entries_of(&answers.iter().collect::<Vec<_>>()).await?;
        let entries_of = |all: &'_ EntriesByWord, word: &WordMetadata| -> Vec<Entry> {
            all.get(&key_of(word)).cloned().unwrap_or_default()
        };
        let mut answer_facts = HashMap::new();
        let mut neighbours = HashMap::new();
        for answer in &answers {
            let own = entries_of(&answer_entries, answer);
            let own: Vec<&Entry> = own.iter().collect();
            let pos = part_of_speech(answer, &own);
            neighbours.insert(answer.id, self.neighbours(answer, &pos, candidates).await?);
            answer_facts.insert(answer.id, facts(answer, pos, &own, &chain));
        }
        self.add_rendered_audio(&answers, &mut answer_facts).await;
        let others: Vec<&WordMetadata> = neighbours.values().flatten().collect();
        let other_entries = self.entries_of(&others).await?;
        Ok(QuizMaterial {
            meanings_from: chain.clone(),
            facts: answer_facts,
            candidates: neighbours
                .iter()
                .map(|(id, words)| {
                    let facts = words
                        .iter()
                        .map(|w| {
                            let own = entries_of(&other_entries, w);
                            let own: Vec<&Entry> = own.iter().collect();
                            facts(w, part_of_speech(w, &own), &own, &chain)
                        })
                        .collect();
                    (*id, facts)
                })
                .collect(),
        })
    }
}
