//! The learner's profile (users domain) as the learning domain's settings.

use lingo_learning::review::SchedulingSettings;
use lingo_learning::study_queue::StudySettings;
use lingo_users::LearningProfile;

pub fn study_settings(profile: &LearningProfile) -> StudySettings {
    StudySettings {
        timezone: profile.timezone.tz(),
        rollover_hour: profile.day_rollover_hour,
        new_per_day: profile.daily_new_limit,
        reviews_per_day: profile.daily_review_limit,
        scheduling: SchedulingSettings {
            desired_retention: profile.desired_retention.get(),
            learning_steps: profile.learning_steps.durations().to_vec(),
            relearning_steps: profile.relearning_steps.durations().to_vec(),
            maximum_interval: 36_500,
            leech_threshold: profile.leech_threshold,
            suspend_leeches: profile.suspend_leeches,
        },
    }
}
