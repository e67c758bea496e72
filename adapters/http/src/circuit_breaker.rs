//! A circuit breaker per remote service: after `threshold` consecutive unavailable calls it
//! opens and calls fail fast for `cooldown`; then one trial call goes through (half-open), and
//! its outcome closes the circuit or opens it again.
//!
//! Time is passed in (`now`), so the breaker is deterministic under a fixed clock.

use chrono::{DateTime, Utc};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Where a service's circuit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    /// Calls go through.
    Closed,
    /// Calls fail fast until the cool-down has passed.
    Open,
    /// The cool-down has passed: the next call is the trial.
    HalfOpen,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed { failures: u32 },
    Open { since: DateTime<Utc> },
    HalfOpen { trial_running: bool },
}

#[derive(Debug)]
pub struct CircuitBreaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

/// The circuit is open: the call must not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitOpen;

/// Leave to make one call. Report its outcome with [`Permit::succeeded`] or
/// [`Permit::failed`]; a trial permit dropped without a report (the call was cancelled)
/// lets the next caller run the trial instead.
#[derive(Debug)]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    trial: bool,
    reported: bool,
}

impl CircuitBreaker {
    /// Opens after `threshold` (at least 1) consecutive failures, for `cooldown`.
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    /// Where the circuit stands now.
    pub fn state(&self) -> CircuitState {
        match *self.lock() {
            State::Closed { .. } => CircuitState::Closed,
            State::Open { .. } => CircuitState::Open,
            State::HalfOpen { .. } => CircuitState::HalfOpen,
        }
    }

    /// Leave to make one call at `now`, or [`CircuitOpen`] while the circuit fails fast.
    pub fn try_acquire(&self, now: DateTime<Utc>) -> Result<Permit<'_>, CircuitOpen> {
        let mut state = self.lock();
        let trial = match *state {
            State::Closed { .. } => false,
            State::Open { since } if self.cooled_down(since, now) => {
                *state = State::HalfOpen {
                    trial_running: true,
                };
                true
            }
            State::HalfOpen {
                trial_running: false,
            } => {
                *state = State::HalfOpen {
                    trial_running: true,
                };
                true
            }
            State::Open { .. } | State::HalfOpen { .. } => return Err(CircuitOpen),
        };
        Ok(Permit {
            breaker: self,
            trial,
            reported: false,
        })
    }

    fn cooled_down(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        // A clock that went backwards counts as no time passed.
        let elapsed = (now - since).to_std().unwrap_or(Duration::ZERO);
        elapsed >= self.cooldown
    }

    /// A poisoned lock still holds a valid state: every write is a single assignment.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Permit<'_> {
    /// The service answered (whatever it answered).
    pub fn succeeded(mut self) {
        self.reported = true;
        let mut state = self.breaker.lock();
        match *state {
            _ if self.trial => *state = State::Closed { failures: 0 },
            State::Closed { .. } => *state = State::Closed { failures: 0 },
            // A call that started before the circuit opened says nothing about now.
            State::Open { .. } | State::HalfOpen { .. } => {}
        }
    }

    /// The service was unavailable, retries included.
    pub fn failed(mut self, now: DateTime<Utc>) {
        self.reported = true;
        let threshold = self.breaker.threshold;
        let mut state = self.breaker.lock();
        match *state {
            _ if self.trial => *state = State::Open { since: now },
            State::Closed { failures } if failures + 1 >= threshold => {
                *state = State::Open { since: now };
            }
            State::Closed { failures } => {
                *state = State::Closed {
                    failures: failures + 1,
                }
            }
            State::Open { .. } | State::HalfOpen { .. } => {}
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.trial && !self.reported {
            let mut state = self.breaker.lock();
            if let State::HalfOpen { .. } = *state {
                *state = State::HalfOpen {
                    trial_running: false,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).expect("valid timestamp")
    }

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new(3, Duration::from_secs(30))
    }

    fn fail(breaker: &CircuitBreaker, now: DateTime<Utc>) {
        breaker.try_acquire(now).expect("closed").failed(now);
    }

    #[test]
    fn opens_after_the_threshold_of_consecutive_failures() {
        let breaker = breaker();
        fail(&breaker, at(0));
        fail(&breaker, at(1));
        assert_eq!(breaker.state(), CircuitState::Closed);
        fail(&breaker, at(2));
        assert_eq!(breaker.state(), CircuitState::Open);
        assert_eq!(breaker.try_acquire(at(3)).err(), Some(CircuitOpen));
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = breaker();
        fail(&breaker, at(0));
        fail(&breaker, at(1));
        breaker.try_acquire(at(2)).expect("closed").succeeded();
        fail(&breaker, at(3));
        fail(&breaker, at(4));
        assert_eq!(breaker.state(), CircuitState::Closed);
    }

    #[test]
    fn after_the_cooldown_one_trial_goes_through_and_its_success_closes() {
        let breaker = breaker();
        (0..3).for_each(|s| fail(&breaker, at(s)));
        assert!(
            breaker.try_acquire(at(31)).is_err(),
            "cool-down runs from the opening"
        );

        let trial = breaker.try_acquire(at(32)).expect("trial");
        assert_eq!(breaker.state(), CircuitState::HalfOpen);
        assert!(breaker.try_acquire(at(32)).is_err(), "one trial at a time");
        trial.succeeded();

        assert_eq!(breaker.state(), CircuitState::Closed);
        assert!(breaker.try_acquire(at(33)).is_ok());
    }

    #[test]
    fn a_failed_trial_opens_the_circuit_for_another_cooldown() {
        let breaker = breaker();
        (0..3).for_each(|s| fail(&breaker, at(s)));
        breaker.try_acquire(at(40)).expect("trial").failed(at(40));

        assert_eq!(breaker.state(), CircuitState::Open);
        assert!(breaker.try_acquire(at(69)).is_err());
        assert!(breaker.try_acquire(at(70)).is_ok());
    }

    #[test]
    fn a_cancelled_trial_lets_the_next_caller_try() {
        let breaker = breaker();
        (0..3).for_each(|s| fail(&breaker, at(s)));
        drop(breaker.try_acquire(at(40)).expect("trial"));

        assert!(breaker.try_acquire(at(40)).is_ok());
    }

    #[test]
    fn late_outcomes_of_calls_started_before_opening_are_ignored() {
        let breaker = breaker();
        let late = breaker.try_acquire(at(0)).expect("closed");
        (0..3).for_each(|s| fail(&breaker, at(s)));
        late.succeeded();

        assert_eq!(breaker.state(), CircuitState::Open);
    }
}
