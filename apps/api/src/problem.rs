//! RFC 9457 problem details: the one error shape of the api.

use crate::problem_catalogue::{self as catalogue, Language};
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
    /// The language problems of the request being served are written in (`Accept-Language`).
    static LANGUAGE: Language;
}

/// Runs `f` with problems written in `language`.
pub async fn with_language<F: std::future::Future>(language: Language, f: F) -> F::Output {
    LANGUAGE.scope(language, f).await
}

/// The language of the request being served; outside a request English.
pub fn language() -> Language {
    LANGUAGE.try_with(|l| *l).unwrap_or_default()
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
    /// The type's slug in snake_case (`not_found`), for clients that switch on a string.
    pub code: String,
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
            text("A `urn:lingo:problem:…` type clients branch on (docs/errors.md)")
                .format(Some(SchemaFormat::Custom("uri".to_owned()))),
        )
        .required("type")
        .property(
            "code",
            text("The type's name in snake_case (`not_found`, `token_expired`, …)")
                .pattern(Some("^[a-z0-9_]+$")),
        )
        .required("code")
        .property(
            "title",
            text("The type's short title, in the language `Accept-Language` chose (en, fa, ar)"),
        )
        .required("title")
        .property(
            "status",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(400))
                .maximum(Some(599)),
        )
        .required("status")
        .property(
            "detail",
            text("What went wrong, for people, in the language of `Content-Language`"),
        )
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
        .property(
            "retry_after",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .description(Some(
                    "Seconds to wait before retrying (429, some 409 and 503), as `Retry-After`",
                )),
        )
        .property(
            "limit",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .description(Some(
                    "The limit that was reached (413: bytes; 429: requests or items per window)",
                )),
        )
        .property(
            "close_matches",
            ArrayBuilder::new()
                .items(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(
                    "Near spellings the dictionary knows (`word-not-found`)",
                )),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .examples([json!({
            "type": "urn:lingo:problem:not-found", "code": "not_found", "title": "Not found",
            "status": 404, "detail": "no job with this id"
        })])
        .build()
}

impl Problem {
    /// A problem of the generic type of `status` (`urn:lingo:problem:not-found`, …).
    pub fn new(status: StatusCode) -> Self {
        let mut problem = Self {
            kind: String::new(),
            code: String::new(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: None,
            extensions: Map::new(),
        };
        problem.set_type(catalogue::generic_slug(status.as_u16()));
        problem
    }

    /// A more specific type from the catalogue (`docs/errors.md`), by slug (`token-expired`) or
    /// URI (`urn:lingo:problem:token-expired`).
    pub fn of_type(mut self, kind: &str) -> Self {
        let slug = catalogue::slug_of(kind);
        debug_assert!(
            catalogue::find(slug).is_none_or(|t| t.status == self.status),
            "problem type {slug} is documented with another status than {}",
            self.status
        );
        self.set_type(slug);
        self
    }

    fn set_type(&mut self, slug: &str) {
        debug_assert!(
            catalogue::find(slug).is_some(),
            "problem type {slug} is not in the catalogue (docs/errors.md)"
        );
        self.code = catalogue::code_of(slug);
        match catalogue::find(slug) {
            Some(known) => {
                self.kind = known.uri();
                self.title = known.title(Language::En).to_owned();
            }
            None => self.kind = format!("{}{slug}", catalogue::TYPE_PREFIX),
        }
    }

    /// The problem written in `language`: the catalogue's title and generic detail (with its
    /// placeholders filled from the extension members) and the field errors' messages by code.
    /// English keeps the specific detail the problem was made with.
    pub fn localised(mut self, language: Language) -> Self {
        let slug = catalogue::slug_of(&self.kind).to_owned();
        let Some(known) = catalogue::find(&slug) else {
            return self;
        };
        self.title = known.title(language).to_owned();
        if language == Language::En {
            if self.detail.is_none() {
                self.detail = Some(catalogue::fill(known.detail(language), &self.extensions));
            }
            return self;
        }
        self.detail = Some(catalogue::fill(known.detail(language), &self.extensions));
        if let Some(Value::Array(errors)) = self.extensions.get_mut("errors") {
            for error in errors {
                let Some(fields) = error.as_object_mut() else {
                    continue;
                };
                let code = fields
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("invalid");
                if let Some(message) = catalogue::field_message(code, language) {
                    fields.insert("message".to_owned(), Value::String(message.to_owned()));
                }
            }
        }
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

    /// The response, written in the request's language (`Content-Language` says which).
    pub fn response(&self) -> HttpResponse {
        let language = language();
        let problem = self.clone().with_request_id().localised(language);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .insert_header((
                header::CONTENT_LANGUAGE,
                HeaderValue::from_static(language.tag()),
            ))
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
            Self::Throttled(wait) => Problem::new(StatusCode::TOO_MANY_REQUESTS)
                .detail(format!(
                    "too many attempts; retry in {} s",
                    wait.as_secs().max(1)
                ))
                .extension("retry_after", wait.as_secs().max(1)),
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
        let problem = self.problem();
        let mut response = problem.response();
        if problem.status == 401 {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = problem
            .extensions
            .get("retry_after")
            .and_then(Value::as_u64)
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's path (`profile.timezone`, `items[2].rating`).
    pub field: String,
    /// What rule it broke: `required`, `length`, `range`, `email`, `url`, `invalid`, … — the
    /// message is localised by it (docs/errors.md).
    #[schema(pattern = "^[a-z0-9_]+$")]
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl ApiError {
    /// One invalid field (after a domain type refused a value the DTO let through).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, "invalid", message)])
    }

    /// A problem of a specific type from the catalogue (docs/errors.md).
    pub fn typed(status: StatusCode, slug: &str, detail: impl Into<String>) -> Self {
        Self::Detailed(Box::new(Problem::new(status).of_type(slug).detail(detail)))
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
                let code: String = e
                    .code
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                FieldError::new(
                    &path,
                    &code,
                    e.message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| e.code.to_string()),
                )
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
