use super::JobDeps;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_users::PhoneNumber;
use lingo_users::account::{PurgeUserData, UserDataPurged};

fn retry(e: impl std::fmt::Display) -> JobError {
    JobError::Retryable(e.to_string())
}

/// Erases a deleted account's data outside PostgreSQL: its pending sign-in code and its rate
/// limit counters in Redis. (MongoDB holds nothing per user yet; per-user content joins here.)
/// Counters keyed with a client address (progressive delay) are not enumerable and expire
/// within a day; per-account route-class counters within a minute.
/// Idempotent: deleting what is already gone is fine.
pub async fn run(
    deps: JobDeps,
    _ctx: JobContext,
    job: PurgeUserData,
) -> Result<UserDataPurged, JobError> {
    let mut subjects = vec![
        format!("email:account:{}", job.user_id),
        format!("password:change:{}", job.user_id),
    ];
    if let Some(email) = &job.email {
        subjects.push(format!("login:{email}"));
        subjects.push(format!("email:signup:{email}"));
        subjects.push(format!("email:reset:{email}"));
    }
    if let Some(phone) = job
        .phone
        .as_deref()
        .and_then(|p| PhoneNumber::parse(p).ok())
    {
        deps.otps.forget(&phone).await.map_err(retry)?;
        subjects.push(format!("otp:request:{}", phone.as_str()));
        subjects.push(format!("otp:verify:{}", phone.as_str()));
        subjects.push(format!("sms:phone:{}", phone.as_str()));
    }
    for subject in &subjects {
        deps.limiter.reset(subject).await.map_err(retry)?;
    }
    tracing::info!(user_id = %job.user_id, "user data purged");
    Ok(UserDataPurged {
        redis_keys: subjects.len() + usize::from(job.phone.is_some()),
    })
}
