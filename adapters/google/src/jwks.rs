//! Google's JWKS document and its `Cache-Control` header.

use std::collections::HashMap;
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use serde::Deserialize;

/// How long to keep keys when the response does not say.
pub(crate) const FALLBACK_MAX_AGE: Duration = Duration::from_secs(60 * 60);
/// The longest we keep keys whatever the response says (Google sends about six hours).
const LONGEST_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum JwksError {
    #[error("the JWKS response is not a valid key set: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("the JWKS response contains no usable RS256 signing key")]
    NoUsableKey,
}

/// The RS256 signing keys in `body`, by key id. Keys we cannot use (other types, other
/// algorithms, encryption keys, bad numbers) are skipped, not fatal: Google may add new kinds.
pub(crate) fn parse_key_set(body: &[u8]) -> Result<HashMap<String, DecodingKey>, JwksError> {
    let set: JwkSet = serde_json::from_slice(body)?;
    let keys: HashMap<_, _> = set.keys.into_iter().filter_map(usable_key).collect();
    if keys.is_empty() {
        return Err(JwksError::NoUsableKey);
    }
    Ok(keys)
}

fn usable_key(jwk: Jwk) -> Option<(String, DecodingKey)> {
    let is_rs256_signing_key = jwk.kty == "RSA"
        && jwk.alg.as_deref().is_none_or(|alg| alg == "RS256")
        && jwk.usage.as_deref().is_none_or(|usage| usage == "sig");
    if !is_rs256_signing_key {
        return None;
    }
    let (kid, n, e) = (jwk.kid?, jwk.n?, jwk.e?);
    match DecodingKey::from_rsa_components(&n, &e) {
        Ok(key) => Some((kid, key)),
        Err(error) => {
            tracing::warn!(%kid, %error, "skipping a JWKS key with unreadable components");
            None
        }
    }
}

/// `max-age` from a `Cache-Control` header; `no-cache`/`no-store` count as zero (the refetch is
/// still bounded by the minimum refresh interval). Absent or unreadable: the fallback. Capped at
/// a day.
pub(crate) fn max_age(cache_control: Option<&str>) -> Duration {
    let Some(header) = cache_control else {
        return FALLBACK_MAX_AGE;
    };
    for directive in header.split(',').map(str::trim) {
        let lower = directive.to_ascii_lowercase();
        if lower == "no-cache" || lower == "no-store" {
            return Duration::ZERO;
        }
        if let Some(seconds) = lower.strip_prefix("max-age=") {
            return seconds
                .trim_matches('"')
                .parse()
                .map_or(FALLBACK_MAX_AGE, |s| {
                    Duration::from_secs(s).min(LONGEST_MAX_AGE)
                });
        }
    }
    FALLBACK_MAX_AGE
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_among_other_directives() {
        let header = "public, max-age=19845, must-revalidate, no-transform";
        assert_eq!(max_age(Some(header)), Duration::from_secs(19845));
    }

    #[test]
    fn a_missing_or_unreadable_max_age_falls_back_to_an_hour() {
        assert_eq!(max_age(None), FALLBACK_MAX_AGE);
        assert_eq!(max_age(Some("public")), FALLBACK_MAX_AGE);
        assert_eq!(max_age(Some("max-age=soon")), FALLBACK_MAX_AGE);
    }

    #[test]
    fn an_absurd_max_age_is_capped_at_a_day() {
        assert_eq!(max_age(Some("max-age=99999999999")), LONGEST_MAX_AGE);
    }

    #[test]
    fn no_store_means_no_caching() {
        assert_eq!(max_age(Some("no-store")), Duration::ZERO);
    }

    #[test]
    fn keys_of_other_kinds_are_skipped() {
        let body = br#"{"keys":[
            {"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
            {"kty":"RSA","kid":"ok","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"}]}"#;
        let keys = parse_key_set(body).unwrap();
        assert_eq!(keys.keys().collect::<Vec<_>>(), ["ok"]);
    }

    #[test]
    fn a_key_set_without_usable_keys_is_an_error() {
        assert!(matches!(
            parse_key_set(br#"{"keys":[]}"#),
            Err(JwksError::NoUsableKey)
        ));
        assert!(matches!(
            parse_key_set(b"<html>"),
            Err(JwksError::Malformed(_))
        ));
    }
}
