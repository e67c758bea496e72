//! The generator against a local server that replays the chat-completion bodies OpenAI
//! documents, plus the failures a network and a busy server add (rate limits, outages,
//! silence, refused keys, unsupported options) and what the retries make of them.

mod answers;
mod documented_bodies;
mod fast_settings;
mod request_shape;
mod retries;
