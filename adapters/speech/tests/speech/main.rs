//! The speech adapters: espeak-ng + opusenc on this machine (skipped, saying so, where they are
//! not installed: `deploy/local/stack.sh stores` installs them), and the OpenAI-compatible
//! adapter against a local server replaying the documented answers of `/v1/audio/speech`.

mod espeak;
mod openai;
