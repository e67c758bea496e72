//! The administrators' report of generation costs: usage rows of a period, priced.

use crate::ports::{UsageLedger, UsageRow};
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
    pub usage: UsageRow,
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
            .map(|usage| PricedUsage {
                cost: usage.cost(prices.prompt_per_mtok, prices.completion_per_mtok),
                usage,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::TokenUsage;
    use async_trait::async_trait;
    use lingo_kernel::{FixedClock, UserId};
    use std::sync::Mutex;

    #[derive(Default)]
    struct Ledger {
        asked: Mutex<Vec<(NaiveDate, NaiveDate)>>,
    }

    #[async_trait]
    impl UsageLedger for Ledger {
        async fn record(
            &self,
            _: NaiveDate,
            _: &str,
            _: &str,
            _: TokenUsage,
        ) -> Result<(), StoreError> {
            Ok(())
        }

        async fn between(
            &self,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Vec<UsageRow>, StoreError> {
            self.asked.lock().expect("lock").push((from, to));
            Ok(vec![UsageRow {
                day: to,
                generator: "llm".into(),
                model: "m".into(),
                requests: 3,
                prompt_tokens: 2_000_000,
                completion_tokens: 1_000_000,
            }])
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn service(ledger: Arc<Ledger>) -> UsageReportService {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("valid");
        UsageReportService::new(
            ledger,
            TokenPrices {
                prompt_per_mtok: 0.5,
                completion_per_mtok: 2.0,
            },
            Arc::new(FixedClock::at(now.to_utc())),
        )
    }

    #[tokio::test]
    async fn the_last_thirty_days_are_priced_by_default() {
        let ledger = Arc::new(Ledger::default());
        let rows = service(ledger.clone())
            .report(Caller::admin(UserId::new()), None, None)
            .await
            .expect("a report");
        assert_eq!(
            *ledger.asked.lock().expect("lock"),
            vec![(day("2026-11-01"), day("2026-12-01"))]
        );
        assert_eq!(rows.len(), 1);
        assert!((rows[0].cost - 3.0).abs() < 1e-9, "2 M × 0.5 + 1 M × 2.0");
    }

    #[tokio::test]
    async fn learners_get_no_cost_report() {
        let ledger = Arc::new(Ledger::default());
        let refused = service(ledger.clone())
            .report(
                Caller::learner(UserId::new()),
                None,
                Some(day("2026-11-05")),
            )
            .await;
        assert!(matches!(refused, Err(UsageReportError::Forbidden(_))));
        assert!(
            ledger.asked.lock().expect("lock").is_empty(),
            "the ledger is not read"
        );
    }
}
