//! The vocabulary of a text: tokens → lemmas, counted, with frequency, CEFR estimate, whether
//! the dictionary knows them and whether the learner already studies them.

use crate::frequency::Zipf;
use crate::lemmatise::Lemmatiser;
use crate::ports::{FrequencySource, LearnerVocabulary, StoreError, WordRepository};
use crate::tokenise::tokenise;
use lingo_kernel::{CefrLevel, LanguageCode, UserId};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Longest text accepted, in characters (about ten pages).
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Longest text accepted, in UTF-8 bytes: checked first, before anything walks the characters.
pub const MAX_TEXT_BYTES: usize = 200_000;
/// Most words (tokens) a text may hold; each distinct one costs lemmatiser work.
pub const MAX_TEXT_WORDS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyseError {
    #[error("the text must not be empty")]
    Empty,
    #[error("the text is longer than {MAX_TEXT_CHARS} characters or {MAX_TEXT_BYTES} bytes")]
    TooLong,
    #[error("the text has more than {MAX_TEXT_WORDS} words")]
    TooManyWords,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysedWord {
    pub lemma: String,
    pub count: u32,
    /// The forms of it the text uses, sorted.
    pub forms: Vec<String>,
    pub zipf: Option<Zipf>,
    pub cefr: Option<CefrLevel>,
    pub in_dictionary: bool,
    /// `None` when nobody is signed in.
    pub in_my_decks: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextAnalysis {
    pub language: LanguageCode,
    pub tokens: u32,
    /// Most frequent in the text first; ties broken by rarity (rarer first), then lemma.
    pub words: Vec<AnalysedWord>,
}

pub struct TextAnalysisService {
    lemmatiser: Arc<Lemmatiser>,
    words: Arc<dyn WordRepository>,
    frequencies: Arc<dyn FrequencySource>,
    vocabulary: Arc<dyn LearnerVocabulary>,
}

impl TextAnalysisService {
    pub fn new(
        lemmatiser: Arc<Lemmatiser>,
        words: Arc<dyn WordRepository>,
        frequencies: Arc<dyn FrequencySource>,
        vocabulary: Arc<dyn LearnerVocabulary>,
    ) -> Self {
        Self {
            lemmatiser,
            words,
            frequencies,
            vocabulary,
        }
    }

    /// Five store queries whatever the length of the text.
    #[tracing::instrument(skip(self, text), fields(language = %language, chars))]
    pub async fn analyse(
        &self,
        language: &LanguageCode,
        text: &str,
        learner: Option<UserId>,
    ) -> Result<TextAnalysis, AnalyseError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(AnalyseError::TooLong);
        }
        let chars = text.chars().count();
        tracing::Span::current().record("chars", chars);
        if chars > MAX_TEXT_CHARS {
            return Err(AnalyseError::TooLong);
        }
        if text.trim().is_empty() {
            return Err(AnalyseError::Empty);
        }
        // A text with no words (digits, punctuation) analyses to no words.
        let tokens = tokenise(text);
        if tokens.len() > MAX_TEXT_WORDS {
            return Err(AnalyseError::TooManyWords);
        }
        // Lemmatised in text order: a word's neighbours choose between its readings.
        let lemma_of = self.lemmatiser.lemmatise(language, &tokens).await?;
        let mut by_lemma: HashMap<String, (u32, BTreeSet<String>)> = HashMap::new();
        for (form, lemma) in tokens.iter().zip(lemma_of) {
            let slot = by_lemma.entry(lemma).or_default();
            slot.0 += 1;
            slot.1.insert(form.clone());
        }
        let lemmas: Vec<String> = by_lemma.keys().cloned().collect();
        let known = self.words.known(language, &lemmas).await?;
        let zipfs = self.frequencies.zipf(language, &lemmas).await?;
        let mine = match learner {
            Some(user) => Some(self.vocabulary.known_by(user, language, &lemmas).await?),
            None => None,
        };
        let mut words: Vec<AnalysedWord> = by_lemma
            .into_iter()
            .map(|(lemma, (count, forms))| {
                let zipf = zipfs.get(&lemma).copied();
                AnalysedWord {
                    in_dictionary: known.contains(&lemma),
                    in_my_decks: mine.as_ref().map(|m| m.contains(&lemma)),
                    cefr: zipf.map(Zipf::estimated_cefr),
                    zipf,
                    count,
                    forms: forms.into_iter().collect(),
                    lemma,
                }
            })
            .collect();
        words.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| {
                    let za = a.zipf.map_or(0.0, Zipf::get);
                    let zb = b.zipf.map_or(0.0, Zipf::get);
                    za.total_cmp(&zb)
                })
                .then_with(|| a.lemma.cmp(&b.lemma))
        });
        Ok(TextAnalysis {
            language: language.clone(),
            tokens: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
            words,
        })
    }
}
