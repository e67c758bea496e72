//! `validator` checks that defer to the domain types, so the api and the domain agree on what
//! is valid and every invalid field is reported at once.

use lingo_kernel::LanguageCode;
use lingo_users::{CefrLevel, DesiredRetention, DisplayName, Email, PhoneNumber, Steps, Timezone};
use validator::ValidationError;

/// What the document says of the fields these checks enforce (JSON Schema patterns, ECMA-262).
pub mod patterns {
    /// `DisplayName::parse`: no control characters, something other than spaces.
    pub const DISPLAY_NAME: &str = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$";
    /// `LanguageCode::parse`: language, optional script, optional region.
    pub const LANGUAGE: &str = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$";
    /// `Lemma::parse` (a word as a learner types it): as a display name, at most 100 characters.
    pub const LEMMA: &str = DISPLAY_NAME;
}

/// The IANA time zones `Timezone::parse` accepts, as an enum.
pub fn timezone_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some(
            "IANA name, e.g. Asia/Tehran; `null` or absent: unchanged",
        ))
        .enum_values(Some(
            lingo_users::Timezone::names()
                .map(serde_json::Value::from)
                .chain([serde_json::Value::Null]),
        ))
        .build()
}

/// A small whole number, also when a client's JSON writes it `3.0` (JSON Schema's `integer`
/// admits it, serde's `u8` does not).
pub fn whole_u8<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    let value = <f64 as serde::Deserialize>::deserialize(deserializer)?;
    if value.fract() == 0.0 && (0.0..=255.0).contains(&value) {
        Ok(value as u8)
    } else {
        Err(serde::de::Error::custom(format!(
            "expected a whole number from 0 to 255, got {value}"
        )))
    }
}

fn refuse(code: &'static str, message: impl std::fmt::Display) -> ValidationError {
    ValidationError::new(code).with_message(message.to_string().into())
}

pub fn email(value: &str) -> Result<(), ValidationError> {
    Email::parse(value)
        .map(|_| ())
        .map_err(|e| refuse("email", e))
}

pub fn phone(value: &str) -> Result<(), ValidationError> {
    PhoneNumber::parse(value)
        .map(|_| ())
        .map_err(|e| refuse("phone", e))
}

pub fn display_name(value: &str) -> Result<(), ValidationError> {
    DisplayName::parse(value)
        .map(|_| ())
        .map_err(|e| refuse("display_name", e))
}

pub fn language(value: &str) -> Result<(), ValidationError> {
    LanguageCode::parse(value)
        .map(|_| ())
        .map_err(|e| refuse("language", e))
}

pub fn level(value: &str) -> Result<(), ValidationError> {
    value
        .parse::<CefrLevel>()
        .map(|_| ())
        .map_err(|e| refuse("level", e))
}

pub fn timezone(value: &str) -> Result<(), ValidationError> {
    Timezone::parse(value)
        .map(|_| ())
        .map_err(|e| refuse("timezone", e))
}

pub fn retention(value: f64) -> Result<(), ValidationError> {
    DesiredRetention::new(value)
        .map(|_| ())
        .map_err(|e| refuse("retention", e))
}

pub fn steps(value: &[u64]) -> Result<(), ValidationError> {
    Steps::from_secs(value)
        .map(|_| ())
        .map_err(|e| refuse("steps", e))
}

pub fn otp_code(value: &str) -> Result<(), ValidationError> {
    let ok = value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(refuse("code", "a code is six digits"))
    }
}

/// A page size the client asked for: absent is `default`, outside `1..=max` a 422 (the document
/// gives the same bounds), never silently clamped.
pub fn page_limit(
    value: Option<u32>,
    default: u32,
    max: u32,
) -> Result<u32, crate::problem::ApiError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(crate::problem::ApiError::Validation(vec![
            crate::problem::FieldError::new("limit", "range", format!("from 1 to {max}")),
        ])),
    }
}

/// Free text from a query parameter or a field: 1 to `max` characters, not only spaces, no
/// control characters but tab, line breaks and NEL (the document's pattern for such text).
pub fn text(field: &str, value: &str, max: usize) -> Result<(), crate::problem::ApiError> {
    let refused = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}');
    let count = value.chars().count();
    let message = if count == 0 || count > max {
        format!("1 to {max} characters")
    } else if value.chars().any(refused) {
        "control characters are not allowed".to_owned()
    } else if value.trim().is_empty() {
        "must not be only spaces".to_owned()
    } else {
        return Ok(());
    };
    Err(crate::problem::ApiError::Validation(vec![
        crate::problem::FieldError::new(field, "invalid", message),
    ]))
}
