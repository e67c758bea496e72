use super::{AuthError, AuthService, Session};
use crate::ports::IdentityError;
use crate::{DisplayName, Email, LearningProfile, NewUser, Role};
use lingo_kernel::UserId;

impl AuthService {
    /// Signs in with a Google ID token: the linked account, else the account with the same
    /// verified email (then linked), else a new account.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_google(&self, id_token: &str) -> Result<Session, AuthError> {
        let now = self.deps.clock.now();
        let identity = self
            .deps
            .identity
            .verify(id_token, now)
            .await
            .map_err(|e| match e {
                IdentityError::Invalid(reason) => AuthError::InvalidIdentity(reason),
                IdentityError::Unavailable(reason) => AuthError::Unavailable(reason),
            })?;
        let users = &self.deps.users;
        if let Some(user) = users
            .by_identity(&identity.provider, &identity.subject)
            .await?
        {
            return self.start_session(user, false).await;
        }
        let email = identity
            .email
            .as_deref()
            .filter(|_| identity.email_verified)
            .and_then(|e| Email::parse(e).ok());
        if let Some(email) = &email
            && let Some(user) = users.by_email(email).await?
        {
            users
                .link_identity(user.id, &identity.provider, &identity.subject)
                .await?;
            tracing::info!(user_id = %user.id, "google identity linked by verified email");
            return self.start_session(user, false).await;
        }
        let display_name = identity
            .name
            .as_deref()
            .and_then(|n| DisplayName::parse(n).ok())
            .unwrap_or_else(DisplayName::default_learner);
        let user = users
            .insert(&NewUser {
                id: UserId::new(),
                email,
                phone: None,
                password_hash: None,
                display_name,
                role: Role::Learner,
                profile: LearningProfile::default(),
                now,
            })
            .await?;
        users
            .link_identity(user.id, &identity.provider, &identity.subject)
            .await?;
        tracing::info!(user_id = %user.id, "account created by google sign-in");
        self.start_session(user, true).await
    }
}
