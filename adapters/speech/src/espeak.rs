//! espeak-ng renders WAV on its standard output; opusenc turns it into Opus in an Ogg container
//! (`audio/ogg`), about a tenth of the WAV's size for a word. The text goes to espeak-ng on its
//! standard input, never on the command line (the domain refuses texts that start with `-`
//! anyway), each run is bounded in time and in output size, and a failed run names its program
//! and the first line of its error.

use crate::SpeechConfigError;
use async_trait::async_trait;
use lingo_dictionary::speech::{AudioKey, Speech, SpeechError, SpeechSynthesizer, Voice};
use lingo_kernel::LanguageCode;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

/// No word's audio comes near this; more means something is wrong.
const MAX_AUDIO_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct EspeakSettings {
    pub espeak: String,
    pub opusenc: String,
    /// Bounds each run of a program.
    pub timeout: Duration,
    /// Words per minute.
    pub speed: u32,
    /// Opus bitrate in kbit/s (speech is clear at 24).
    pub bitrate_kbps: u32,
}

impl Default for EspeakSettings {
    fn default() -> Self {
        Self {
            espeak: "espeak-ng".into(),
            opusenc: "opusenc".into(),
            timeout: Duration::from_secs(10),
            speed: 150,
            bitrate_kbps: 24,
        }
    }
}

pub struct EspeakSpeech {
    settings: EspeakSettings,
}

/// The voices of espeak-ng we offer per language (Debian's espeak-ng-data has them all).
pub fn espeak_voice(language: &str) -> Option<&'static str> {
    voice_of(language)
}

fn voice_of(language: &str) -> Option<&'static str> {
    match language {
        "en" => Some("en-us"),
        "fa" => Some("fa"),
        "ar" => Some("ar"),
        "de" => Some("de"),
        "fr" => Some("fr"),
        "es" => Some("es"),
        _ => None,
    }
}

impl EspeakSpeech {
    pub fn new(settings: EspeakSettings) -> Self {
        Self { settings }
    }

    /// Checks that both programs run (the worker logs it at start; tests skip without them).
    pub async fn check(&self) -> Result<(), SpeechConfigError> {
        let settings = &self.settings;
        for (program, arg) in [
            (&settings.espeak, "--version"),
            (&settings.opusenc, "--version"),
        ] {
            let status = Command::new(program)
                .arg(arg)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .await
                .map_err(|e| SpeechConfigError(format!("{program} cannot run: {e}")))?;
            if !status.success() {
                return Err(SpeechConfigError(format!(
                    "{program} {arg} failed: {status}"
                )));
            }
        }
        Ok(())
    }

    async fn run(
        &self,
        program: &str,
        args: &[String],
        input: &[u8],
    ) -> Result<Vec<u8>, SpeechError> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| SpeechError::Unavailable(format!("{program} cannot run: {e}")))?;
        let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(SpeechError::Unavailable(format!("{program}: no pipes")));
        };
        let input = input.to_vec();
        let work = async move {
            let write = async move {
                let written = stdin.write_all(&input).await;
                drop(stdin);
                written
            };
            let mut out = Vec::new();
            let mut limited = stdout.take(MAX_AUDIO_BYTES as u64 + 1);
            let read = limited.read_to_end(&mut out);
            let mut err = Vec::new();
            let read_err = stderr.read_to_end(&mut err);
            let (written, read, _) = tokio::join!(write, read, read_err);
            written.and(read).map(|_| (out, err))
        };
        let (out, err) = tokio::time::timeout(self.settings.timeout, work)
            .await
            .map_err(|_| {
                SpeechError::Unavailable(format!(
                    "{program} took longer than {:?}",
                    self.settings.timeout
                ))
            })?
            .map_err(|e| SpeechError::Unavailable(format!("{program}: {e}")))?;
        let status = child
            .wait()
            .await
            .map_err(|e| SpeechError::Unavailable(format!("{program}: {e}")))?;
        if !status.success() {
            let first = String::from_utf8_lossy(&err)
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect::<String>();
            return Err(SpeechError::Rejected(format!(
                "{program} failed ({status}): {first}"
            )));
        }
        if out.len() > MAX_AUDIO_BYTES {
            return Err(SpeechError::Rejected(format!(
                "{program} produced more than {MAX_AUDIO_BYTES} bytes"
            )));
        }
        Ok(out)
    }
}

#[async_trait]
impl SpeechSynthesizer for EspeakSpeech {
    fn engine(&self) -> String {
        "espeak-ng+opusenc".into()
    }

    fn default_voice(&self, language: &LanguageCode) -> Option<Voice> {
        voice_of(language.primary()).and_then(|v| Voice::parse(v).ok())
    }

    #[tracing::instrument(skip(self), fields(audio = %key.id()))]
    async fn synthesize(&self, key: &AudioKey) -> Result<Speech, SpeechError> {
        let voice = key.voice.as_str();
        let known = voice_of(key.language.primary())
            .is_some_and(|v| v == voice || voice.starts_with(key.language.primary()));
        if !known {
            return Err(SpeechError::Unsupported(format!(
                "{} with voice {voice}",
                key.language
            )));
        }
        let espeak_args = vec![
            "-v".to_owned(),
            voice.to_owned(),
            "-s".to_owned(),
            self.settings.speed.to_string(),
            "--stdout".to_owned(),
            // Read the text from standard input.
            "--stdin".to_owned(),
        ];
        let wav = self
            .run(
                &self.settings.espeak,
                &espeak_args,
                key.text.as_str().as_bytes(),
            )
            .await?;
        if !wav.starts_with(b"RIFF") {
            return Err(SpeechError::Rejected("espeak-ng produced no WAV".into()));
        }
        let opus_args = vec![
            "--quiet".to_owned(),
            "--bitrate".to_owned(),
            self.settings.bitrate_kbps.to_string(),
            "-".to_owned(),
            "-".to_owned(),
        ];
        let ogg = self.run(&self.settings.opusenc, &opus_args, &wav).await?;
        if !ogg.starts_with(b"OggS") {
            return Err(SpeechError::Rejected(
                "opusenc produced no Ogg stream".into(),
            ));
        }
        Ok(Speech {
            bytes: ogg,
            content_type: "audio/ogg".into(),
        })
    }
}
