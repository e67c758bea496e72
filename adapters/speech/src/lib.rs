//! The `SpeechSynthesizer` port's adapters: espeak-ng on this machine, encoded to Opus in Ogg by
//! opusenc (Debian's `espeak-ng` and `opus-tools`), and an OpenAI-compatible `/v1/audio/speech`
//! server (OpenAI, or a local server speaking the same API).

mod espeak;
mod openai_speech;

pub use espeak::{EspeakSettings, EspeakSpeech, espeak_voice};
pub use openai_speech::{OpenAiSpeech, OpenAiSpeechSettings};

/// A speech adapter that cannot start (a missing program, a bad URL).
#[derive(Debug, thiserror::Error)]
#[error("speech engine: {0}")]
pub struct SpeechConfigError(pub String);
