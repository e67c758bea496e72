//! What a piece of pronunciation audio is: a language, a short text and a voice. Each part is
//! parsed at the boundary (job payloads and routes are outside input) so an engine never sees a
//! text it could misread as an option, a control character or a paragraph.

use lingo_kernel::LanguageCode;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The longest text rendered: a word or a short phrase, never an essay.
pub const MAX_SPEECH_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SpeechText(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpeechTextError {
    #[error("the text to speak is empty")]
    Empty,
    #[error("the text to speak is longer than {MAX_SPEECH_CHARS} characters")]
    TooLong,
    #[error("the text to speak has control characters")]
    Control,
    #[error("the text to speak starts with '-'")]
    LeadingDash,
}

impl SpeechText {
    pub fn parse(raw: &str) -> Result<Self, SpeechTextError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(SpeechTextError::Empty);
        }
        if text.chars().count() > MAX_SPEECH_CHARS {
            return Err(SpeechTextError::TooLong);
        }
        if text.chars().any(char::is_control) {
            return Err(SpeechTextError::Control);
        }
        // Engines run as commands: nothing that could read as an option.
        if text.starts_with('-') {
            return Err(SpeechTextError::LeadingDash);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SpeechText {
    type Error = SpeechTextError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<SpeechText> for String {
    fn from(text: SpeechText) -> Self {
        text.0
    }
}

/// An engine's voice name (`en`, `fa`, `en-us`, `alloy`): 1–32 of `[a-z0-9_+-]`, not starting
/// with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Voice(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a voice is 1-32 of a-z, 0-9, '_', '+', '-', not starting with '-'")]
pub struct VoiceError;

impl Voice {
    pub fn parse(raw: &str) -> Result<Self, VoiceError> {
        let voice = raw.trim().to_ascii_lowercase();
        let valid = (1..=32).contains(&voice.len())
            && !voice.starts_with('-')
            && voice
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_+-".contains(c));
        if valid {
            Ok(Self(voice))
        } else {
            Err(VoiceError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Voice {
    type Error = VoiceError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Voice> for String {
    fn from(voice: Voice) -> Self {
        voice.0
    }
}

impl fmt::Display for Voice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One piece of audio: rendered once, shared by everyone who hears the same words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AudioKey {
    pub language: LanguageCode,
    pub text: SpeechText,
    pub voice: Voice,
}

impl AudioKey {
    /// The audio's id (32 hex digits), fixed by the key: the route's path and the render job's
    /// id derive from it, so two requests for the same words render once.
    pub fn id(&self) -> String {
        self.uuid().simple().to_string()
    }

    fn uuid(&self) -> Uuid {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6c1e_0c0e_5a7d_4c3b_9f0e_0c0c_0e47_a0d1);
        let name = format!("{}|{}|{}", self.language, self.voice, self.text.as_str());
        Uuid::new_v5(&NAMESPACE, name.as_bytes())
    }

    pub fn job_id(&self) -> lingo_kernel::jobs::JobId {
        lingo_kernel::jobs::JobId::from_uuid(self.uuid())
    }

    /// The path the api serves the audio at.
    pub fn path(&self) -> String {
        audio_path(&self.id())
    }
}

pub fn audio_path(id: &str) -> String {
    format!("/api/v1/audio/{id}")
}

/// Whether `raw` can be an audio id at all (checked before any store is asked).
pub fn is_audio_id(raw: &str) -> bool {
    raw.len() == 32
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_could_confuse_an_engine_are_refused() {
        assert_eq!(SpeechText::parse("  "), Err(SpeechTextError::Empty));
        assert_eq!(SpeechText::parse("a\nb"), Err(SpeechTextError::Control));
        assert_eq!(
            SpeechText::parse("--help"),
            Err(SpeechTextError::LeadingDash)
        );
        assert_eq!(
            SpeechText::parse(&"a".repeat(MAX_SPEECH_CHARS + 1)),
            Err(SpeechTextError::TooLong)
        );
        assert_eq!(
            SpeechText::parse(" خانه ").map(|t| t.0),
            Ok("خانه".to_owned())
        );
        assert!(Voice::parse("en-us").is_ok());
        assert!(Voice::parse("-v").is_err());
        assert!(Voice::parse("en us").is_err());
        assert!(Voice::parse("").is_err());
    }

    #[test]
    fn the_id_is_fixed_by_language_text_and_voice() {
        let key = |lang: &str, text: &str, voice: &str| AudioKey {
            language: LanguageCode::parse(lang).expect("test value"),
            text: SpeechText::parse(text).expect("test value"),
            voice: Voice::parse(voice).expect("test value"),
        };
        let house = key("en", "house", "en");
        assert_eq!(house.id(), key("en", "house", "en").id());
        assert_ne!(house.id(), key("en", "house", "en-us").id());
        assert_ne!(house.id(), key("en", "houses", "en").id());
        assert!(is_audio_id(&house.id()));
        assert!(!is_audio_id("../../etc/passwd"));
        assert_eq!(house.path(), format!("/api/v1/audio/{}", house.id()));
    }
}
