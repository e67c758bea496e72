//! Who may be sent a sign-in SMS, and how many: an allow-list of country calling codes and
//! daily budgets per phone, per client address, per country code and overall. SMS pumping (an
//! attacker requesting codes to premium numbers and sharing the operator's fee) is paid by us,
//! so every dimension an attacker can vary has a budget.

use crate::PhoneNumber;
use lingo_kernel::rate_limit::RateLimit;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a country calling code (1 to 3 digits, e.g. 98)")]
pub struct CountryCodeError(pub String);

/// The country calling codes (E.164, without `+`) sign-in codes are sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedCountries(Vec<String>);

/// Iran, its neighbours and the countries with the largest Iranian communities: where Lingo's
/// learners are. Operators widen it with `LINGO_SMS_ALLOWED_COUNTRIES`.
pub const DEFAULT_ALLOWED_COUNTRIES: &str = "98,93,992,90,964,971,966,974,965,968,973,44,49";

impl AllowedCountries {
    /// A comma-separated list (`98,971,966`); a leading `+` is accepted.
    pub fn parse(raw: &str) -> Result<Self, CountryCodeError> {
        let mut codes = Vec::new();
        for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let digits = code.strip_prefix('+').unwrap_or(code);
            let valid = (1..=3).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0');
            if !valid {
                return Err(CountryCodeError(code.to_owned()));
            }
            codes.push(digits.to_owned());
        }
        // Longest first, so `1` never shadows `1876` when both are listed.
        codes.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        codes.dedup();
        Ok(Self(codes))
    }

    /// The allowed calling code `phone` belongs to, `None` when it is not allowed.
    pub fn code_of(&self, phone: &PhoneNumber) -> Option<&str> {
        let digits = phone.as_str().trim_start_matches('+');
        self.0
            .iter()
            .find(|code| digits.starts_with(code.as_str()))
            .map(String::as_str)
    }

    pub fn codes(&self) -> &[String] {
        &self.0
    }
}

impl Default for AllowedCountries {
    fn default() -> Self {
        Self::parse(DEFAULT_ALLOWED_COUNTRIES).unwrap_or(Self(vec!["98".to_owned()]))
    }
}

/// Code requests allowed per day along each dimension (besides the per-phone short-term limit,
/// `AuthSettings::otp_request_limit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsPolicy {
    pub allowed: AllowedCountries,
    pub per_phone_daily: u32,
    pub per_address_daily: u32,
    pub per_country_daily: u32,
    pub global_daily: u32,
}

impl SmsPolicy {
    pub fn daily(max: u32) -> RateLimit {
        RateLimit::per(max, Duration::from_secs(86_400))
    }
}

impl Default for SmsPolicy {
    fn default() -> Self {
        Self {
            allowed: AllowedCountries::default(),
            per_phone_daily: 10,
            per_address_daily: 20,
            per_country_daily: 5_000,
            global_daily: 20_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> PhoneNumber {
        PhoneNumber::parse(raw).expect("valid")
    }

    #[test]
    fn numbers_are_matched_to_the_longest_allowed_calling_code() {
        // Calling codes form a prefix code, but an operator's list need not: the longest wins.
        let allowed = AllowedCountries::parse("97, +971, 98, 97, 1").expect("codes");
        assert_eq!(allowed.codes(), ["971", "97", "98", "1"]);
        assert_eq!(allowed.code_of(&phone("+971501234567")), Some("971"));
        assert_eq!(allowed.code_of(&phone("+972501234567")), Some("97"));
        assert_eq!(allowed.code_of(&phone("+12025550123")), Some("1"));
        assert_eq!(allowed.code_of(&phone("+989121234567")), Some("98"));
        assert_eq!(allowed.code_of(&phone("+447700900123")), None);
    }

    #[test]
    fn the_default_list_covers_iran_and_refuses_premium_ranges_elsewhere() {
        let allowed = AllowedCountries::default();
        assert_eq!(allowed.code_of(&phone("+989121234567")), Some("98"));
        assert_eq!(allowed.code_of(&phone("+971501234567")), Some("971"));
        assert_eq!(allowed.code_of(&phone("+8823456789")), None, "satellite");
        assert_eq!(allowed.code_of(&phone("+2341234567890")), None);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["0098", "98a", "1876", "+", "0"] {
            assert!(AllowedCountries::parse(bad).is_err(), "{bad}");
        }
        assert!(
            AllowedCountries::parse("")
                .expect("empty")
                .codes()
                .is_empty()
        );
    }
}
