//! The worker: consumes the job queue with bounded concurrency, runs each job's registered
//! handler, records the outcome, and relays the PostgreSQL outbox to the queue.

pub mod jobs;
pub mod registry;
pub mod relay;
pub mod runner;

pub use registry::Registry;
pub use runner::{Worker, WorkerSettings};
