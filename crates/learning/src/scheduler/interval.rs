//! The forgetting curve and the review interval (FSRS.md § 4), in f64.

#[derive(Debug, Clone, Copy)]
pub struct Curve {
    decay: f64,
    factor: f64,
    desired_retention: f64,
}

impl Curve {
    pub fn new(w20: f64, desired_retention: f64) -> Self {
        let decay = -w20;
        Self {
            decay,
            factor: 0.9f64.powf(1.0 / decay) - 1.0,
            desired_retention,
        }
    }

    pub fn retrievability(&self, elapsed_days: f64, stability: f64) -> f64 {
        (1.0 + self.factor * elapsed_days / stability).powf(self.decay)
    }

    /// Whole days until retrievability falls to the desired retention, rounded half to even
    /// (as Python's `round`), at least 1, at most `maximum`.
    pub fn interval_days(&self, stability: f64, maximum: u32) -> u32 {
        let raw = stability / self.factor * (self.desired_retention.powf(1.0 / self.decay) - 1.0);
        let rounded = raw.round_ties_even().max(1.0);
        if rounded >= f64::from(maximum) {
            maximum
        } else {
            rounded as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_ninety_percent_the_interval_equals_the_stability() {
        let curve = Curve::new(0.1542, 0.9);
        assert_eq!(curve.interval_days(10.0, 36_500), 10);
        assert!((curve.retrievability(10.0, 10.0) - 0.9).abs() < 1e-9);
        assert_eq!(curve.interval_days(0.01, 36_500), 1);
        assert_eq!(curve.interval_days(1e9, 36_500), 36_500);
    }

    #[test]
    fn halves_round_to_even_like_python() {
        let curve = Curve::new(0.1542, 0.9);
        assert_eq!(curve.interval_days(2.5, 100), 2);
        assert_eq!(curve.interval_days(3.5, 100), 4);
    }
}
