//! The administrators' report of generation costs: usage rows of a period, priced.

use crate::ports::UsageLedger;
use chrono::{Duration, NaiveDate};
use lingo_dictionary::ports::StoreError;
use lingo_kernel::{Caller, Clock, Forbidden};
use std::sync::Arc;

/// Prices per million prompt and completion tokens.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TokenPrices {
    pub prompt_per_mtok: f64,
    pub completion_per_mtok: f64,
}

/// One day's usage of one generator and model, with its cost at the configured prices.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedUsage {
    pub day: NaiveDate,
    pub generator: String,
    pub model: String,
    pub requests: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum UsageReportError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct UsageReportService {
    ledger: Arc<dyn UsageLedger>,
    prices: TokenPrices,
    clock: Arc<dyn Clock>,
}

impl UsageReportService {
    pub fn new(ledger: Arc<dyn UsageLedger>, prices: TokenPrices, clock: Arc<dyn Clock>) -> Self {
        Self {
            ledger,
            prices,
            clock,
        }
    }

    /// Usage from `from` to `to` (both inclusive); `to` defaults to today (UTC) and `from` to 30
    /// days before `to`. Administrators only.
    pub async fn report(
        &self,
        caller: Caller,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<PricedUsage>, UsageReportError> {
        caller.require_admin()?;
        let to = to.unwrap_or_else(|| self.clock.now().date_naive());
        let from = from.unwrap_or(to - Duration::days(30));
        let prices = self.prices;
        Ok(self
            .ledger
            .between(from, to)
            .await?
            .into_iter()
            .map(|r| PricedUsage {
                cost: r.cost(prices.prompt_per_mtok, prices.completion_per_mtok),
                day: r.day,
                generator: r.generator,
                model: r.model,
                requests: r.requests,
                prompt_tokens: r.prompt_tokens,
                completion_tokens: r.completion_tokens,
            })
            .collect())
    }
}
