//! Password hashing (Argon2id) and secret generation (the OS's CSPRNG).

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use base64::Engine;
use lingo_users::ports::{PasswordHash, PasswordHasher, SecretGenerator, Unavailable};
use rand::TryRngCore;
use rand::rngs::OsRng;

/// Argon2id cost parameters (RFC 9106 / OWASP: memory in KiB, iterations, lanes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Settings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Settings {
    /// OWASP's second recommended configuration: 19 MiB, 2 iterations, 1 lane.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Clone)]
pub struct Argon2Hasher {
    params: Params,
    /// Verified for unknown accounts, so they cost as much time as a wrong password.
    dummy: String,
}

#[derive(Debug)]
pub struct InvalidParams(pub String);

impl std::fmt::Display for InvalidParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid Argon2 parameters: {}", self.0)
    }
}

impl std::error::Error for InvalidParams {}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing is unrecoverable for a server that mints secrets.
    if OsRng.try_fill_bytes(&mut bytes).is_err() {
        std::process::abort();
    }
    bytes
}

impl Argon2Hasher {
    pub fn new(settings: Argon2Settings) -> Result<Self, InvalidParams> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| InvalidParams(e.to_string()))?;
        let mut hasher = Self {
            params,
            dummy: String::new(),
        };
        hasher.dummy = hasher
            .hash_now("dummy password for unknown accounts")
            .map_err(|e| InvalidParams(e.0))?
            .0;
        Ok(hasher)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    fn hash_now(&self, password: &str) -> Result<PasswordHash, Unavailable> {
        let salt = SaltString::encode_b64(&random_bytes::<16>())
            .map_err(|e| Unavailable(e.to_string()))?;
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHash(h.to_string()))
            .map_err(|e| Unavailable(e.to_string()))
    }

    fn verify_now(&self, password: &str, hash: &str) -> bool {
        match argon2::PasswordHash::new(hash) {
            Ok(parsed) => self
                .argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    /// Hashing takes tens of milliseconds of CPU: it runs on the blocking pool.
    async fn hash(&self, password: &str) -> Result<PasswordHash, Unavailable> {
        let (hasher, password) = (self.clone(), password.to_owned());
        tokio::task::spawn_blocking(move || hasher.hash_now(&password))
            .await
            .map_err(|e| Unavailable(e.to_string()))?
    }

    async fn verify(&self, password: &str, hash: Option<&PasswordHash>) -> bool {
        let (hasher, password) = (self.clone(), password.to_owned());
        let (hash, real) = match hash {
            Some(h) => (h.0.clone(), true),
            None => (self.dummy.clone(), false),
        };
        let matches = tokio::task::spawn_blocking(move || hasher.verify_now(&password, &hash))
            .await
            .unwrap_or(false);
        matches && real
    }
}

/// Codes and tokens from the operating system's CSPRNG.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsSecrets;

impl SecretGenerator for OsSecrets {
    fn otp_code(&self) -> String {
        // Rejection sampling keeps the six digits uniform.
        loop {
            let n = u32::from_le_bytes(random_bytes::<4>());
            if n < 4_294_000_000 {
                return format!("{:06}", n % 1_000_000);
            }
        }
    }

    fn refresh_token(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> Argon2Hasher {
        Argon2Hasher::new(Argon2Settings {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        })
        .expect("valid parameters")
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hasher = fast();
        let hash = hasher.hash("correct horse").await.expect("hashed");
        assert!(hash.0.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(hasher.verify("correct horse", Some(&hash)).await);
        assert!(!hasher.verify("wrong horse", Some(&hash)).await);
        assert!(!hasher.verify("correct horse", None).await);
        assert!(
            !hasher
                .verify("x", Some(&PasswordHash("garbage".into())))
                .await
        );
    }

    #[test]
    fn codes_are_six_digits_and_tokens_long_and_distinct() {
        let code = OsSecrets.otp_code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let (a, b) = (OsSecrets.refresh_token(), OsSecrets.refresh_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn absurd_parameters_are_refused() {
        assert!(
            Argon2Hasher::new(Argon2Settings {
                memory_kib: 1,
                iterations: 0,
                parallelism: 1
            })
            .is_err()
        );
    }
}
