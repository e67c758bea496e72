//! The schema of a file the api sends back (an export, audio): bytes, in the response's own
//! content type, which generated clients read as a file rather than a list of numbers.

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
