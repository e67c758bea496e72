//! Pronunciation audio: what is spoken (language, text, voice), the engines that speak it
//! (`SpeechSynthesizer`), where the audio is kept (`AudioStore`), the `speech.render` job and the
//! reads of the audio route. Audio is addressed by its key: the same (language, text, voice) is
//! rendered once and shared by every learner; licensed audio from a dictionary source
//! (`Pronunciation::audio_url`) is kept and preferred over rendered audio.

pub mod audio_key;
pub mod ports;
pub mod render_speech;

pub use audio_key::{AudioKey, SpeechText, SpeechTextError, Voice, VoiceError};
pub use audio_key::{audio_path, is_audio_id};
pub use ports::{AudioProvenance, AudioStore, Speech, SpeechError, SpeechSynthesizer, StoredAudio};
pub use render_speech::{PronunciationService, RenderSpeech, Rendered};
