//! Interval fuzz (FSRS.md § 5), deterministic per seed: callers derive the seed from the card and
//! the review (e.g. a hash of the card id and the client's review id), so a retried request
//! schedules the same due date and two cards reviewed together still spread out.

/// splitmix64: a tiny, well-mixed generator; one draw is all fuzz needs.
fn unit(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The fuzzed interval in days; intervals under 2.5 days are not fuzzed.
pub fn fuzzed(days: u32, maximum: u32, seed: u64) -> u32 {
    if days < 3 {
        return days;
    }
    let ivl = f64::from(days);
    let delta = 1.0
        + 0.15 * (ivl.min(7.0) - 2.5).max(0.0)
        + 0.1 * (ivl.min(20.0) - 7.0).max(0.0)
        + 0.05 * (ivl - 20.0).max(0.0);
    let max = ((ivl + delta).round_ties_even() as u32).min(maximum);
    let min = ((ivl - delta).round_ties_even() as u32).max(2).min(max);
    let pick = (unit(seed) * f64::from(max - min + 1) + f64::from(min)).round_ties_even() as u32;
    pick.min(maximum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_intervals_are_not_fuzzed() {
        assert_eq!(fuzzed(1, 36_500, 7), 1);
        assert_eq!(fuzzed(2, 36_500, 7), 2);
    }

    #[test]
    fn fuzz_stays_in_range_and_is_repeatable() {
        for seed in 0..2_000u64 {
            let days = fuzzed(30, 36_500, seed);
            // delta at 30 days: 1 + 0.675 + 1.3 + 0.5 = 3.475 → [27, 33]
            assert!((27..=34).contains(&days), "{days}");
            assert_eq!(fuzzed(30, 36_500, seed), days);
        }
        let spread: std::collections::HashSet<u32> =
            (0..200).map(|s| fuzzed(30, 36_500, s)).collect();
        assert!(spread.len() >= 5);
        assert!((0..200).all(|s| fuzzed(100, 100, s) <= 100));
    }
}
