use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::deck::{PropagateSystemDeck, Propagated};

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
    let content_prepared_for = lingo_learning::prepare_content::prepare_system_deck(
        deps.decks.as_ref(),
        &deps.prepare_requests,
        job.deck_id,
    )
    .await
    .map_err(|e| JobError::Retryable(e.to_string()))?;
    tracing::info!(deck = %job.deck_id, cards_created, content_prepared_for, "system deck propagated");
    Ok(Propagated {
        cards_created,
        content_prepared_for,
    })
}
