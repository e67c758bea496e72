//! Time bounds on MongoDB operations. The driver bounds connecting and server selection but has
//! no socket timeout: against a server that accepted the request and then hung (SIGSTOP, a frozen
//! VM) an operation waits forever, holding a request or a worker slot. Every operation is run
//! under a deadline instead; dropping the operation drops its connection, so the pool recovers
//! by itself when the server answers again.

use lingo_dictionary::ports::StoreError;
use std::future::Future;
use std::time::Duration;

/// How long operations may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    /// One read or single-document write.
    pub operation: Duration,
    /// One chunk of a bulk write.
    pub bulk: Duration,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            operation: Duration::from_secs(5),
            bulk: Duration::from_secs(30),
        }
    }
}

/// Runs `operation`, failing as unavailable when it takes longer than `limit`.
pub(crate) async fn within<T>(
    limit: Duration,
    what: &str,
    operation: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout(limit, operation)
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "mongodb: {what} took longer than {limit:?}"
            )))
        })
}
