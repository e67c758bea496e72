//! The dictionary use cases against in-memory ports (the adapters have their own tests against
//! the real stores).
#![allow(clippy::unwrap_used)] // test fakes: a poisoned mutex is a failed test

mod fakes;
mod lemma_list;
mod lookup;
mod reconcile;
mod text_analysis;
