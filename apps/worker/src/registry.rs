//! Job types registered once with their handlers and limits. The worker looks a delivered job's
//! type up here; an unknown type waits for a worker that knows it (a rolling deploy).

use lingo_kernel::jobs::{Job, JobContext, JobError};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

type BoxFuture = Pin<Box<dyn Future<Output = Result<Value, JobError>> + Send>>;

/// A handler with its payload type erased: JSON in, JSON out.
pub type ErasedHandler = Arc<dyn Fn(JobContext, Value) -> BoxFuture + Send + Sync>;

/// A registered job type: its handler and the limits its `Job` impl declares.
#[derive(Clone)]
pub struct Registered {
    pub handler: ErasedHandler,
    /// How long one attempt may run.
    pub deadline: Duration,
    /// Retry budget in time; `None` takes the worker's.
    pub retry_window: Option<Duration>,
}

#[derive(Default, Clone)]
pub struct Registry {
    handlers: HashMap<&'static str, Registered>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the handler of job type `J`. A payload that does not deserialise into `J` fails
    /// the job permanently (retrying cannot fix it).
    pub fn register<J, F, Fut, R>(&mut self, handler: F) -> &mut Self
    where
        J: Job,
        F: Fn(JobContext, J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, JobError>> + Send + 'static,
        R: Serialize,
    {
        let handler = Arc::new(handler);
        let erased: ErasedHandler = Arc::new(move |context, payload| {
            let handler = Arc::clone(&handler);
            Box::pin(async move {
                let job: J = serde_json::from_value(payload).map_err(|e| {
                    JobError::Permanent(format!("invalid payload for '{}': {e}", J::NAME))
                })?;
                let result = handler(context, job).await?;
                serde_json::to_value(result)
                    .map_err(|e| JobError::Permanent(format!("unserialisable result: {e}")))
            })
        });
        self.handlers.insert(
            J::NAME,
            Registered {
                handler: erased,
                deadline: J::DEADLINE,
                retry_window: J::RETRY_WINDOW,
            },
        );
        self
    }

    pub fn get(&self, kind: &str) -> Option<ErasedHandler> {
        self.handlers.get(kind).map(|r| r.handler.clone())
    }

    /// The handler with its limits.
    pub fn lookup(&self, kind: &str) -> Option<&Registered> {
        self.handlers.get(kind)
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use lingo_kernel::jobs::{JobId, JobProgress, ProgressSink};
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Add {
        a: i64,
        b: i64,
    }

    impl Job for Add {
        const NAME: &'static str = "test.add";
    }

    struct NoProgress;

    #[async_trait]
    impl ProgressSink for NoProgress {
        async fn report(&self, _: JobId, _: &JobProgress) {}
    }

    fn context() -> JobContext {
        JobContext::new(JobId::new(), 1, 3, Arc::new(NoProgress))
    }

    fn registry() -> Registry {
        let mut registry = Registry::new();
        registry.register(|_, job: Add| async move { Ok::<_, JobError>(job.a + job.b) });
        registry
    }

    #[tokio::test]
    async fn a_registered_handler_gets_its_typed_payload() {
        let handler = registry().get("test.add").expect("registered");
        let result = handler(context(), serde_json::json!({"a": 2, "b": 3})).await;
        assert_eq!(result, Ok(serde_json::json!(5)));
    }

    #[tokio::test]
    async fn a_payload_of_the_wrong_shape_fails_permanently() {
        let handler = registry().get("test.add").expect("registered");
        let result = handler(context(), serde_json::json!({"a": "two"})).await;
        assert!(matches!(result, Err(JobError::Permanent(m)) if m.contains("test.add")));
    }

    #[test]
    fn unknown_types_are_not_found() {
        assert!(registry().get("test.subtract").is_none());
    }
}
