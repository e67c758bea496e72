//! The caller, as an extractor: handlers that take `Caller` are only reached with a valid
//! bearer token; `OptionalCaller` also admits anonymous requests.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use lingo_kernel::UserId;
use lingo_users::{AccessTokenError, Role};
use std::future::{Ready, ready};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
}

impl Caller {
    /// The caller as the use cases know it.
    pub fn domain(self) -> lingo_kernel::Caller {
        lingo_kernel::Caller {
            user: self.user,
            admin: self.role.is_admin(),
        }
    }

    /// For admin-only routes: a learner gets 403.
    pub fn require_admin(self) -> Result<Self, ApiError> {
        if self.role.is_admin() {
            Ok(self)
        } else {
            Err(ApiError::Forbidden(
                "this route is for administrators".to_owned(),
            ))
        }
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".to_owned()))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::Unauthorized("a bearer token is required".to_owned()))?;
    let claims = state.auth.authenticate(token.trim()).map_err(|e| match e {
        AccessTokenError::Expired => ApiError::Unauthorized("the token has expired".into()),
        _ => ApiError::Unauthorized("the token is invalid".into()),
    })?;
    tracing::Span::current().record("user_id", tracing::field::display(claims.user));
    Ok(Caller {
        user: claims.user,
        role: claims.role,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// The caller when a bearer token is sent, `None` for anonymous requests. A token that is sent
/// but invalid is still a 401: a client with an expired token must learn it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalCaller(pub Option<Caller>);

impl FromRequest for OptionalCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            ready(authenticate(req).map(|a| Self(Some(a))))
        } else {
            ready(Ok(Self(None)))
        }
    }
}
