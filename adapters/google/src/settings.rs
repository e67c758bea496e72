use std::time::Duration;

/// Where Google's keys live and which tokens we accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleSettings {
    /// Google's JSON Web Key Set; default `https://www.googleapis.com/oauth2/v3/certs`.
    pub jwks_url: String,
    /// Our OAuth client ids: a token's `aud` must be one of them. Empty accepts nothing.
    pub client_ids: Vec<String>,
    /// Accepted `iss` values; default `https://accounts.google.com` and `accounts.google.com`.
    pub issuers: Vec<String>,
    /// Timeout of one JWKS request; default 5 s.
    pub http_timeout: Duration,
    /// The least time between two JWKS fetches, whatever tokens arrive; default 60 s.
    pub min_refresh_interval: Duration,
}

impl GoogleSettings {
    pub const DEFAULT_JWKS_URL: &'static str = "https://www.googleapis.com/oauth2/v3/certs";
    pub const DEFAULT_ISSUERS: [&'static str; 2] =
        ["https://accounts.google.com", "accounts.google.com"];

    /// The defaults above, accepting tokens issued to `client_ids`.
    pub fn new(client_ids: Vec<String>) -> Self {
        Self {
            jwks_url: Self::DEFAULT_JWKS_URL.to_owned(),
            client_ids,
            issuers: Self::DEFAULT_ISSUERS.map(str::to_owned).to_vec(),
            http_timeout: Duration::from_secs(5),
            min_refresh_interval: Duration::from_secs(60),
        }
    }
}

impl Default for GoogleSettings {
    /// The defaults with no client ids: set `client_ids` before use, or every token is rejected.
    fn default() -> Self {
        Self::new(Vec::new())
    }
}
