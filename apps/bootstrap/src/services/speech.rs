//! Pronunciation audio wired to its adapters: the engine the configuration names (espeak-ng +
//! opusenc by default, an OpenAI-compatible speech server, or none) and GridFS for the audio.
//! Every process gets the same service; only the worker's `speech.render` calls the engine.

use crate::Stores;
use crate::config::{SpeechConfig, SpeechEngine};
use lingo_dictionary::speech::{PronunciationService, SpeechSynthesizer, Voice};
use lingo_kernel::jobs::JobQueue;
use lingo_kernel::{Clock, LanguageCode};
use lingo_mongo::MongoAudioStore;
use lingo_speech::{
    EspeakSettings, EspeakSpeech, OpenAiSpeech, OpenAiSpeechSettings, espeak_voice,
};
use std::sync::Arc;

use lingo_dictionary::speech::render_speech::VoiceFor as Voices;

fn engine(config: &SpeechConfig) -> anyhow::Result<(Option<Arc<dyn SpeechSynthesizer>>, Voices)> {
    Ok(match config.engine {
        SpeechEngine::Espeak => (
            Some(Arc::new(EspeakSpeech::new(EspeakSettings::default()))),
            Arc::new(|language: &LanguageCode| {
                espeak_voice(language.primary()).and_then(|v| Voice::parse(v).ok())
            }),
        ),
        SpeechEngine::OpenAi => {
            let voice = Voice::parse(&config.voice)
                .map_err(|e| anyhow::anyhow!("LINGO_SPEECH_VOICE: {e}"))?;
            let engine = OpenAiSpeech::new(OpenAiSpeechSettings {
                base_url: config.base_url.clone().unwrap_or_default(),
                model: config.model.clone(),
                voice: config.voice.clone(),
                api_key: config.api_key.clone(),
                timeout: config.timeout,
            })?;
            (
                Some(Arc::new(engine)),
                Arc::new(move |_: &LanguageCode| Some(voice.clone())),
            )
        }
        SpeechEngine::None => (None, Arc::new(|_: &LanguageCode| None)),
    })
}

pub(super) fn build(
    config: &SpeechConfig,
    stores: &Stores,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Arc<PronunciationService>> {
    let (synthesizer, voices) = engine(config)?;
    Ok(Arc::new(PronunciationService::new(
        Arc::new(MongoAudioStore::new(&stores.mongo)),
        synthesizer,
        Arc::new(stores.jobs.clone()) as Arc<dyn JobQueue>,
        voices,
        clock,
    )))
}
