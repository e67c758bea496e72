//! Waiting for what the worker does in the background, without fixed sleeps.

use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long `eventually` waits before it fails the test.
pub const PATIENCE: Duration = Duration::from_secs(30);
/// How often `eventually` asks again.
const EVERY: Duration = Duration::from_millis(50);

/// Asks `probe` again and again until it answers `Some`, and answers that; fails the test,
/// naming `what`, after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(done) = probe().await {
            return done;
        }
        assert!(Instant::now() < deadline, "waited {PATIENCE:?} for: {what}");
        tokio::time::sleep(EVERY).await;
    }
}
