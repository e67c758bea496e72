//! Learning and relearning steps (FSRS.md § 3).

use crate::Rating;
use chrono::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Stay in (re)learning at `step`, due after `wait`.
    Step {
        step: u32,
        wait: Duration,
    },
    Graduate,
}

fn duration(d: std::time::Duration) -> Duration {
    Duration::from_std(d).unwrap_or(Duration::zero())
}

/// Where `rating` at `step` leads, given the step list.
pub fn next(steps: &[std::time::Duration], step: u32, rating: Rating) -> StepOutcome {
    let index = step as usize;
    // No steps at all, or a step past the end (the list was shortened since).
    if steps.is_empty() || (index >= steps.len() && rating != Rating::Again) {
        return StepOutcome::Graduate;
    }
    match rating {
        Rating::Again => StepOutcome::Step {
            step: 0,
            wait: duration(steps[0]),
        },
        Rating::Hard => {
            let wait = match (index, steps.len()) {
                (0, 1) => duration(steps[0]) * 3 / 2,
                (0, _) => (duration(steps[0]) + duration(steps[1])) / 2,
                _ => duration(steps[index]),
            };
            StepOutcome::Step { step, wait }
        }
        Rating::Good if index + 1 >= steps.len() => StepOutcome::Graduate,
        Rating::Good => StepOutcome::Step {
            step: step + 1,
            wait: duration(steps[index + 1]),
        },
        Rating::Easy => StepOutcome::Graduate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(secs: &[u64]) -> Vec<std::time::Duration> {
        secs.iter()
            .map(|s| std::time::Duration::from_secs(*s))
            .collect()
    }

    #[test]
    fn hard_at_step_zero_waits_between_the_first_two_steps() {
        let outcome = next(&steps(&[60, 600]), 0, Rating::Hard);
        assert_eq!(
            outcome,
            StepOutcome::Step {
                step: 0,
                wait: Duration::seconds(330)
            }
        );
        let single = next(&steps(&[600]), 0, Rating::Hard);
        assert_eq!(
            single,
            StepOutcome::Step {
                step: 0,
                wait: Duration::seconds(900)
            }
        );
        let later = next(&steps(&[60, 600, 1800]), 1, Rating::Hard);
        assert_eq!(
            later,
            StepOutcome::Step {
                step: 1,
                wait: Duration::seconds(600)
            }
        );
    }

    #[test]
    fn good_advances_and_graduates_after_the_last_step() {
        assert_eq!(
            next(&steps(&[60, 600]), 0, Rating::Good),
            StepOutcome::Step {
                step: 1,
                wait: Duration::seconds(600)
            }
        );
        assert_eq!(
            next(&steps(&[60, 600]), 1, Rating::Good),
            StepOutcome::Graduate
        );
        assert_eq!(
            next(&steps(&[60, 600]), 0, Rating::Easy),
            StepOutcome::Graduate
        );
    }

    #[test]
    fn no_steps_or_a_step_past_the_end_graduates() {
        assert_eq!(next(&[], 0, Rating::Again), StepOutcome::Graduate);
        assert_eq!(next(&steps(&[60]), 3, Rating::Hard), StepOutcome::Graduate);
        assert_eq!(
            next(&steps(&[60]), 3, Rating::Again),
            StepOutcome::Step {
                step: 0,
                wait: Duration::seconds(60)
            }
        );
    }
}
