//! Values read from rows become domain values through the domain's constructors; a value they
//! refuse is corrupt data, reported rather than dropped.

use super::corrupt;
use lingo_dictionary::Zipf;
use lingo_dictionary::ports::StoreError;
use lingo_kernel::{CefrLevel, LanguageCode};

pub(super) fn zipf(value: f64) -> Result<Zipf, StoreError> {
    Zipf::new(value).map_err(|e| corrupt("zipf", e))
}

pub(super) fn optional_zipf(value: Option<f64>) -> Result<Option<Zipf>, StoreError> {
    value.map(zipf).transpose()
}

pub(super) fn optional_cefr(value: Option<&str>) -> Result<Option<CefrLevel>, StoreError> {
    value
        .map(|raw| raw.parse::<CefrLevel>().map_err(|e| corrupt("cefr", e)))
        .transpose()
}

pub(super) fn language(value: &str) -> Result<LanguageCode, StoreError> {
    LanguageCode::parse(value).map_err(|e| corrupt("language", e))
}
