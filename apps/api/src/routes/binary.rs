//! The schemas of files as bodies: an upload (a dictionary or a learner's word list) and a
//! download (an export, audio). Both are bytes in the body's own content type, which generated
//! clients read as a file rather than a list of numbers.

use utoipa::ToSchema;

/// A downloaded file (its schema only; handlers send the bytes as they are).
pub struct DownloadedFile;

impl utoipa::PartialSchema for DownloadedFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("The file's bytes, in the response's content type"))
            .into()
    }
}

impl ToSchema for DownloadedFile {}

/// An uploaded file: one byte at least (its schema only; the handlers stream it). What it may
/// hold is each operation's request body description.
pub struct UploadedFile;

impl utoipa::PartialSchema for UploadedFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .min_length(Some(1))
            .description(Some("The file, at least one byte"))
            .into()
    }
}

impl ToSchema for UploadedFile {}
