use super::{AuthError, AuthService, Session, emails};
use crate::email_token::EmailTokenPurpose;
use crate::{DisplayName, Email, LearningProfile, NewUser, Role};
use lingo_kernel::{ClientAddress, UserId};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Length bounds, and not one character repeated: the rest is the user's business.
pub fn check_password(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(format!(
            "a password has at most {MAX_PASSWORD_CHARS} characters"
        )));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(AuthError::WeakPassword(
            "a password needs more than two different characters".to_owned(),
        ));
    }
    Ok(())
}

/// A new account with email and password.
pub struct Registration {
    pub email: Email,
    pub password: String,
    pub display_name: DisplayName,
    pub profile: LearningProfile,
}

impl AuthService {
    /// Signs up with email and password. Answers the same whether the address is new or
    /// taken (no enumeration): a new address gets an unverified account and a verification
    /// link, which signs it in; a taken one gets an email saying it has an account already.
    /// Both paths hash the password, so they cost the same time.
    #[tracing::instrument(skip_all)]
    pub async fn register_with_password(
        &self,
        registration: Registration,
    ) -> Result<(), AuthError> {
        check_password(&registration.password)?;
        let email = registration.email;
        self.throttle(
            &format!("email:signup:{email}"),
            self.settings.signup_email_limit,
        )
        .await?;
        let hash = self.deps.passwords.hash(&registration.password).await?;
        if self.deps.users.by_email(&email).await?.is_some() {
            return self.tell_already_registered(&email).await;
        }
        let inserted = self
            .deps
            .users
            .insert(&NewUser {
                id: UserId::new(),
                email: Some(email.clone()),
                email_verified_at: None,
                phone: None,
                password_hash: Some(hash),
                display_name: registration.display_name,
                role: Role::Learner,
                profile: registration.profile,
                now: self.deps.clock.now(),
            })
            .await;
        let user = match inserted {
            Ok(user) => user,
            // A concurrent sign-up took the address: the same as taken before.
            Err(crate::ports::UserStoreError::EmailTaken) => {
                return self.tell_already_registered(&email).await;
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(user_id = %user.id, "account registered; address not verified yet");
        let link = self
            .issue_email_link(user.id, EmailTokenPurpose::VerifyEmail, &email)
            .await?;
        self.deliver_quietly(emails::verify_address(
            &email,
            &link,
            self.settings.verify_email_ttl.as_secs() / 3600,
        ))
        .await;
        Ok(())
    }

    async fn tell_already_registered(&self, email: &Email) -> Result<(), AuthError> {
        tracing::info!("sign-up with an address in use; its owner is told by email");
        self.deliver_quietly(emails::already_registered(
            email,
            &self.settings.email_link_base,
        ))
        .await;
        Ok(())
    }

    /// Signs in with email and password. Failure never says whether the account exists, and
    /// costs the same time either way (a dummy hash is verified for unknown accounts). An
    /// account whose address is not verified yet gets the same answer: otherwise signing up
    /// with an address and trying its password would tell whether it was taken.
    ///
    /// Guesses are slowed per (email, client address) with a progressive delay, so a stranger
    /// elsewhere cannot lock the learner out; a much looser ceiling per email, counted only for
    /// guesses the delay let through, bounds guessing from many addresses.
    #[tracing::instrument(skip_all, fields(client = %client))]
    pub async fn login_with_password(
        &self,
        email: &Email,
        password: &str,
        client: ClientAddress,
    ) -> Result<Session, AuthError> {
        let guess = format!("login:{email}|{}", client.limit_key());
        self.begin_guess(&guess, self.settings.login_delay).await?;
        self.throttle(&format!("login:{email}"), self.settings.login_limit)
            .await?;
        let user = self.deps.users.by_email(email).await?;
        let hash = user.as_ref().and_then(|u| u.password_hash.as_ref());
        let matches = self.deps.passwords.verify(password, hash).await;
        match user {
            Some(user) if matches && user.email_verified_at.is_some() => {
                self.guess_succeeded(&guess).await;
                self.start_session(user, false).await
            }
            _ => Err(AuthError::InvalidCredentials),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_and_some_variety() {
        assert!(check_password("short").is_err());
        assert!(check_password("aaaaaaaaaaaa").is_err());
        assert!(check_password("abababababab").is_err());
        assert!(check_password(&"abc".repeat(50)).is_err());
        assert!(check_password("correct horse").is_ok());
        assert!(check_password("رمز عبور امن").is_ok());
    }
}
