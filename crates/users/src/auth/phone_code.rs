use super::{AuthError, AuthService, Session};
use crate::ports::{OtpCheck, SmsError};
use crate::sms_policy::SmsPolicy;
use crate::{DisplayName, LearningProfile, NewUser, PhoneNumber, Role};
use lingo_kernel::{ClientAddress, UserId};
use sha2::{Digest, Sha256};

impl AuthService {
    /// The allow-list, then every budget a code request is counted against: per phone (short
    /// term and daily), per client address, per country calling code and overall.
    async fn spend_sms_budgets(
        &self,
        phone: &PhoneNumber,
        client: ClientAddress,
    ) -> Result<(), AuthError> {
        let policy = &self.settings.sms;
        let country = policy
            .allowed
            .code_of(phone)
            .ok_or(AuthError::CountryNotAllowed)?;
        let number = phone.as_str();
        self.throttle(
            &format!("otp:request:{number}"),
            self.settings.otp_request_limit,
        )
        .await?;
        let daily = [
            (format!("sms:phone:{number}"), policy.per_phone_daily),
            (
                format!("sms:address:{}", client.limit_key()),
                policy.per_address_daily,
            ),
            (format!("sms:country:{country}"), policy.per_country_daily),
            ("sms:global".to_owned(), policy.global_daily),
        ];
        for (key, max) in daily {
            self.throttle(&key, SmsPolicy::daily(max)).await?;
        }
        Ok(())
    }

    /// The stored form of a code: bound to the phone and peppered with a server secret.
    fn code_hash(&self, phone: &PhoneNumber, code: &str) -> Vec<u8> {
        let mut hasher = Sha256::new();
        hasher.update(&self.settings.otp_pepper);
        hasher.update(phone.as_str().as_bytes());
        hasher.update([0]);
        hasher.update(code.trim().as_bytes());
        hasher.finalize().to_vec()
    }

    /// Sends a 6-digit code by SMS. One flow for sign-in and sign-up: the app does not know
    /// whether the number is new, and neither does the answer (nor whether a code is pending:
    /// a new code replaces it).
    #[tracing::instrument(skip_all, fields(phone = %phone, client = %client))]
    pub async fn request_phone_code(
        &self,
        phone: &PhoneNumber,
        client: ClientAddress,
    ) -> Result<(), AuthError> {
        self.spend_sms_budgets(phone, client).await?;
        let code = self.deps.secrets.otp_code();
        self.deps
            .otps
            .put(
                phone,
                &self.code_hash(phone, &code),
                self.settings.otp_ttl,
                self.settings.otp_max_attempts,
            )
            .await?;
        let text = format!("Lingo: your code is {code}. It expires in 2 minutes.");
        self.deps
            .sms
            .send(phone, &text)
            .await
            .map_err(|e| match e {
                SmsError::Rejected(reason) => AuthError::SmsRejected(reason),
                SmsError::Unavailable(reason) => AuthError::Unavailable(reason),
            })?;
        tracing::info!("sign-in code sent");
        Ok(())
    }

    /// Checks the code; on success signs in, creating the account for a new number.
    ///
    /// Guesses are slowed per (phone, client address) with a progressive delay, under a looser
    /// ceiling per phone. A wrong, burned or missing code all get the one `NoCode` answer.
    #[tracing::instrument(skip_all, fields(phone = %phone, client = %client))]
    pub async fn verify_phone_code(
        &self,
        phone: &PhoneNumber,
        code: &str,
        client: ClientAddress,
    ) -> Result<Session, AuthError> {
        let guess = format!("otp:verify:{}|{}", phone.as_str(), client.limit_key());
        self.begin_guess(&guess, self.settings.otp_verify_delay)
            .await?;
        self.throttle(
            &format!("otp:verify:{}", phone.as_str()),
            self.settings.otp_verify_limit,
        )
        .await?;
        match self
            .deps
            .otps
            .check(phone, &self.code_hash(phone, code))
            .await?
        {
            OtpCheck::Valid => self.guess_succeeded(&guess).await,
            OtpCheck::Wrong { .. } | OtpCheck::Missing => return Err(AuthError::NoCode),
        }
        if let Some(user) = self.deps.users.by_phone(phone).await? {
            return self.start_session(user, false).await;
        }
        let user = self
            .deps
            .users
            .insert(&NewUser {
                id: UserId::new(),
                email: None,
                email_verified_at: None,
                phone: Some(phone.clone()),
                password_hash: None,
                display_name: DisplayName::default_learner(),
                role: Role::Learner,
                profile: LearningProfile::default(),
                now: self.deps.clock.now(),
            })
            .await;
        match user {
            Ok(user) => {
                tracing::info!(user_id = %user.id, "account created by phone");
                self.start_session(user, true).await
            }
            // Two verifications of the same new number raced; the other one created it.
            Err(crate::ports::UserStoreError::PhoneTaken) => {
                let user = self
                    .deps
                    .users
                    .by_phone(phone)
                    .await?
                    .ok_or(AuthError::NoCode)?;
                self.start_session(user, false).await
            }
            Err(e) => Err(e.into()),
        }
    }
}
