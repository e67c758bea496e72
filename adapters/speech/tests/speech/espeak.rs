use lingo_dictionary::speech::{AudioKey, SpeechError, SpeechSynthesizer, SpeechText, Voice};
use lingo_kernel::LanguageCode;
use lingo_speech::{EspeakSettings, EspeakSpeech};

/// The engine, or `None` (with a note on stderr) on a machine without espeak-ng or opusenc.
async fn engine() -> Option<EspeakSpeech> {
    let engine = EspeakSpeech::new(EspeakSettings::default());
    match engine.check().await {
        Ok(()) => Some(engine),
        Err(e) => {
            eprintln!(
                "SKIPPED: {e} (deploy/local/stack.sh stores installs espeak-ng and opus-tools)"
            );
            None
        }
    }
}

fn key(engine: &EspeakSpeech, language: &str, text: &str) -> AudioKey {
    let language = LanguageCode::parse(language).expect("language");
    AudioKey {
        voice: engine.default_voice(&language).expect("a voice"),
        language,
        text: SpeechText::parse(text).expect("text"),
    }
}

#[tokio::test]
async fn english_persian_and_arabic_words_are_spoken_as_ogg_opus() {
    let Some(engine) = engine().await else { return };
    for (language, text) in [("en", "house"), ("fa", "خانه"), ("ar", "بيت")] {
        let speech = engine
            .synthesize(&key(&engine, language, text))
            .await
            .expect(language);
        assert_eq!(speech.content_type, "audio/ogg");
        assert!(
            speech.bytes.starts_with(b"OggS"),
            "{language}: an Ogg stream"
        );
        assert!(
            speech.bytes.windows(8).any(|w| w == b"OpusHead"),
            "{language}: Opus in the Ogg stream"
        );
        // A word is a second or so: kilobytes, not the WAV's tens of kilobytes.
        assert!(
            (500..20_000).contains(&speech.bytes.len()),
            "{language}: {}",
            speech.bytes.len()
        );
    }
}

#[tokio::test]
async fn a_language_without_a_voice_is_unsupported() {
    let Some(engine) = engine().await else { return };
    let xx = LanguageCode::parse("sw").expect("language");
    assert_eq!(engine.default_voice(&xx), None);
    let key = AudioKey {
        language: xx,
        text: SpeechText::parse("nyumba").expect("text"),
        voice: Voice::parse("en-us").expect("voice"),
    };
    assert!(matches!(
        engine.synthesize(&key).await,
        Err(SpeechError::Unsupported(_))
    ));
}

#[tokio::test]
async fn a_missing_program_fails_at_start() {
    let settings = EspeakSettings {
        espeak: "/nonexistent/espeak-ng".into(),
        ..EspeakSettings::default()
    };
    let err = EspeakSpeech::new(settings)
        .check()
        .await
        .expect_err("fails");
    assert!(err.to_string().contains("/nonexistent/espeak-ng"), "{err}");
}
