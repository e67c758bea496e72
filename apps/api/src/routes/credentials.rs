//! Email ownership and credentials: verification links, password reset and change, a change
//! of address, and linking Google from a signed-in session.

use super::auth::{GoogleRequest, SessionView, check_your_email, session};
use super::fields;
use crate::caller::Caller;
use crate::client_address::Client;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use lingo_users::Email;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

fn email_of(raw: &str) -> Result<Email, ApiError> {
    Email::parse(raw).map_err(|e| ApiError::invalid("email", e.to_string()))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "k3Jp…"}))]
pub struct TokenRequest {
    /// The `token` of the link in the email.
    #[validate(length(min = 1, max = 128, message = "required"))]
    #[schema(min_length = 1, max_length = 128)]
    token: String,
}

/// Redeems a verification link (sign-up, or a new address): the address becomes verified (or
/// the account's new address) and the account signs in. A link works once.
#[utoipa::path(post, path = "/api/v1/auth/email/verify", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = SessionView),
        (status = 403, description = "urn:lingo:problem:invalid-email-link", body = Problem),
        (status = 409, description = "The new address was taken since the request", body = Problem),
        (status = 429, body = Problem)))]
pub async fn verify_email(
    body: JsonBody<TokenRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = state.auth.verify_email(&body.token).await?;
    Ok(session(StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sara@example.com"}))]
pub struct ForgotPasswordRequest {
    #[validate(custom(function = "fields::email"))]
    #[schema(
        pattern = r"^[!-?A-~]{1,64}@[!-,\-/-?A-~]+(\.[!-,\-/-?A-~]+)+$",
        max_length = 254
    )]
    email: String,
}

/// Sends a password-reset link (30 minutes, once) if an account has this address; the answer
/// is the same either way.
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = ForgotPasswordRequest,
    responses((status = 202, description = "Check your email (known or unknown address alike)", body = super::auth::CheckYourEmail),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn forgot_password(
    client: Client,
    body: JsonBody<ForgotPasswordRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let email = email_of(&body.email)?;
    state.auth.request_password_reset(&email, client.0).await?;
    Ok(check_your_email(
        "if an account has this address, a reset link is on its way",
    ))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "k3Jp…", "password": "a new correct horse"}))]
pub struct ResetPasswordRequest {
    #[validate(length(min = 1, max = 128, message = "required"))]
    #[schema(min_length = 1, max_length = 128)]
    token: String,
    #[validate(length(min = 8, max = 128, message = "a password has 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128, example = "correct horse battery")]
    password: String,
}

/// Sets a new password with a reset link and signs the account out everywhere (every refresh
/// token revoked, every access token refused). A weak password leaves the link usable.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 204, description = "Password set; sign in with it"),
        (status = 403, description = "urn:lingo:problem:invalid-email-link", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn reset_password(
    body: JsonBody<ResetPasswordRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    state
        .auth
        .reset_password(&body.token, &body.password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct horse battery", "new_password": "a new correct horse"}))]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 1024, message = "required"))]
    #[schema(min_length = 1, max_length = 1024)]
    current_password: String,
    #[validate(length(min = 8, max = 128, message = "a password has 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128, example = "correct horse battery")]
    new_password: String,
}

/// Changes the password (the current one is required), ends every other session and answers a
/// fresh one for this device: the access and refresh tokens held so far stop working.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses((status = 200, body = SessionView), (status = 401, body = Problem),
        (status = 403, description = "urn:lingo:problem:wrong-password", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn change_password(
    caller: Caller,
    body: JsonBody<ChangePasswordRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = state
        .auth
        .change_password(caller.user, &body.current_password, &body.new_password)
        .await?;
    Ok(session(StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sara@new.example", "password": "correct horse battery"}))]
pub struct ChangeEmailRequest {
    #[validate(custom(function = "fields::email"))]
    #[schema(
        pattern = r"^[!-?A-~]{1,64}@[!-,\-/-?A-~]+(\.[!-,\-/-?A-~]+)+$",
        max_length = 254
    )]
    email: String,
    /// The current password; required when the account has one.
    #[validate(length(min = 1, max = 1024, message = "required"))]
    #[schema(min_length = 1, max_length = 1024)]
    password: Option<String>,
}

/// Asks to move the account to another address. Nothing changes until the link sent there is
/// opened (`POST /auth/email/verify`). The answer is the same whether the address is free or
/// belongs to another account, whose owner is told by email instead.
#[utoipa::path(post, path = "/api/v1/me/email", tag = "me", request_body = ChangeEmailRequest,
    security(("bearer" = [])),
    responses((status = 202, description = "Check the new address", body = super::auth::CheckYourEmail),
        (status = 401, body = Problem),
        (status = 403, description = "urn:lingo:problem:wrong-password", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn change_email(
    caller: Caller,
    body: JsonBody<ChangeEmailRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let email = email_of(&body.email)?;
    state
        .auth
        .request_email_change(caller.user, &email, body.password.as_deref())
        .await?;
    Ok(check_your_email(
        "check the new address: the link we sent there makes the change",
    ))
}

/// Sends a new verification link to the caller's address (at most 3 an hour).
#[utoipa::path(post, path = "/api/v1/me/email/verification", tag = "me", security(("bearer" = [])),
    responses((status = 202, description = "Check your email", body = super::auth::CheckYourEmail),
        (status = 401, body = Problem),
        (status = 409, description = "Already verified, or no address", body = Problem),
        (status = 429, body = Problem)))]
pub async fn resend_verification(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state.auth.resend_verification(caller.user).await?;
    Ok(check_your_email("check your email for the new link"))
}

/// Links a Google identity (its ID token) to the signed-in account, after which Google
/// sign-in opens this account. Linking it again is a no-op.
#[utoipa::path(post, path = "/api/v1/me/identities/google", tag = "me", request_body = GoogleRequest,
    security(("bearer" = [])),
    responses((status = 204, description = "Linked"), (status = 401, body = Problem),
        (status = 409, description = "urn:lingo:problem:identity-linked-elsewhere", body = Problem),
        (status = 503, body = Problem)))]
pub async fn link_google(
    caller: Caller,
    body: JsonBody<GoogleRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    state.auth.link_google(caller.user, &body.id_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
