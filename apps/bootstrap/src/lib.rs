//! What every Lingo process shares: typed configuration, telemetry, the wiring of adapters, and
//! shutdown signals. Binaries stay thin: read config, call `telemetry::init`, build `Stores`.

pub mod config;
pub mod content;
pub mod dictionary;
pub mod quiz;
pub mod readiness;
pub mod shutdown;
pub mod stores;
pub mod telemetry;

pub use config::{Config, ConfigError, Environment};
pub use stores::Stores;
