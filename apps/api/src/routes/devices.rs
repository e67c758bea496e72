//! The learner's devices registered for push (`/api/v1/me/devices`, docs/reminders.md).

use super::list::List;
use crate::caller::Caller;
use crate::json_body::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_kernel::LanguageCode;
use lingo_kernel::client_version::ClientVersion;
use lingo_notifications::{Device, DeviceId, DeviceRegistration, Platform, PushToken};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Where the device's pushes go: FCM (android) or APNs (ios).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlatformName {
    Android,
    Ios,
}

impl From<PlatformName> for Platform {
    fn from(p: PlatformName) -> Self {
        match p {
            PlatformName::Android => Self::Android,
            PlatformName::Ios => Self::Ios,
        }
    }
}

impl From<Platform> for PlatformName {
    fn from(p: Platform) -> Self {
        match p {
            Platform::Android => Self::Android,
            Platform::Ios => Self::Ios,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"platform": "android", "push_token": "dGVzdA:APA91bH-example", "app_version": "1.4.0", "locale": "fa"}))]
pub struct RegisterDeviceRequest {
    platform: PlatformName,
    /// The FCM registration token or the APNs device token (hex).
    #[schema(min_length = 1, max_length = 1024, pattern = r"^[A-Za-z0-9:_.\-]+$")]
    push_token: String,
    /// MAJOR.MINOR.PATCH (missing parts are 0).
    #[schema(max_length = 29, pattern = r"^[0-9]{1,9}(\.[0-9]{1,9}){0,2}$")]
    app_version: String,
    /// The app's language (pushes are written in it when it is en, fa or ar).
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    locale: String,
}

impl RegisterDeviceRequest {
    fn registration(&self) -> Result<DeviceRegistration, ApiError> {
        Ok(DeviceRegistration {
            platform: self.platform.into(),
            token: PushToken::parse(&self.push_token)
                .map_err(|e| ApiError::invalid("push_token", e.to_string()))?,
            app_version: ClientVersion::parse(&self.app_version)
                .map_err(|e| ApiError::invalid("app_version", e.to_string()))?,
            locale: LanguageCode::parse(&self.locale)
                .map_err(|e| ApiError::invalid("locale", e.to_string()))?,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeviceView {
    id: Uuid,
    platform: PlatformName,
    push_token: String,
    app_version: String,
    locale: String,
    created_at: DateTime<Utc>,
    /// The last registration (apps register at every start).
    updated_at: DateTime<Utc>,
}

impl From<&Device> for DeviceView {
    fn from(d: &Device) -> Self {
        Self {
            id: d.id.as_uuid(),
            platform: d.platform.into(),
            push_token: d.token.as_str().to_owned(),
            app_version: d.app_version.to_string(),
            locale: d.locale.to_string(),
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// Registers this device for push, or refreshes it if its token is registered (call it at
/// every start and when the provider rotates the token). A token registered by another account
/// moves to the caller. At most 10 devices are kept; registering one more drops the least
/// recently registered.
#[utoipa::path(put, path = "/api/v1/me/devices", tag = "me", request_body = RegisterDeviceRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DeviceView), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    caller: Caller,
    body: JsonBody<RegisterDeviceRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let registration = body.registration()?;
    let device = state.devices.register(caller.user, &registration).await?;
    Ok(HttpResponse::Ok().json(DeviceView::from(&device)))
}

/// The caller's registered devices, most recently registered first (at most 10).
#[utoipa::path(get, path = "/api/v1/me/devices", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = List<DeviceView>), (status = 401, body = Problem)))]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let devices = state.devices.list(caller.user).await?;
    Ok(HttpResponse::Ok().json(devices.iter().map(DeviceView::from).collect::<List<_>>()))
}

/// Unregisters one of the caller's devices: it gets no more pushes.
#[utoipa::path(delete, path = "/api/v1/me/devices/{id}", tag = "me", security(("bearer" = [])),
    responses((status = 204, description = "Unregistered"), (status = 404, body = Problem)))]
pub async fn remove(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .devices
        .remove(caller.user, DeviceId::from_uuid(id.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
