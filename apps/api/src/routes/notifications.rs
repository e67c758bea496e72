//! The in-app notification list (`/api/v1/me/notifications`, docs/reminders.md): what the app
//! shows where push is unavailable or was missed.

use super::list::List;
use crate::caller::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use lingo_notifications::notification_list::{DEFAULT_PAGE, MAX_PAGE};
use lingo_notifications::{Notification, NotificationId, NotificationKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-f]{32}$")]
    cursor: Option<String>,
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// What a notification is about.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKindName {
    /// The daily study reminder.
    Reminder,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    id: Uuid,
    kind: NotificationKindName,
    title: String,
    body: String,
    created_at: DateTime<Utc>,
    /// `null` until the app marks it read.
    read_at: Option<DateTime<Utc>>,
}

impl From<&Notification> for NotificationView {
    fn from(n: &Notification) -> Self {
        Self {
            id: n.id.as_uuid(),
            kind: match n.kind {
                NotificationKind::Reminder => NotificationKindName::Reminder,
            },
            title: n.title.clone(),
            body: n.body.clone(),
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// The caller's notifications, newest first, in pages.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "me", params(NotificationQuery),
    security(("bearer" = [])),
    responses((status = 200, body = List<NotificationView>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    caller: Caller,
    query: web::Query<NotificationQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let limit = super::fields::page_limit(query.limit, DEFAULT_PAGE, MAX_PAGE)?;
    let page = state
        .notifications
        .list(caller.user, query.cursor.as_deref(), Some(limit))
        .await?;
    Ok(HttpResponse::Ok().json(List {
        items: page.items.iter().map(NotificationView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Marks one of the caller's notifications read (again: no change).
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = NotificationView), (status = 404, body = Problem)))]
pub async fn mark_read(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let notification = state
        .notifications
        .mark_read(caller.user, NotificationId::from_uuid(id.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationView::from(&notification)))
}
