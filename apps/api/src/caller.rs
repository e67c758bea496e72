//! The caller, as an extractor: handlers that take `Caller` are only reached with a valid,
//! unrevoked bearer token; `OptionalCaller` also admits anonymous requests.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use lingo_kernel::UserId;
use lingo_users::Role;
use lingo_users::auth::AuthenticationError;

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
            Err(ApiError::typed(
                actix_web::http::StatusCode::FORBIDDEN,
                "admin-required",
                "this route is for administrators",
            ))
        }
    }
}

/// The token and the state, taken from the request before the (async) check.
fn bearer(req: &HttpRequest) -> Result<(web::Data<AppState>, String), ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("application state missing".to_owned()))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::Unauthorized("a bearer token is required".to_owned()))?;
    Ok((state, token.trim().to_owned()))
}

async fn authenticate(state: web::Data<AppState>, token: String) -> Result<Caller, ApiError> {
    let claims = state.auth.authenticate(&token).await.map_err(|e| match e {
        AuthenticationError::Expired => ApiError::typed(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "token-expired",
            "the token has expired",
        ),
        AuthenticationError::Revoked => ApiError::typed(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "token-revoked",
            "the token has been revoked; sign in again",
        ),
        AuthenticationError::Invalid => ApiError::Unauthorized("the token is invalid".into()),
        AuthenticationError::Unavailable(cause) => ApiError::Unavailable(cause),
    })?;
    tracing::Span::current().record("user_id", tracing::field::display(claims.user));
    Ok(Caller {
        user: claims.user,
        role: claims.role,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let taken = bearer(req);
        Box::pin(async move {
            let (state, token) = taken?;
            authenticate(state, token).await
        })
    }
}

/// The caller when a bearer token is sent, `None` for anonymous requests. A token that is sent
/// but invalid is still a 401: a client with an expired token must learn it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalCaller(pub Option<Caller>);

impl FromRequest for OptionalCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if !req.headers().contains_key(header::AUTHORIZATION) {
            return Box::pin(async { Ok(Self(None)) });
        }
        let taken = bearer(req);
        Box::pin(async move {
            let (state, token) = taken?;
            authenticate(state, token).await.map(|c| Self(Some(c)))
        })
    }
}
