//! Per-learner FSRS parameters: fit the model to the learner's review log and adopt the result
//! only when it predicts that history better (lower log loss) than the parameters in use.
//! Every adopted set is a new version; versions are never changed or deleted.
//!
//! The fit is CPU-heavy (seconds for a large log) and synchronous: `run` blocks while it fits,
//! so async callers run it on a blocking thread (the worker's `learning.optimise` handler does).

use crate::ports::{HistoryReview, LearningStoreError, ParameterStore, ReviewHistory};
use crate::scheduler::DEFAULT_PARAMETERS;
use chrono::{DateTime, NaiveDate, Utc};
use fsrs::{ComputeParametersInput, FSRS, FSRSError, FSRSItem, FSRSReview};
use lingo_kernel::UserId;
use lingo_kernel::jobs::{Job, JobId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Below this many reviews a fit is mostly noise; the defaults stay.
pub const MIN_REVIEWS: usize = 400;

/// Optimises one learner's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimiseFsrs {
    pub user_id: UserId,
}

impl Job for OptimiseFsrs {
    const NAME: &'static str = "learning.optimise";
    const MAX_ATTEMPTS: u32 = 3;
}

/// Nightly fan-out: one `learning.optimise` per learner who reviewed in the last day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptimiseAllFsrs {}

impl Job for OptimiseAllFsrs {
    const NAME: &'static str = "learning.optimise_all";
}

/// What `learning.optimise_all` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptimisationsEnqueued {
    /// Learners who reviewed in the last day.
    pub learners: usize,
    /// Optimisations enqueued now (a rerun on the same day enqueues none).
    pub enqueued: usize,
}

const JOB_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c69_6e67_6f2d_6673_7273_2d6f_7074_0000);

/// The id of the optimisation of `user` on `day`: enqueueing it twice the same day is a no-op.
/// The job a learner's own request starts: owned by them, one per local day (asking again the
/// same day names the same job).
pub fn requested_job(
    user: UserId,
    today: NaiveDate,
) -> Result<lingo_kernel::jobs::NewJob, serde_json::Error> {
    Ok(
        lingo_kernel::jobs::NewJob::of(&OptimiseFsrs { user_id: user })?
            .with_id(optimise_job_id(user, today))
            .owned_by(user),
    )
}

pub fn optimise_job_id(user: UserId, day: NaiveDate) -> JobId {
    let name = format!("{}@{day}", user.as_uuid());
    JobId::from_uuid(uuid::Uuid::new_v5(&JOB_ID_NAMESPACE, name.as_bytes()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OptimiseOutcome {
    NotEnoughReviews {
        reviews: usize,
    },
    /// The parameters in use (`version`, 0 = defaults) fit at least as well; nothing saved.
    Kept {
        version: i32,
        old_loss: f64,
        new_loss: f64,
    },
    /// New parameters saved as `version`.
    Adopted {
        version: i32,
        old_loss: f64,
        new_loss: f64,
    },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimiseError {
    #[error(transparent)]
    Store(#[from] LearningStoreError),
    /// The optimiser rejected the data or the stored parameters; retrying will not help.
    #[error("FSRS optimiser: {0}")]
    Model(String),
}

impl From<FSRSError> for OptimiseError {
    fn from(e: FSRSError) -> Self {
        Self::Model(format!("{e:?}"))
    }
}

/// New parameters and the log loss of the old and new ones on the same history.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub parameters: Vec<f64>,
    pub old_loss: f64,
    pub new_loss: f64,
}

pub struct OptimiseService {
    params: Arc<dyn ParameterStore>,
    history: Arc<dyn ReviewHistory>,
}

impl OptimiseService {
    pub fn new(params: Arc<dyn ParameterStore>, history: Arc<dyn ReviewHistory>) -> Self {
        Self { params, history }
    }

    /// Idempotent: the fit is deterministic, so a rerun on the same history finds no lower loss
    /// and keeps the version it adopted; the store also refuses a duplicate of its latest set.
    pub async fn run(&self, user: UserId) -> Result<OptimiseOutcome, OptimiseError> {
        let histories = self.history.card_histories(user).await?;
        let reviews: usize = histories.iter().map(Vec::len).sum();
        if reviews < MIN_REVIEWS {
            return Ok(OptimiseOutcome::NotEnoughReviews { reviews });
        }
        let current = self.params.current(user).await?;
        let (version, parameters) = match current {
            Some(set) => (set.version, set.parameters),
            None => (0, DEFAULT_PARAMETERS.to_vec()),
        };
        let Some(fitted) = fit(&parameters, &histories)? else {
            return Ok(OptimiseOutcome::NotEnoughReviews { reviews });
        };
        let Fitted {
            parameters,
            old_loss,
            new_loss,
        } = fitted;
        if new_loss >= old_loss {
            return Ok(OptimiseOutcome::Kept {
                version,
                old_loss,
                new_loss,
            });
        }
        let reviews_i32 = i32::try_from(reviews).unwrap_or(i32::MAX);
        let version = self
            .params
            .save(user, &parameters, Some(new_loss), reviews_i32)
            .await?;
        Ok(OptimiseOutcome::Adopted {
            version,
            old_loss,
            new_loss,
        })
    }
}

/// Fits new parameters to `histories` and scores them against `current` on the same items.
/// `None` when the optimiser finds too little data.
pub fn fit(
    current: &[f64],
    histories: &[Vec<HistoryReview>],
) -> Result<Option<Fitted>, OptimiseError> {
    let (train_set, card_ids) = items_with_cards(histories);
    if train_set.is_empty() {
        return Ok(None);
    }
    let fitted = match compute(train_set.clone(), Some(card_ids)) {
        Ok(parameters) => parameters,
        Err(FSRSError::NotEnoughData) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let old_loss = log_loss(current, &train_set)?;
    let new_loss = log_loss(&fitted, &train_set)?;
    Ok(Some(Fitted {
        parameters: fitted,
        old_loss,
        new_loss,
    }))
}

/// `fsrs::compute_parameters` with Lingo's settings (short-term on, one relearning step).
pub fn compute(items: Vec<FSRSItem>, card_ids: Option<Vec<i64>>) -> Result<Vec<f64>, FSRSError> {
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set: items,
        card_ids,
        ..ComputeParametersInput::default()
    })?;
    Ok(parameters.into_iter().map(f64::from).collect())
}

fn log_loss(parameters: &[f64], items: &[FSRSItem]) -> Result<f64, OptimiseError> {
    let parameters: Vec<f32> = parameters.iter().map(|&p| p as f32).collect();
    let model = FSRS::new(&parameters)?;
    Ok(f64::from(
        model.evaluate(items.to_vec(), |_| true)?.log_loss,
    ))
}

/// One item per review after a card's first: that card's reviews up to and including it, with
/// whole elapsed days. Like Anki, only reviews a day or more after the previous one are
/// predicted (a same-day review has a predicted recall of 1, an infinite loss when forgotten);
/// same-day reviews still shape the later items through their history. Ordered by the time of
/// the item's last review, because the optimiser weights later items more.
pub fn items(histories: &[Vec<HistoryReview>]) -> Vec<FSRSItem> {
    items_with_cards(histories).0
}

/// The items and, aligned with them, the index of the card each belongs to (the optimiser's
/// `card_ids`, which let it share work between a card's items).
pub fn items_with_cards(histories: &[Vec<HistoryReview>]) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut keyed: Vec<(DateTime<Utc>, i64, FSRSItem)> = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let mut reviews = Vec::with_capacity(history.len());
        let mut previous: Option<DateTime<Utc>> = None;
        for review in history {
            let delta_t = previous.map_or(0, |p| whole_days(p, review.reviewed_at));
            previous = Some(review.reviewed_at);
            reviews.push(FSRSReview {
                rating: u32::from(review.rating),
                delta_t,
            });
            if reviews.len() > 1 && delta_t > 0 {
                let item = FSRSItem {
                    reviews: reviews.clone(),
                };
                keyed.push((review.reviewed_at, card as i64, item));
            }
        }
    }
    keyed.sort_by_key(|(at, card, _)| (*at, *card));
    keyed
        .into_iter()
        .map(|(_, card, item)| (item, card))
        .unzip()
}

/// floor((to − from) / 24 h), 0 when `to` is not after `from`.
fn whole_days(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    let days = (to - from).num_seconds().div_euclid(86_400);
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0)
            .single()
            .expect("valid time")
    }

    fn review(time: DateTime<Utc>, rating: u8) -> HistoryReview {
        HistoryReview {
            reviewed_at: time,
            rating,
        }
    }

    fn shape(item: &FSRSItem) -> Vec<(u32, u32)> {
        item.reviews.iter().map(|r| (r.rating, r.delta_t)).collect()
    }

    #[test]
    fn one_item_per_review_after_the_first_with_its_prefix() {
        let card = vec![
            review(at(1, 8, 0), 3),
            review(at(2, 9, 0), 1),
            review(at(4, 9, 10), 3),
            review(at(9, 7, 0), 4),
        ];
        let items = items(&[card]);
        assert_eq!(items.len(), 3);
        assert_eq!(shape(&items[0]), [(3, 0), (1, 1)]);
        assert_eq!(shape(&items[1]), [(3, 0), (1, 1), (3, 2)]);
        assert_eq!(shape(&items[2]), [(3, 0), (1, 1), (3, 2), (4, 4)]);
    }

    #[test]
    fn same_day_reviews_are_history_not_items() {
        let card = vec![
            review(at(1, 8, 0), 1),
            review(at(1, 8, 10), 3),
            review(at(2, 9, 0), 3),
            review(at(2, 9, 10), 3),
        ];
        let items = items(&[card]);
        assert_eq!(items.len(), 1);
        assert_eq!(shape(&items[0]), [(1, 0), (3, 0), (3, 1)]);
    }

    #[test]
    fn elapsed_days_are_floored_on_utc_instants_not_calendar_days() {
        let card = vec![
            review(at(1, 23, 0), 3),
            review(at(2, 1, 0), 3),  // next calendar day, 2 h later
            review(at(3, 0, 59), 3), // 23 h 59 min later
            review(at(4, 1, 0), 3),  // 24 h 01 min later
            review(at(6, 0, 59), 3), // 47 h 59 min later
        ];
        let items = items(&[card]);
        assert_eq!(items.len(), 2);
        let deltas: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, [0, 0, 0, 1, 1]);
    }

    #[test]
    fn single_reviews_and_empty_histories_give_no_items() {
        assert!(items(&[vec![], vec![review(at(1, 8, 0), 3)]]).is_empty());
    }

    #[test]
    fn items_are_ordered_by_their_last_review_across_cards() {
        let a = vec![review(at(1, 8, 0), 3), review(at(5, 8, 0), 3)];
        let b = vec![review(at(2, 8, 0), 2), review(at(3, 8, 0), 3)];
        let (items, cards) = items_with_cards(&[a, b]);
        assert_eq!(cards, [1, 0]);
        assert_eq!(shape(&items[0]), [(2, 0), (3, 1)]);
        assert_eq!(shape(&items[1]), [(3, 0), (3, 4)]);
    }

    #[test]
    fn job_ids_are_stable_per_learner_and_day() {
        let user = UserId::new();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let next = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        assert_eq!(optimise_job_id(user, day), optimise_job_id(user, day));
        assert_ne!(optimise_job_id(user, day), optimise_job_id(user, next));
        assert_ne!(
            optimise_job_id(user, day),
            optimise_job_id(UserId::new(), day)
        );
    }

    #[test]
    fn no_items_means_not_enough_data() {
        let single = vec![review(at(1, 8, 0), 3)];
        assert_eq!(fit(&DEFAULT_PARAMETERS, &[single]), Ok(None));
    }
}
