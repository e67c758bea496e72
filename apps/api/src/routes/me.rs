//! The signed-in learner's own account (`/api/v1/me`).

use super::fields;
use super::profile_dto::{ProfileInput, ProfileView};
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_users::account::AccountChanges;
use lingo_users::{DisplayName, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Serialize, ToSchema)]
pub struct AccountView {
    #[schema(value_type = String, format = Uuid)]
    id: lingo_kernel::UserId,
    email: Option<String>,
    /// When Lingo verified `email`; `null` until the link sent to it is opened.
    email_verified_at: Option<DateTime<Utc>>,
    phone: Option<String>,
    display_name: String,
    role: String,
    created_at: DateTime<Utc>,
    profile: ProfileView,
}

impl From<&User> for AccountView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            email: u.email.as_ref().map(|e| e.as_str().to_owned()),
            email_verified_at: u.email_verified_at,
            phone: u.phone.as_ref().map(|p| p.as_str().to_owned()),
            display_name: u.display_name.as_str().to_owned(),
            role: u.role.as_str().to_owned(),
            created_at: u.created_at,
            profile: ProfileView::from(&u.profile),
        }
    }
}

/// The caller's account and learning profile.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = AccountView), (status = 401, body = Problem)))]
pub async fn get(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.get(caller.user).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&user)))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "سارا", "profile": {"timezone": "Asia/Tehran", "day_rollover_hour": 4}}))]
pub struct UpdateRequest {
    #[validate(custom(function = "fields::display_name"))]
    #[schema(
        pattern = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$",
        min_length = 1,
        max_length = 64
    )]
    display_name: Option<String>,
    #[validate(nested)]
    profile: Option<ProfileInput>,
}

/// Changes the account and/or the learning profile; absent fields stay as they are. The email
/// address is not changed here (422): see `POST /api/v1/me/email`.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = UpdateRequest, security(("bearer" = [])),
    responses((status = 200, body = AccountView), (status = 422, body = Problem)))]
pub async fn update(
    caller: Caller,
    body: JsonBody<UpdateRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let changes = AccountChanges {
        display_name: body
            .display_name
            .as_deref()
            .map(DisplayName::parse)
            .transpose()
            .map_err(|e| ApiError::invalid("display_name", e.to_string()))?,
        profile: body
            .profile
            .as_ref()
            .map(ProfileInput::changes)
            .transpose()?
            .unwrap_or_default(),
    };
    let user = state.accounts.update(caller.user, changes).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(&user)))
}

/// Deletes the account and everything stored about it, in every store.
#[utoipa::path(delete, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem)))]
pub async fn delete(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.accounts.delete(caller.user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Asks for the caller's FSRS parameters to be fitted to their review history. One request a
/// day counts (asking again the same day returns the same job).
#[utoipa::path(post, path = "/api/v1/me/fsrs/optimise", tag = "me", security(("bearer" = [])),
    responses((status = 202, body = super::jobs::JobAccepted), (status = 401, body = Problem)))]
pub async fn optimise(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let job_id = state.optimise.request(caller.user).await?;
    Ok(super::jobs::accepted(job_id))
}
