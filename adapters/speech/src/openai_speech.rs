//! An OpenAI-compatible speech server: `POST {base}/audio/speech` with
//! `{"model", "input", "voice", "response_format"}` answers the audio bytes (OpenAI's API
//! reference, "Create speech"). The base URL includes `/v1`, as for the chat generator.
//!
//! 429 and 5xx are retried by `lingo-http` (backoff, `Retry-After`) and then reported as
//! unavailable (the job retries later); 401/403/404 and other 4xx are rejections (a wrong key,
//! model or voice will not fix itself); a 2xx whose body is not the asked-for format is rejected
//! rather than stored.

use crate::SpeechConfigError;
use async_trait::async_trait;
use lingo_dictionary::speech::{AudioKey, Speech, SpeechError, SpeechSynthesizer, Voice};
use lingo_http::{ErrorKind, HttpClient, HttpSettings, Url, endpoint, parse_base_url};
use lingo_kernel::{LanguageCode, SystemClock};
use std::sync::Arc;
use std::time::Duration;

const MAX_AUDIO_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct OpenAiSpeechSettings {
    pub base_url: String,
    pub model: String,
    /// One voice for every language (OpenAI's voices are multilingual).
    pub voice: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

pub struct OpenAiSpeech {
    http: HttpClient,
    url: Url,
    model: String,
    voice: Voice,
    api_key: Option<String>,
}

impl OpenAiSpeech {
    pub fn new(settings: OpenAiSpeechSettings) -> Result<Self, SpeechConfigError> {
        let base = parse_base_url(&settings.base_url).ok_or_else(|| {
            SpeechConfigError(
                "the speech base URL must be an http(s) URL such as https://api.openai.com/v1"
                    .into(),
            )
        })?;
        let voice = Voice::parse(&settings.voice)
            .map_err(|e| SpeechConfigError(format!("speech voice: {e}")))?;
        if settings.model.trim().is_empty() {
            return Err(SpeechConfigError("the speech model is empty".into()));
        }
        let http_settings = HttpSettings {
            timeout: settings.timeout,
            connect_timeout: settings.timeout,
            max_body_bytes: MAX_AUDIO_BYTES,
            max_redirects: 0,
            ..HttpSettings::default()
        };
        let http = HttpClient::new(http_settings, Arc::new(SystemClock))
            .map_err(|e| SpeechConfigError(format!("the HTTP client could not be built: {e}")))?;
        Ok(Self {
            http,
            url: endpoint(&base, &["audio", "speech"]),
            model: settings.model,
            voice,
            api_key: settings.api_key.filter(|k| !k.trim().is_empty()),
        })
    }
}

/// MP3 starts with an ID3 tag or an MPEG frame sync.
fn is_mp3(bytes: &[u8]) -> bool {
    bytes.starts_with(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0)
}

#[async_trait]
impl SpeechSynthesizer for OpenAiSpeech {
    fn engine(&self) -> String {
        format!("openai-compatible:{}", self.model)
    }

    fn default_voice(&self, _language: &LanguageCode) -> Option<Voice> {
        Some(self.voice.clone())
    }

    #[tracing::instrument(skip(self), fields(audio = %key.id()))]
    async fn synthesize(&self, key: &AudioKey) -> Result<Speech, SpeechError> {
        let body = serde_json::json!({
            "model": self.model,
            "input": key.text.as_str(),
            "voice": key.voice.as_str(),
            "response_format": "mp3",
        });
        let mut request = self.http.post(self.url.clone()).json(&body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let answer = match self.http.send(request).await {
            Ok(answer) => answer,
            Err(e) => {
                return Err(match e.kind() {
                    ErrorKind::BodyTooLarge { .. } => SpeechError::Rejected(format!(
                        "the speech server answered more than {MAX_AUDIO_BYTES} bytes"
                    )),
                    _ => SpeechError::Unavailable(format!("{}{}", e.report(), e.gave_up())),
                });
            }
        };
        let status = answer.status.as_u16();
        if !answer.status.is_success() {
            let detail: String = String::from_utf8_lossy(&answer.body)
                .chars()
                .take(200)
                .collect();
            let reason = match status {
                401 | 403 => format!("the speech server refused the credentials (HTTP {status})"),
                404 => "no such model or endpoint (HTTP 404): check the base URL and model".into(),
                _ => format!("HTTP {status}: {detail}"),
            };
            return Err(SpeechError::Rejected(reason));
        }
        if !is_mp3(&answer.body) {
            return Err(SpeechError::Rejected(
                "the speech server answered something that is not MP3".into(),
            ));
        }
        Ok(Speech {
            bytes: answer.body,
            content_type: "audio/mpeg".into(),
        })
    }
}
