//! What every Lingo process shares: typed configuration, telemetry, the store connections, the
//! composition root that wires every adapter into the use cases, and shutdown signals. Binaries
//! stay thin: read config, call `telemetry::init`, connect `Stores`, build `Services`.

pub mod config;
pub mod readiness;
pub mod services;
pub mod shutdown;
pub mod stores;
pub mod telemetry;

pub use config::{Config, ConfigError, Environment};
pub use services::{JobDeps, Overrides, RouteClass, RouteThrottles, Services};
pub use stores::Stores;
