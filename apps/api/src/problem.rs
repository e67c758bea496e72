//! RFC 9457 problem details: the one error shape of the api.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A store or provider Lingo needs is down: the body says no more (the cause is logged).
pub const SERVICE_UNAVAILABLE: &str = "urn:lingo:problem:service-unavailable";
/// A bug or an impossible state: the body says no more (the cause is logged).
pub const INTERNAL: &str = "urn:lingo:problem:internal";

tokio::task_local! {
    /// The id of the request being served (set by the `observe` middleware), so that 5xx
    /// problems carry it wherever they are made.
    static REQUEST_ID: String;
}

/// Runs `f` as the request `id`.
pub async fn with_request_id<F: std::future::Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

/// The id of the request being served, outside a request `None`.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// An RFC 9457 problem document. Its schema is written out (`problem_schema`): the extension
/// members are open, the ones the api sends are listed.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Extension members (e.g. `checks` of the readiness problem).
    #[serde(flatten)]
    pub extensions: Map<String, Value>,
}

impl utoipa::PartialSchema for Problem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        problem_schema().into()
    }
}

impl ToSchema for Problem {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            "FieldError".to_owned(),
            <FieldError as utoipa::PartialSchema>::schema(),
        ));
    }
}

fn problem_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{
        AdditionalProperties, ArrayBuilder, ObjectBuilder, Ref, SchemaFormat, Type,
    };
    let text = |description: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
    };
    ObjectBuilder::new()
        .property(
            "type",
            text("`about:blank` or a `urn:lingo:problem:…` type clients branch on")
                .format(Some(SchemaFormat::Custom("uri".to_owned()))),
        )
        .required("type")
        .property("title", text("The status's reason phrase"))
        .required("title")
        .property(
            "status",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(400))
                .maximum(Some(599)),
        )
        .required("status")
        .property("detail", text("What went wrong, for people"))
        .property(
            "errors",
            ArrayBuilder::new()
                .items(Ref::from_schema_name("FieldError"))
                .description(Some("The invalid fields (422)")),
        )
        .property(
            "request_id",
            text("The request's id (5xx), to quote in a report"),
        )
        .property(
            "min_version",
            text("The oldest supported app version (426)"),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .examples([json!({
            "type": "about:blank", "title": "Not Found", "status": 404,
            "detail": "no job with this id"
        })])
        .build()
}

impl Problem {
    pub fn new(status: StatusCode) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: None,
            extensions: Map::new(),
        }
    }

    /// A problem type of our own (`urn:lingo:problem:…`, listed in docs/reviews.md) instead of
    /// `about:blank`, for clients that branch on it.
    pub fn of_type(mut self, kind: &str) -> Self {
        self.kind = kind.to_owned();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn extension(mut self, key: &str, value: impl Serialize) -> Self {
        self.extensions.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A server error names its request, so a learner's report can be matched to the logs.
    pub fn with_request_id(mut self) -> Self {
        if self.status >= 500
            && !self.extensions.contains_key("request_id")
            && let Some(id) = request_id()
        {
            self.extensions
                .insert("request_id".to_owned(), Value::String(id));
        }
        self
    }

    pub fn response(&self) -> HttpResponse {
        let body = serde_json::to_vec(&self.clone().with_request_id()).unwrap_or_default();
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .body(body)
    }
}

/// Errors handlers return; each maps to one problem.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests")]
    Throttled(std::time::Duration),
    #[error("{0}")]
    Internal(String),
    /// A problem with extension members (e.g. a miss with its close matches).
    #[error("{}", .0.title)]
    Detailed(Box<Problem>),
}

impl ApiError {
    fn problem(&self) -> Problem {
        match self {
            Self::NotFound(d) => Problem::new(StatusCode::NOT_FOUND).detail(d),
            Self::BadRequest(d) => Problem::new(StatusCode::BAD_REQUEST).detail(d),
            Self::Unauthorized(d) => Problem::new(StatusCode::UNAUTHORIZED).detail(d),
            Self::Forbidden(d) => Problem::new(StatusCode::FORBIDDEN).detail(d),
            // The cause (constraint names, host names, …) is logged, not shown.
            Self::Unavailable(_) => Problem::new(StatusCode::SERVICE_UNAVAILABLE)
                .of_type(SERVICE_UNAVAILABLE)
                .detail("the service is temporarily unavailable; retry later"),
            Self::Conflict(d) => Problem::new(StatusCode::CONFLICT).detail(d),
            Self::Throttled(wait) => Problem::new(StatusCode::TOO_MANY_REQUESTS).detail(format!(
                "too many attempts; retry in {} s",
                wait.as_secs().max(1)
            )),
            Self::Validation(errors) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY)
                .detail("some fields are invalid; see `errors`")
                .extension("errors", errors),
            Self::Detailed(problem) => (**problem).clone(),
            // The cause is logged, not shown.
            Self::Internal(_) => Problem::new(StatusCode::INTERNAL_SERVER_ERROR)
                .of_type(INTERNAL)
                .detail("an unexpected error occurred; it has been logged"),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "dependency unavailable"),
            _ => {}
        }
        let mut response = self.problem().response();
        if matches!(self, Self::Unauthorized(_)) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Self::Throttled(wait) = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait.as_secs().max(1)),
            );
        }
        response
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl ApiError {
    /// One invalid field (after a domain type refused a value the DTO let through).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }
}

fn flatten(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| {
                FieldError {
                    field: path.clone(),
                    message: e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| e.code.to_string()),
                }
            })),
            ValidationErrorsKind::Struct(inner) => flatten(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    flatten(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    /// Every invalid field, nested ones as `profile.timezone`, sorted by name.
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        flatten("", &errors, &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}
