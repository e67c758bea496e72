//! The backs of study cards, from what is stored: the word's dictionary entries and, when it has
//! been generated, its learner content for the learner's language and level. One entry read per
//! language and one content read for the whole session, for the backs not kept in-process
//! (`card_back_cache`); nothing is generated here.
//!
//! Each back stays within a payload budget (docs/study-session.md): at most three translations
//! of 80 characters, a 240-character definition and two examples of 240 characters.

use crate::card_back_cache::BackCache;
use crate::content_key::ContentKey;
use crate::generate_content::content_key;
use crate::ports::{Background, ContentStore, ContentVersion, LearnerLanguages};
use lingo_dictionary::Entry;
use lingo_dictionary::meaning::{MeaningChains, MeaningSource, translations_into};
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryStore, StoreError};
use lingo_dictionary::speech::{AudioKey, PronunciationService};
use lingo_kernel::{CefrLevel, LanguageCode, UserId, WordId};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::study_session::{BackExample, BackRequest, CardBack, CardBacks, ContentState};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const TRANSLATIONS: usize = 3;
const TRANSLATION_CHARS: usize = 80;
const TEXT_CHARS: usize = 240;
const EXAMPLES: usize = 2;

pub struct StoredCardBacks {
    entries: Arc<dyn EntryStore>,
    content: Arc<dyn ContentStore>,
    learners: Arc<dyn LearnerLanguages>,
    meanings: MeaningChains,
    pronunciation: Option<Arc<PronunciationService>>,
    cache: Option<Arc<BackCache>>,
    background: Option<Arc<dyn Background>>,
}

impl StoredCardBacks {
    /// Backs are kept in-process under the entries' and the content's versions.
    pub fn with_cache(mut self, cache: BackCache) -> Self {
        self.cache = Some(Arc::new(cache));
        self
    }

    /// Audio asked for before and still pending is asked about again behind the answer (the
    /// session says "pending" at once) rather than before it: with the cache, a session then
    /// waits for the audio store only for words this process has never seen.
    pub fn with_background(mut self, background: Arc<dyn Background>) -> Self {
        self.background = Some(background);
        self
    }

    /// Backs without source audio get rendered audio once it exists, and ask for it otherwise.
    pub fn with_pronunciation(mut self, pronunciation: Arc<PronunciationService>) -> Self {
        self.pronunciation = Some(pronunciation);
        self
    }

    /// Rendered audio for the backs that have no source audio: one store query for the whole
    /// session; renders of what is missing are enqueued (ids fixed by the key, so a repeat is
    /// a no-op) and those backs marked pending. Never fails the session.
    async fn add_rendered_audio(
        &self,
        words: &[BackRequest],
        backs: &mut HashMap<WordId, CardBack>,
    ) {
        let Some(pronunciation) = &self.pronunciation else {
            return;
        };
        let now = std::time::Instant::now();
        let mut wanted: Vec<(WordId, AudioKey)> = Vec::new();
        let mut recheck: Vec<AudioKey> = Vec::new();
        for w in words {
            let Some(back) = backs.get_mut(&w.word).filter(|b| b.audio_url.is_none()) else {
                continue;
            };
            let Some(key) = LanguageCode::parse(&w.summary.language)
                .ok()
                .and_then(|language| pronunciation.key_for(&language, &w.summary.lemma))
            else {
                continue;
            };
            let cache = self.cache.as_ref();
            match cache.and_then(|c| c.known_audio(&key.id(), now)) {
                Some(true) => back.audio_url = Some(key.path()),
                Some(false) => back.audio_pending = true,
                None if self.background.is_some()
                    && cache.is_some_and(|c| c.audio_was_requested(&key.id())) =>
                {
                    back.audio_pending = true;
                    recheck.push(key);
                }
                None => wanted.push((w.word, key)),
            }
        }
        if let (Some(background), Some(cache)) = (&self.background, &self.cache)
            && !recheck.is_empty()
        {
            // Marked asked-for now, so that the sessions before the check ends do not ask too.
            for key in &recheck {
                cache.audio_requested(&key.id(), now);
            }
            let (pronunciation, cache) = (pronunciation.clone(), cache.clone());
            background.spawn(Box::pin(async move {
                recheck_audio(&pronunciation, &cache, recheck).await;
            }));
        }
        if wanted.is_empty() {
            return;
        }
        let keys: Vec<AudioKey> = wanted.iter().map(|(_, k)| k.clone()).collect();
        let rendered = match pronunciation.rendered(&keys).await {
            Ok(rendered) => rendered,
            Err(e) => {
                tracing::warn!(error = %e, "audio store unavailable; backs without rendered audio");
                return;
            }
        };
        let mut missing = Vec::new();
        for (word, key) in wanted {
            let Some(back) = backs.get_mut(&word) else {
                continue;
            };
            let id = key.id();
            if rendered.contains(&id) {
                back.audio_url = Some(key.path());
                if let Some(cache) = &self.cache {
                    cache.audio_stored(&id);
                }
            } else {
                back.audio_pending = true;
                if let Some(cache) = &self.cache {
                    cache.audio_requested(&id, now);
                }
                missing.push(key);
            }
        }
        if !missing.is_empty() {
            pronunciation.enqueue_renders(&missing).await;
        }
    }
    pub fn new(
        entries: Arc<dyn EntryStore>,
        content: Arc<dyn ContentStore>,
        learners: Arc<dyn LearnerLanguages>,
        meanings: MeaningChains,
    ) -> Self {
        Self {
            entries,
            content,
            learners,
            meanings,
            pronunciation: None,
            cache: None,
            background: None,
        }
    }
}

/// The re-check behind a session: audio stored since is remembered, and what is still missing
/// is enqueued again (a no-op while its render job is queued).
async fn recheck_audio(
    pronunciation: &PronunciationService,
    cache: &BackCache,
    keys: Vec<AudioKey>,
) {
    let rendered = match pronunciation.rendered(&keys).await {
        Ok(rendered) => rendered,
        Err(e) => {
            tracing::warn!(error = %e, "audio store unavailable; pending audio checked later");
            return;
        }
    };
    let missing: Vec<AudioKey> = keys
        .into_iter()
        .filter(|key| {
            let id = key.id();
            let stored = rendered.contains(&id);
            if stored {
                cache.audio_stored(&id);
            }
            !stored
        })
        .collect();
    if !missing.is_empty() {
        pronunciation.enqueue_renders(&missing).await;
    }
}

fn unavailable(e: StoreError) -> LearningStoreError {
    LearningStoreError::Unavailable(e.to_string())
}

fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(max.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

impl StoredCardBacks {
    /// The backs of `words` read from the stores: one content read, one entry read per language.
    async fn read(
        &self,
        native: &LanguageCode,
        words: &[(&BackRequest, ContentKey)],
    ) -> Result<HashMap<WordId, CardBack>, LearningStoreError> {
        let keys: Vec<ContentKey> = words.iter().map(|(_, key)| key.clone()).collect();
        let content = self.content.latest_of(&keys).await.map_err(unavailable)?;
        let chain = self.meanings.for_native(native);
        let mut by_language: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (word, _) in words {
            by_language
                .entry(word.summary.language.as_str())
                .or_default()
                .push(fold_key(&word.summary.lemma));
        }
        let mut entries: HashMap<(String, String), Vec<Entry>> = HashMap::new();
        for (language, lemma_keys) in by_language {
            let Ok(code) = LanguageCode::parse(language) else {
                continue;
            };
            for entry in self
                .entries
                .entries(&code, &lemma_keys)
                .await
                .map_err(unavailable)?
            {
                entries
                    .entry((language.to_owned(), fold_key(&entry.lemma)))
                    .or_default()
                    .push(entry);
            }
        }
        Ok(words
            .iter()
            .map(|(word, key)| {
                let found = entries
                    .get(&(word.summary.language.clone(), fold_key(&word.summary.lemma)))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                (word.word, back_of(found, content.get(&key.id()), &chain))
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl CardBacks for StoredCardBacks {
    async fn backs(
        &self,
        learner: UserId,
        words: &[BackRequest],
    ) -> Result<HashMap<WordId, CardBack>, LearningStoreError> {
        if words.is_empty() {
            return Ok(HashMap::new());
        }
        let (native, level) = self
            .learners
            .native_and_level(learner)
            .await
            .map_err(unavailable)?;
        self.backs_in(learner, &native, level, words).await
    }

    async fn backs_in(
        &self,
        _learner: UserId,
        native: &LanguageCode,
        level: CefrLevel,
        words: &[BackRequest],
    ) -> Result<HashMap<WordId, CardBack>, LearningStoreError> {
        if words.is_empty() {
            return Ok(HashMap::new());
        }
        let keyed: Vec<(&BackRequest, ContentKey)> = words
            .iter()
            .map(|w| (w, content_key(w.word, native.clone(), level)))
            .collect();
        let mut backs = match &self.cache {
            None => self.read(native, &keyed).await?,
            Some(cache) => {
                let languages: Vec<&str> =
                    words.iter().map(|w| w.summary.language.as_str()).collect();
                let versions = cache.versions(native, &languages).await;
                let mut backs = HashMap::with_capacity(words.len());
                let mut misses = Vec::new();
                for (word, key) in keyed {
                    let id = key.id();
                    match cache.get(&id, &word.summary.language, &versions) {
                        Some(back) => {
                            backs.insert(word.word, back);
                        }
                        None => misses.push((word, key)),
                    }
                }
                if !misses.is_empty() {
                    let read = self.read(native, &misses).await?;
                    for (word, key) in &misses {
                        if let Some(back) = read.get(&word.word) {
                            cache.put(&key.id(), &word.summary.language, &versions, back);
                        }
                    }
                    backs.extend(read);
                }
                backs
            }
        };
        self.add_rendered_audio(words, &mut backs).await;
        Ok(backs)
    }
}

/// The back from the entries, with generated content taking precedence where it has a field.
/// `chain` is the learner's meaning fallback chain (their language first): with no translation
/// into their language the back shows the definition, and translations into the chain's next
/// language marked with it ("بيت (ar)").
pub fn back_of(
    entries: &[Entry],
    content: Option<&ContentVersion>,
    chain: &[MeaningSource],
) -> CardBack {
    let pronunciations = entries.iter().flat_map(|e| &e.pronunciations);
    let mut back = CardBack {
        ipa: pronunciations.clone().find_map(|p| p.ipa.clone()),
        audio_url: pronunciations.clone().find_map(|p| p.audio_url.clone()),
        audio_pending: false,
        part_of_speech: entries
            .iter()
            .find(|e| !e.part_of_speech.is_unknown())
            .map(|e| e.part_of_speech.as_str().to_owned()),
        translations: Vec::new(),
        definition: entries
            .iter()
            .flat_map(|e| &e.senses)
            .map(|s| s.gloss.trim())
            .find(|g| !g.is_empty())
            .map(|g| clip(g, TEXT_CHARS)),
        examples: entries
            .iter()
            .flat_map(|e| &e.senses)
            .flat_map(|s| &s.examples)
            .take(EXAMPLES)
            .map(|x| BackExample {
                text: clip(&x.text, TEXT_CHARS),
                translation: x.translation.as_deref().map(|t| clip(t, TEXT_CHARS)),
            })
            .collect(),
        mnemonic: None,
        content: ContentState::Missing,
    };
    let mut translations: Vec<String> = Vec::new();
    let add = |translations: &mut Vec<String>, text: &str| {
        let text = clip(text, TRANSLATION_CHARS);
        if !text.is_empty() && !translations.contains(&text) && translations.len() < TRANSLATIONS {
            translations.push(text);
        }
    };
    if let Some(version) = content {
        let generated = &version.content;
        for sense in &generated.senses {
            // Extractive content carries the definition where no translation exists, and
            // content from before the fallback chain a "(no fa translation …)" placeholder:
            // neither is a translation.
            let placeholder = sense.translation.starts_with("(no ");
            if sense.translation != sense.definition && !placeholder {
                add(&mut translations, &sense.translation);
            }
        }
        if let Some(sense) = generated.senses.first() {
            back.definition = Some(clip(&sense.definition, TEXT_CHARS));
            if back.part_of_speech.is_none() && !sense.part_of_speech.is_empty() {
                back.part_of_speech = Some(sense.part_of_speech.clone());
            }
        }
        if !generated.examples.is_empty() {
            back.examples = generated
                .examples
                .iter()
                .take(EXAMPLES)
                .map(|x| BackExample {
                    text: clip(&x.text, TEXT_CHARS),
                    translation: Some(clip(&x.translation, TEXT_CHARS)),
                })
                .collect();
        }
        if back.ipa.is_none() && !generated.ipa.is_empty() {
            back.ipa = Some(generated.ipa.clone());
        }
        if !generated.mnemonic.is_empty() {
            back.mnemonic = Some(clip(&generated.mnemonic, TEXT_CHARS));
        }
        back.content = ContentState::Ready {
            version: version.version,
        };
    }
    for (i, step) in chain.iter().enumerate() {
        // Later steps only fill a back that has nothing in the learner's language yet; a
        // definition step ends the chain when the back has a definition.
        if i > 0 && !translations.is_empty() {
            break;
        }
        match step {
            MeaningSource::Definition if back.definition.is_some() => break,
            MeaningSource::Definition => {}
            MeaningSource::Translation(language) => {
                for text in translations_into(entries, language) {
                    let text = if i == 0 {
                        text
                    } else {
                        format!("{text} ({language})")
                    };
                    add(&mut translations, &text);
                }
            }
        }
    }
    back.translations = translations;
    back
}
