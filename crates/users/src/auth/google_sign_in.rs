use super::{AuthError, AuthService, Session};
use crate::ports::{ExternalIdentity, IdentityError, UserStoreError};
use crate::{DisplayName, Email, LearningProfile, NewUser, Role};
use lingo_kernel::UserId;

impl AuthService {
    async fn verified_identity(&self, id_token: &str) -> Result<ExternalIdentity, AuthError> {
        self.deps
            .identity
            .verify(id_token, self.deps.clock.now())
            .await
            .map_err(|e| match e {
                IdentityError::Invalid(reason) => AuthError::InvalidIdentity(reason),
                IdentityError::Unavailable(reason) => AuthError::Unavailable(reason),
            })
    }

    /// Signs in with a Google ID token: the linked account; else the account holding the same
    /// address, linked, but only when *both* Google and Lingo have verified that address
    /// (otherwise `AccountLinkRequired`: whoever registered the address unverified must not
    /// get the Google user's sign-ins); else a new account, its address verified by Google.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_google(&self, id_token: &str) -> Result<Session, AuthError> {
        let now = self.deps.clock.now();
        let identity = self.verified_identity(id_token).await?;
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
            if user.verified_email() != Some(email) {
                tracing::info!(user_id = %user.id, "google sign-in onto an unverified address refused");
                return Err(AuthError::AccountLinkRequired);
            }
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
        let inserted = users
            .insert(&NewUser {
                id: UserId::new(),
                email_verified_at: email.as_ref().map(|_| now),
                email,
                phone: None,
                password_hash: None,
                display_name,
                role: Role::Learner,
                profile: LearningProfile::default(),
                now,
            })
            .await;
        let user = match inserted {
            Ok(user) => user,
            // Registered a moment ago by someone else; never linked automatically.
            Err(UserStoreError::EmailTaken) => return Err(AuthError::AccountLinkRequired),
            Err(e) => return Err(e.into()),
        };
        users
            .link_identity(user.id, &identity.provider, &identity.subject)
            .await?;
        tracing::info!(user_id = %user.id, "account created by google sign-in");
        self.start_session(user, true).await
    }

    /// Links a Google identity to the signed-in account (the explicit path that
    /// `AccountLinkRequired` points to). Linking it again is a no-op; an identity linked to
    /// another account is refused.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn link_google(&self, user: UserId, id_token: &str) -> Result<(), AuthError> {
        let identity = self.verified_identity(id_token).await?;
        let users = &self.deps.users;
        let linked_to = |found: Option<crate::User>| match found {
            Some(owner) if owner.id != user => Err(AuthError::IdentityLinkedElsewhere),
            _ => Ok(()),
        };
        linked_to(
            users
                .by_identity(&identity.provider, &identity.subject)
                .await?,
        )?;
        users
            .link_identity(user, &identity.provider, &identity.subject)
            .await?;
        // The insert does nothing when a concurrent link won: read who holds it now.
        let owner = users
            .by_identity(&identity.provider, &identity.subject)
            .await?;
        if owner.is_none() {
            return Err(AuthError::InvalidCredentials);
        }
        linked_to(owner)?;
        tracing::info!("google identity linked from a signed-in session");
        Ok(())
    }
}
