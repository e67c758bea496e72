use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::deck::PropagateSystemDeck;
use serde::Serialize;

#[derive(Serialize)]
pub struct Propagated {
    cards_created: usize,
}

/// Gives the words of a system deck to every subscription that lacks them. Idempotent.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: PropagateSystemDeck,
) -> Result<Propagated, JobError> {
    let cards_created = deps
        .decks
        .propagate(job.deck_id)
        .await
        .map_err(|e| JobError::Retryable(e.to_string()))?;
    tracing::info!(deck = %job.deck_id, cards_created, "system deck propagated");
    Ok(Propagated { cards_created })
}
