use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: String,
    pub value: String,
    pub reason: String,
}

impl ConfigError {
    pub fn invalid(var: &str, value: &str, reason: impl Into<String>) -> Self {
        Self {
            var: var.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}

/// A snapshot of environment variables; tests build one from pairs.
#[derive(Debug, Clone, Default)]
pub struct EnvSource(HashMap<String, String>);

impl EnvSource {
    pub fn process() -> Self {
        Self(std::env::vars().collect())
    }

    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    pub fn vars(&self) -> &HashMap<String, String> {
        &self.0
    }

    pub fn optional(&self, var: &str) -> Option<String> {
        self.0
            .get(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn string(&self, var: &str, default: &str) -> String {
        self.optional(var).unwrap_or_else(|| default.to_owned())
    }

    pub fn parse<T: FromStr>(&self, var: &str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.optional(var) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e: T::Err| ConfigError::invalid(var, &raw, e.to_string())),
        }
    }

    pub fn positive(&self, var: &str, default: usize) -> Result<usize, ConfigError> {
        let value = self.parse(var, default)?;
        if value == 0 {
            return Err(ConfigError::invalid(var, "0", "must be at least 1"));
        }
        Ok(value)
    }

    pub fn millis(&self, var: &str, default: u64) -> Result<Duration, ConfigError> {
        let value: u64 = self.parse(var, default)?;
        if value == 0 {
            return Err(ConfigError::invalid(var, "0", "must be at least 1 ms"));
        }
        Ok(Duration::from_millis(value))
    }

    pub fn list(&self, var: &str) -> Vec<String> {
        self.optional(var)
            .map(|raw| {
                raw.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}
