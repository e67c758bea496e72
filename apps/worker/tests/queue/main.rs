//! The job queue against a real Redis (and PostgreSQL for the outbox): each test has its own
//! key prefix and database.

mod crash;
mod delivery;
mod failures;
mod ledger;
mod support;
