use crate::metrics::Metrics;
use lingo_bootstrap::Stores;
use lingo_kernel::Clock;
use lingo_kernel::jobs::{DeadLetters, JobQueue};
use lingo_users::AccessTokens;
use std::sync::Arc;
use std::time::Duration;

/// What handlers share. Built once in `main` (or by the test harness).
#[derive(Clone)]
pub struct AppState {
    pub stores: Stores,
    pub jobs: Arc<dyn JobQueue>,
    pub dead_letters: Arc<dyn DeadLetters>,
    pub tokens: Arc<dyn AccessTokens>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// Deadline of each store ping of `/ready`.
    pub ready_timeout: Duration,
}
