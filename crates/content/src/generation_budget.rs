//! The global daily money budget of model generations, beside the per-learner quota: before
//! each paid call an estimated cost is reserved atomically against the UTC day's budget, shared
//! by every replica; once the call reports its token usage the reservation is corrected to the
//! cost at the configured prices. Past the budget no model is called: the offline extractive
//! generator writes the content instead, so learners are still served.

use crate::ports::{ContentGenerator, TokenUsage};
use async_trait::async_trait;
use chrono::NaiveDate;
use lingo_dictionary::ports::StoreError;
use std::sync::Arc;

/// Millionths of a US dollar: exact sums, no floats in the store.
pub type MicroUsd = i64;

pub fn micro_usd(usd: f64) -> MicroUsd {
    (usd * 1_000_000.0).round() as MicroUsd
}

/// The money spent per UTC day, shared by every replica.
#[async_trait]
pub trait SpendLedger: Send + Sync {
    /// Atomically adds `amount` to `day`'s spend when the total stays within `limit`; false (and
    /// nothing added) otherwise.
    async fn reserve(
        &self,
        day: NaiveDate,
        amount: MicroUsd,
        limit: MicroUsd,
    ) -> Result<bool, StoreError>;
    /// Adds `delta` (negative when the estimate was too high) to `day`'s spend.
    async fn adjust(&self, day: NaiveDate, delta: MicroUsd) -> Result<(), StoreError>;
}

pub struct GenerationBudget {
    pub ledger: Arc<dyn SpendLedger>,
    /// The day's budget; zero or less disables the budget.
    pub daily_limit: MicroUsd,
    /// What one call is assumed to cost until its usage is known (and when it is never reported).
    pub estimate: MicroUsd,
    /// US dollars per million prompt and completion tokens; zero prices mean "use the estimate".
    pub prompt_per_mtok: f64,
    pub completion_per_mtok: f64,
    /// Who writes the content when the budget is spent (the extractive generator).
    pub fallback: Arc<dyn ContentGenerator>,
}

impl GenerationBudget {
    /// What a call with this usage cost: at the prices when they are set and the provider
    /// reported usage, the estimate otherwise.
    pub fn cost(&self, usage: TokenUsage) -> MicroUsd {
        let priced = self.prompt_per_mtok > 0.0 || self.completion_per_mtok > 0.0;
        let reported = usage.prompt_tokens > 0 || usage.completion_tokens > 0;
        if !(priced && reported) {
            return self.estimate;
        }
        micro_usd(
            (usage.prompt_tokens as f64 * self.prompt_per_mtok
                + usage.completion_tokens as f64 * self.completion_per_mtok)
                / 1_000_000.0,
        )
    }

    /// Reserves one call's estimate on `day`; false when the budget would be passed.
    pub async fn reserve(&self, day: NaiveDate) -> Result<bool, StoreError> {
        if self.daily_limit <= 0 {
            return Ok(true);
        }
        if self.estimate > self.daily_limit {
            return Ok(false);
        }
        self.ledger
            .reserve(day, self.estimate, self.daily_limit)
            .await
    }

    /// Corrects `day`'s reservation to what the call cost. Already paid: a failure is logged.
    pub async fn settle(&self, day: NaiveDate, usage: TokenUsage) {
        if self.daily_limit <= 0 {
            return;
        }
        let delta = self.cost(usage) - self.estimate;
        if delta != 0
            && let Err(e) = self.ledger.adjust(day, delta).await
        {
            tracing::error!(error = %e, delta, "content spend not corrected");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractive::ExtractiveGenerator;

    struct NoLedger;

    #[async_trait]
    impl SpendLedger for NoLedger {
        async fn reserve(
            &self,
            _: NaiveDate,
            _: MicroUsd,
            _: MicroUsd,
        ) -> Result<bool, StoreError> {
            Ok(true)
        }
        async fn adjust(&self, _: NaiveDate, _: MicroUsd) -> Result<(), StoreError> {
            Ok(())
        }
    }

    fn budget(prompt: f64, completion: f64) -> GenerationBudget {
        GenerationBudget {
            ledger: Arc::new(NoLedger),
            daily_limit: micro_usd(1.0),
            estimate: micro_usd(0.002),
            prompt_per_mtok: prompt,
            completion_per_mtok: completion,
            fallback: Arc::new(ExtractiveGenerator::default()),
        }
    }

    #[test]
    fn a_call_costs_its_tokens_at_the_prices_or_the_estimate_without_them() {
        let usage = TokenUsage {
            prompt_tokens: 1_000,
            completion_tokens: 500,
        };
        // $0.15 and $0.60 per million tokens: 150 + 300 millionths.
        assert_eq!(budget(0.15, 0.60).cost(usage), 450);
        assert_eq!(budget(0.0, 0.0).cost(usage), 2_000, "no prices");
        assert_eq!(
            budget(0.15, 0.60).cost(TokenUsage::default()),
            2_000,
            "no usage reported"
        );
    }
}
