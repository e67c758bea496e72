//! Sign-in and token routes (`/api/v1/auth/…`).

use super::fields;
use super::me::AccountView;
use super::profile_dto::ProfileInput;
use crate::caller::Caller;
use crate::client_address::Client;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_users::auth::{Registration, Session};
use lingo_users::{DisplayName, Email, LearningProfile, PhoneNumber};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer",
    "expires_in": 900, "refresh_token": "k3Jp…", "refresh_expires_at": "2026-12-25T10:00:00Z",
    "created": false, "user": {"id": "01936f1e-7c2a-7d4e-9f00-3b1d2c4e5f60", "display_name": "Sara"}}))]
pub struct SessionView {
    access_token: String,
    token_type: &'static str,
    /// Seconds until the access token expires.
    expires_in: i64,
    refresh_token: String,
    refresh_expires_at: DateTime<Utc>,
    /// True when this sign-in created the account.
    created: bool,
    user: AccountView,
}

impl From<Session> for SessionView {
    fn from(s: Session) -> Self {
        Self {
            expires_in: (s.access_expires_at - s.issued_at).num_seconds().max(0),
            access_token: s.access_token,
            token_type: "Bearer",
            refresh_token: s.refresh_token,
            refresh_expires_at: s.refresh_expires_at,
            created: s.created,
            user: AccountView::from(&s.user),
        }
    }
}

pub(super) fn session(status: actix_web::http::StatusCode, s: Session) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("cache-control", "no-store"))
        .json(SessionView::from(s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sara@example.com", "password": "correct horse battery",
    "display_name": "Sara", "profile": {"native_language": "fa", "target_language": "en", "level": "B1"}}))]
pub struct RegisterRequest {
    #[validate(custom(function = "fields::email"))]
    #[schema(
        pattern = r"^[!-?A-~]{1,64}@[!-,\-/-?A-~]+(\.[!-,\-/-?A-~]+)+$",
        max_length = 254
    )]
    email: String,
    #[validate(length(min = 8, max = 128, message = "a password has 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128, example = "correct horse battery")]
    password: String,
    #[validate(custom(function = "fields::display_name"))]
    #[schema(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        min_length = 1,
        max_length = 64
    )]
    display_name: String,
    #[validate(nested)]
    profile: Option<ProfileInput>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"detail": "check your email: the link we sent signs you in"}))]
pub struct CheckYourEmail {
    detail: &'static str,
}

/// 202 "check your email": what every email-sending anonymous route answers, whatever the
/// address (no enumeration).
pub(super) fn check_your_email(detail: &'static str) -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("cache-control", "no-store"))
        .json(CheckYourEmail { detail })
}

/// Signs up with email and password. The answer is the same whether the address is new or
/// already has an account: a new address gets a verification link (which signs the new
/// account in, `POST /auth/email/verify`), a taken one an email telling its owner. Password
/// sign-in works once the address is verified.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 202, description = "Check your email (new or taken address alike)", body = CheckYourEmail),
        (status = 422, description = "Invalid fields", body = Problem), (status = 429, body = Problem)))]
pub async fn register(
    body: JsonBody<RegisterRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let body = body.into_inner();
    let profile = match &body.profile {
        Some(p) => p.changes()?.applied_to(&LearningProfile::default()),
        None => LearningProfile::default(),
    };
    let registration = Registration {
        email: Email::parse(&body.email).map_err(|e| ApiError::invalid("email", e.to_string()))?,
        password: body.password,
        display_name: DisplayName::parse(&body.display_name)
            .map_err(|e| ApiError::invalid("display_name", e.to_string()))?,
        profile,
    };
    state.auth.register_with_password(registration).await?;
    Ok(check_your_email(
        "check your email: the link we sent signs you in",
    ))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sara@example.com", "password": "correct horse battery"}))]
pub struct LoginRequest {
    #[validate(custom(function = "fields::email"))]
    #[schema(
        pattern = r"^[!-?A-~]{1,64}@[!-,\-/-?A-~]+(\.[!-,\-/-?A-~]+)+$",
        max_length = 254
    )]
    email: String,
    #[validate(length(min = 1, max = 1024, message = "required"))]
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
}

/// Signs in with email and password. A wrong email, a wrong password and an address not
/// verified yet get the same answer.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionView), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    body: JsonBody<LoginRequest>,
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let email = Email::parse(&body.email).map_err(|e| ApiError::invalid("email", e.to_string()))?;
    let s = state
        .auth
        .login_with_password(&email, &body.password, client.0)
        .await?;
    Ok(session(actix_web::http::StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+989121234567"}))]
pub struct PhoneCodeRequest {
    /// International form; Persian and Arabic digits are accepted.
    #[validate(custom(function = "fields::phone"))]
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code stays valid.
    expires_in: u64,
}

/// Sends a 6-digit sign-in code by SMS (sign-in and sign-up alike). The answer is the same
/// whether a code was pending; numbers outside the allowed country calling codes are 422.
#[utoipa::path(post, path = "/api/v1/auth/phone/request", tag = "auth", request_body = PhoneCodeRequest,
    responses((status = 202, body = CodeSent), (status = 422, description = "Malformed number", body = Problem),
        (status = 403, description = "Codes are not sent to this country calling code (urn:lingo:problem:phone-country-not-allowed)", body = Problem),
        (status = 429, description = "A per-phone, per-address, per-country or global SMS budget is spent", body = Problem)))]
pub async fn request_phone_code(
    body: JsonBody<PhoneCodeRequest>,
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let phone =
        PhoneNumber::parse(&body.phone).map_err(|e| ApiError::invalid("phone", e.to_string()))?;
    state.auth.request_phone_code(&phone, client.0).await?;
    Ok(HttpResponse::Accepted().json(CodeSent {
        expires_in: state.otp_ttl.as_secs(),
    }))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+989121234567", "code": "042917"}))]
pub struct PhoneVerifyRequest {
    #[validate(custom(function = "fields::phone"))]
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    phone: String,
    #[validate(custom(function = "fields::otp_code"))]
    #[schema(pattern = r"^[0-9]{6}$")]
    code: String,
}

/// Checks the code and signs in; a new number gets a new account (`created: true`).
#[utoipa::path(post, path = "/api/v1/auth/phone/verify", tag = "auth", request_body = PhoneVerifyRequest,
    responses((status = 200, body = SessionView), (status = 401, description = "Wrong or expired code", body = Problem),
        (status = 429, body = Problem)))]
pub async fn verify_phone_code(
    body: JsonBody<PhoneVerifyRequest>,
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let phone =
        PhoneNumber::parse(&body.phone).map_err(|e| ApiError::invalid("phone", e.to_string()))?;
    let s = state
        .auth
        .verify_phone_code(&phone, &body.code, client.0)
        .await?;
    Ok(session(actix_web::http::StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoogleRequest {
    /// The ID token the app got from Google Sign-In.
    #[validate(length(min = 1, max = 8192, message = "required"))]
    #[schema(min_length = 1, max_length = 8192)]
    pub(super) id_token: String,
}

/// Signs in with a Google ID token: the linked account, else the account with the same
/// address if Lingo has verified it (then linked), else a new account. An account holding the
/// address unverified is never linked: 409 `urn:lingo:problem:account-link-required` tells the
/// app to sign in to it (or reset its password) and link with `POST /me/identities/google`.
#[utoipa::path(post, path = "/api/v1/auth/google", tag = "auth", request_body = GoogleRequest,
    responses((status = 200, body = SessionView), (status = 401, body = Problem),
        (status = 409, description = "urn:lingo:problem:account-link-required", body = Problem),
        (status = 503, body = Problem)))]
pub async fn google(
    body: JsonBody<GoogleRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = state.auth.sign_in_with_google(&body.id_token).await?;
    Ok(session(actix_web::http::StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 512, message = "required"))]
    #[schema(min_length = 1, max_length = 512)]
    refresh_token: String,
}

/// Exchanges a refresh token for a new pair. Each refresh token works once; replaying a used one
/// signs out every device of that sign-in.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = SessionView), (status = 401, body = Problem),
        (status = 429, description = "Too many refreshes of this sign-in", body = Problem)))]
pub async fn refresh(
    body: JsonBody<RefreshRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = state.auth.refresh(&body.refresh_token).await?;
    Ok(session(actix_web::http::StatusCode::OK, s))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    #[validate(length(min = 1, max = 512, message = "required"))]
    #[schema(min_length = 1, max_length = 512)]
    refresh_token: String,
    /// The id `PUT /me/devices` gave this device: it is unregistered from push with the
    /// sign-in (docs/reminders.md).
    device_id: Option<uuid::Uuid>,
}

/// Signs out this device (the sign-in the refresh token belongs to), and unregisters it from
/// push when `device_id` is given.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = LogoutRequest,
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    body: JsonBody<LogoutRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    // The device first: it is found through the refresh token's account, before the token is
    // revoked.
    if let Some(device) = body.device_id {
        state
            .devices
            .remove_at_logout(
                &body.refresh_token,
                lingo_notifications::DeviceId::from_uuid(device),
            )
            .await?;
    }
    state.auth.logout(&body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Signs out every device.
#[utoipa::path(post, path = "/api/v1/auth/logout-all", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out everywhere"), (status = 401, body = Problem)))]
pub async fn logout_all(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state.auth.logout_everywhere(caller.user).await?;
    Ok(HttpResponse::NoContent().finish())
}
