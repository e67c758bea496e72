//! Time as a port: use cases ask a `Clock`, so tests can fix "now".
//!
//! `SystemClock` and `ShiftedClock` are the only places that read the wall clock.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to; for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Mutex::new(now))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The wall clock plus an offset that only grows; for tests that run the whole app, where time
/// must pass as usual (timeouts, token lifetimes) and can also jump ahead ("a day later").
#[derive(Debug, Default)]
pub struct ShiftedClock(Mutex<chrono::Duration>);

impl ShiftedClock {
    /// Follows the wall clock exactly until advanced.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves "now" forward by `by`, on top of the time that passes anyway.
    pub fn advance(&self, by: chrono::Duration) {
        let mut offset = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *offset += by;
    }

    /// How far ahead of the wall clock this clock is.
    pub fn offset(&self) -> chrono::Duration {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_moves_only_when_advanced() {
        let start = DateTime::parse_from_rfc3339("2024-01-01T09:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let clock = FixedClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::minutes(10));
        assert_eq!(clock.now(), start + chrono::Duration::minutes(10));
    }

    #[test]
    fn shifted_clock_follows_the_wall_clock_until_advanced() {
        let clock = ShiftedClock::new();
        let before = Utc::now();
        let now = clock.now();
        assert!(before <= now && now <= Utc::now());
        assert_eq!(clock.offset(), chrono::Duration::zero());
    }

    #[test]
    fn shifted_clock_jumps_ahead_by_what_it_is_advanced() {
        let clock = ShiftedClock::new();
        clock.advance(chrono::Duration::hours(24));
        clock.advance(chrono::Duration::minutes(1));
        let expected = chrono::Duration::hours(24) + chrono::Duration::minutes(1);
        assert_eq!(clock.offset(), expected);
        let before = Utc::now() + expected;
        let now = clock.now();
        assert!(before <= now && now <= Utc::now() + expected);
    }
}
