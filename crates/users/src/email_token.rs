//! The single-use tokens that email links carry, and the rules for redeeming one.
//!
//! A token is 256 random bits, sent once in a link and stored only as its SHA-256 hash, bound
//! to an account, an address and a purpose, with an expiry. Redeeming it is pure: the stored
//! record (as it was before the store marked it used), what the caller expects, and the time.

use crate::Email;
use chrono::{DateTime, Utc};
use lingo_kernel::UserId;

/// What a token lets its bearer do; a token of one purpose is refused for any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailTokenPurpose {
    /// Proves the account's current address (sign-up, or a new request from the learner).
    VerifyEmail,
    /// Proves a new address the learner asked to move to; redeeming it makes the move.
    ChangeEmail,
    /// Sets a new password and ends every session.
    ResetPassword,
}

impl EmailTokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ChangeEmail => "change_email",
            Self::ResetPassword => "reset_password",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "verify_email" => Some(Self::VerifyEmail),
            "change_email" => Some(Self::ChangeEmail),
            "reset_password" => Some(Self::ResetPassword),
            _ => None,
        }
    }
}

/// A token as stored (its hash is the key, never part of the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEmailToken {
    pub user: UserId,
    pub purpose: EmailTokenPurpose,
    /// The address the link was sent to.
    pub address: Email,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Why a token does not work. The api answers all of them alike ("invalid or expired link"),
/// so a guesser learns nothing; the variants are for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailTokenError {
    #[error("unknown token")]
    Unknown,
    #[error("the token was used already")]
    Used,
    #[error("the token has expired")]
    Expired,
    #[error("the token is for something else")]
    WrongPurpose,
    #[error("the token belongs to another account")]
    WrongUser,
    #[error("the token was sent to an address the account no longer has")]
    WrongAddress,
}

/// What the redeeming use case expects of a token.
#[derive(Debug, Clone, Copy)]
pub struct Expectation<'a> {
    pub purpose: EmailTokenPurpose,
    /// The signed-in account, when the route has one.
    pub user: Option<UserId>,
    /// The address the account must still have (verification and reset: the link proves
    /// *that* address; a change of address since voids it).
    pub address: Option<&'a Email>,
}

impl StoredEmailToken {
    /// Whether this token may be redeemed now for `expected`. The store has already spent it,
    /// so a refusal never leaves a usable token behind.
    pub fn redeem(
        &self,
        expected: Expectation<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), EmailTokenError> {
        if self.used_at.is_some() {
            return Err(EmailTokenError::Used);
        }
        if now >= self.expires_at {
            return Err(EmailTokenError::Expired);
        }
        if self.purpose != expected.purpose {
            return Err(EmailTokenError::WrongPurpose);
        }
        if expected.user.is_some_and(|user| user != self.user) {
            return Err(EmailTokenError::WrongUser);
        }
        if expected
            .address
            .is_some_and(|address| address != &self.address)
        {
            return Err(EmailTokenError::WrongAddress);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).expect("valid instant")
    }

    fn email(raw: &str) -> Email {
        Email::parse(raw).expect("valid email")
    }

    fn token(purpose: EmailTokenPurpose) -> StoredEmailToken {
        StoredEmailToken {
            user: UserId::new(),
            purpose,
            address: email("sara@example.com"),
            created_at: at(0),
            expires_at: at(30),
            used_at: None,
        }
    }

    fn expecting(token: &StoredEmailToken) -> Expectation<'_> {
        Expectation {
            purpose: token.purpose,
            user: Some(token.user),
            address: Some(&token.address),
        }
    }

    #[test]
    fn a_fresh_token_redeems_for_its_purpose_user_and_address() {
        let t = token(EmailTokenPurpose::ResetPassword);
        assert_eq!(t.redeem(expecting(&t), at(29)), Ok(()));
        let anonymous = Expectation {
            user: None,
            ..expecting(&t)
        };
        assert_eq!(t.redeem(anonymous, at(0)), Ok(()));
    }

    #[test]
    fn a_token_expires_at_its_expiry_instant() {
        let t = token(EmailTokenPurpose::VerifyEmail);
        assert_eq!(
            t.redeem(expecting(&t), at(30)),
            Err(EmailTokenError::Expired)
        );
        assert_eq!(
            t.redeem(expecting(&t), at(600)),
            Err(EmailTokenError::Expired)
        );
    }

    #[test]
    fn a_used_token_is_refused_even_before_expiry() {
        let t = StoredEmailToken {
            used_at: Some(at(1)),
            ..token(EmailTokenPurpose::VerifyEmail)
        };
        assert_eq!(t.redeem(expecting(&t), at(2)), Err(EmailTokenError::Used));
    }

    #[test]
    fn a_token_of_another_purpose_is_refused() {
        let t = token(EmailTokenPurpose::VerifyEmail);
        for purpose in [
            EmailTokenPurpose::ResetPassword,
            EmailTokenPurpose::ChangeEmail,
        ] {
            let expected = Expectation {
                purpose,
                ..expecting(&t)
            };
            assert_eq!(
                t.redeem(expected, at(1)),
                Err(EmailTokenError::WrongPurpose)
            );
        }
    }

    #[test]
    fn a_token_of_another_account_is_refused() {
        let t = token(EmailTokenPurpose::ChangeEmail);
        let expected = Expectation {
            user: Some(UserId::new()),
            ..expecting(&t)
        };
        assert_eq!(t.redeem(expected, at(1)), Err(EmailTokenError::WrongUser));
    }

    #[test]
    fn a_token_sent_to_an_address_the_account_no_longer_has_is_refused() {
        let t = token(EmailTokenPurpose::ResetPassword);
        let moved = email("sara@elsewhere.example");
        let expected = Expectation {
            address: Some(&moved),
            ..expecting(&t)
        };
        assert_eq!(
            t.redeem(expected, at(1)),
            Err(EmailTokenError::WrongAddress)
        );
    }

    #[test]
    fn purposes_round_trip_through_their_stored_names() {
        for purpose in [
            EmailTokenPurpose::VerifyEmail,
            EmailTokenPurpose::ChangeEmail,
            EmailTokenPurpose::ResetPassword,
        ] {
            assert_eq!(EmailTokenPurpose::parse(purpose.as_str()), Some(purpose));
        }
        assert_eq!(EmailTokenPurpose::parse("login"), None);
    }
}
