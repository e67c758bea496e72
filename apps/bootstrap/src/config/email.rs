//! `LINGO_EMAIL_…`: who sends Lingo's emails and where their links point.

use super::{ConfigError, EnvSource};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub provider: EmailProvider,
    /// The `From` of every message (`LINGO_EMAIL_FROM`), e.g. `Lingo <no-reply@lingo.example>`.
    pub from: String,
    /// Where links point (`LINGO_EMAIL_LINK_BASE_URL`): `{base}/verify-email?token=…`,
    /// `{base}/reset-password?token=…`; the app or web page there posts the token to the api.
    pub link_base_url: String,
}

#[derive(Debug, Clone)]
pub enum EmailProvider {
    /// Logs the text instead of sending it (development only).
    Log,
    Smtp(SmtpConfig),
}

/// How the SMTP connection is protected (`LINGO_EMAIL_SMTP_TLS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailTls {
    StartTls,
    Tls,
    None,
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: EmailTls,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Bounds each SMTP step; a whole delivery gets three times as long.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

const DEV_FROM: &str = "Lingo <no-reply@localhost.localdomain>";

pub(super) fn email_config(env: &EnvSource, production: bool) -> Result<EmailConfig, ConfigError> {
    let provider = match env.string("LINGO_EMAIL_PROVIDER", "log").as_str() {
        "log" if production => {
            return Err(ConfigError::invalid(
                "LINGO_EMAIL_PROVIDER",
                "log",
                "the log sender prints sign-in and reset links; choose smtp in production",
            ));
        }
        "log" => EmailProvider::Log,
        "smtp" => EmailProvider::Smtp(smtp_config(env)?),
        other => {
            return Err(ConfigError::invalid(
                "LINGO_EMAIL_PROVIDER",
                other,
                "expected log or smtp",
            ));
        }
    };
    let link_base_url = env.string("LINGO_EMAIL_LINK_BASE_URL", "http://localhost:8080");
    let scheme_ok = if production {
        link_base_url.starts_with("https://")
    } else {
        link_base_url.starts_with("https://") || link_base_url.starts_with("http://")
    };
    if !scheme_ok {
        return Err(ConfigError::invalid(
            "LINGO_EMAIL_LINK_BASE_URL",
            &link_base_url,
            if production {
                "links carry sign-in tokens: an https:// URL is required in production"
            } else {
                "expected an http:// or https:// URL"
            },
        ));
    }
    let from = env.string("LINGO_EMAIL_FROM", DEV_FROM);
    if !from.contains('@') {
        return Err(ConfigError::invalid(
            "LINGO_EMAIL_FROM",
            &from,
            "expected an address such as 'Lingo <no-reply@lingo.example>'",
        ));
    }
    if production && from == DEV_FROM {
        return Err(ConfigError::invalid(
            "LINGO_EMAIL_FROM",
            "<development default>",
            "set the sender address in production",
        ));
    }
    Ok(EmailConfig {
        provider,
        from,
        link_base_url,
    })
}

fn smtp_config(env: &EnvSource) -> Result<SmtpConfig, ConfigError> {
    let host = env.optional("LINGO_EMAIL_SMTP_HOST").ok_or_else(|| {
        ConfigError::invalid("LINGO_EMAIL_SMTP_HOST", "", "required by the smtp provider")
    })?;
    let raw_tls = env.string("LINGO_EMAIL_SMTP_TLS", "starttls");
    let (tls, default_port) = match raw_tls.as_str() {
        "starttls" => (EmailTls::StartTls, 587),
        "tls" => (EmailTls::Tls, 465),
        "none" => (EmailTls::None, 25),
        other => {
            return Err(ConfigError::invalid(
                "LINGO_EMAIL_SMTP_TLS",
                other,
                "expected starttls, tls or none",
            ));
        }
    };
    let user = env.optional("LINGO_EMAIL_SMTP_USER");
    let password = env.optional("LINGO_EMAIL_SMTP_PASSWORD");
    if user.is_some() != password.is_some() {
        return Err(ConfigError::invalid(
            "LINGO_EMAIL_SMTP_PASSWORD",
            "<hidden>",
            "set both LINGO_EMAIL_SMTP_USER and LINGO_EMAIL_SMTP_PASSWORD, or neither",
        ));
    }
    Ok(SmtpConfig {
        host,
        port: env.parse("LINGO_EMAIL_SMTP_PORT", default_port)?,
        tls,
        user,
        password,
        timeout: env.millis("LINGO_EMAIL_SMTP_TIMEOUT_MS", 10_000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(pairs: &[(&str, &str)]) -> EnvSource {
        EnvSource::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn development_logs_emails_and_production_refuses_that() {
        let dev = email_config(&source(&[]), false).expect("valid");
        assert!(matches!(dev.provider, EmailProvider::Log));
        let error = email_config(&source(&[]), true).expect_err("log sender in production");
        assert!(
            error.to_string().contains("LINGO_EMAIL_PROVIDER"),
            "{error}"
        );
    }

    #[test]
    fn smtp_needs_a_host_and_takes_the_port_of_its_tls_mode() {
        let error =
            email_config(&source(&[("LINGO_EMAIL_PROVIDER", "smtp")]), false).expect_err("no host");
        assert!(
            error.to_string().contains("LINGO_EMAIL_SMTP_HOST"),
            "{error}"
        );
        let config = email_config(
            &source(&[
                ("LINGO_EMAIL_PROVIDER", "smtp"),
                ("LINGO_EMAIL_SMTP_HOST", "smtp.example"),
                ("LINGO_EMAIL_SMTP_TLS", "tls"),
            ]),
            false,
        )
        .expect("valid");
        let EmailProvider::Smtp(smtp) = config.provider else {
            panic!("smtp expected");
        };
        assert_eq!((smtp.port, smtp.tls), (465, EmailTls::Tls));
        let error = email_config(
            &source(&[
                ("LINGO_EMAIL_PROVIDER", "smtp"),
                ("LINGO_EMAIL_SMTP_HOST", "smtp.example"),
                ("LINGO_EMAIL_SMTP_USER", "lingo"),
            ]),
            false,
        )
        .expect_err("user without password");
        assert!(
            error.to_string().contains("LINGO_EMAIL_SMTP_PASSWORD"),
            "{error}"
        );
    }

    #[test]
    fn production_links_are_https_and_the_sender_is_named() {
        let smtp = [
            ("LINGO_EMAIL_PROVIDER", "smtp"),
            ("LINGO_EMAIL_SMTP_HOST", "smtp.example"),
            ("LINGO_EMAIL_LINK_BASE_URL", "http://lingo.example"),
            ("LINGO_EMAIL_FROM", "Lingo <no-reply@lingo.example>"),
        ];
        let error = email_config(&source(&smtp), true).expect_err("http links");
        assert!(
            error.to_string().contains("LINGO_EMAIL_LINK_BASE_URL"),
            "{error}"
        );
        let mut named = smtp.to_vec();
        named[2] = ("LINGO_EMAIL_LINK_BASE_URL", "https://lingo.example");
        assert!(email_config(&source(&named), true).is_ok());
        named.pop();
        let error = email_config(&source(&named), true).expect_err("default sender");
        assert!(error.to_string().contains("LINGO_EMAIL_FROM"), "{error}");
    }
}
