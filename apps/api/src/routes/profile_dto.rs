//! The learning profile on the wire.

use super::fields;
use crate::problem::ApiError;
use lingo_kernel::LanguageCode;
use lingo_users::account::ProfileChanges;
use lingo_users::{
    CefrLevel, ClockTime, DailyGoal, DesiredRetention, LearningProfile, QuietHours,
    ReminderSettings, Steps, Timezone,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"native_language": "fa", "target_language": "en", "level": "B1",
    "timezone": "Asia/Tehran", "daily_new_limit": 15}))]
pub struct ProfileInput {
    #[validate(custom(function = "fields::language"))]
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    pub native_language: Option<String>,
    #[validate(custom(function = "fields::language"))]
    #[schema(pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?$")]
    pub target_language: Option<String>,
    /// A1, A2, B1, B2, C1 or C2
    #[validate(custom(function = "fields::level"))]
    #[schema(value_type = Option<super::response_schemas::Cefr>)]
    pub level: Option<String>,
    /// IANA name, e.g. Asia/Tehran
    #[validate(custom(function = "fields::timezone"))]
    #[schema(schema_with = fields::timezone_schema)]
    pub timezone: Option<String>,
    #[validate(range(max = 23, message = "the day rolls over at an hour from 0 to 23"))]
    #[schema(minimum = 0, maximum = 23)]
    pub day_rollover_hour: Option<u8>,
    #[validate(range(max = 1000, message = "must be from 0 to 1000"))]
    #[schema(minimum = 0, maximum = 1000)]
    pub daily_new_limit: Option<u32>,
    #[validate(range(max = 10000, message = "must be from 0 to 10000"))]
    #[schema(minimum = 0, maximum = 10000)]
    pub daily_review_limit: Option<u32>,
    #[validate(custom(function = "fields::retention"))]
    #[schema(minimum = 0.7, maximum = 0.97)]
    pub desired_retention: Option<f64>,
    /// Seconds, each 60 … 86400, 1 to 10 steps
    #[validate(custom(function = "fields::steps"))]
    #[schema(schema_with = steps_schema)]
    pub learning_steps: Option<Vec<u64>>,
    #[validate(custom(function = "fields::steps"))]
    #[schema(schema_with = steps_schema)]
    pub relearning_steps: Option<Vec<u64>>,
    #[validate(range(min = 3, max = 100, message = "must be from 3 to 100"))]
    #[schema(minimum = 3, maximum = 100)]
    pub leech_threshold: Option<u32>,
    pub suspend_leeches: Option<bool>,
    /// A number of reviews (1 … 2000) or minutes (1 … 600) a day
    #[schema(schema_with = daily_goal_schema)]
    pub daily_goal: Option<DailyGoalView>,
    /// The daily study reminder, replaced whole; `null` or absent: unchanged
    #[validate(nested)]
    pub reminder: Option<ReminderInput>,
}

/// The daily study reminder a client sends (docs/reminders.md).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true, "time": "20:00", "quiet_hours": {"start": "22:30", "end": "07:00"}}))]
pub struct ReminderInput {
    pub enabled: bool,
    /// Local time, HH:MM
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub time: String,
    /// No reminder in these local hours; `null`: none. Equal start and end: none.
    pub quiet_hours: Option<QuietHoursView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursView {
    /// HH:MM, included
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// HH:MM, excluded; earlier than `start` crosses midnight
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderView {
    enabled: bool,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    time: String,
    quiet_hours: Option<QuietHoursView>,
}

impl From<ReminderSettings> for ReminderView {
    fn from(r: ReminderSettings) -> Self {
        Self {
            enabled: r.enabled,
            time: r.time.to_string(),
            quiet_hours: r.quiet_hours.map(|q| QuietHoursView {
                start: q.start().to_string(),
                end: q.end().to_string(),
            }),
        }
    }
}

impl ReminderInput {
    fn settings(&self) -> Result<ReminderSettings, ApiError> {
        let time = |field: &str, raw: &str| {
            ClockTime::parse(raw).map_err(|e| ApiError::invalid(field, e.to_string()))
        };
        let quiet_hours = match &self.quiet_hours {
            Some(q) => {
                let start = time("profile.reminder.quiet_hours.start", &q.start)?;
                let end = time("profile.reminder.quiet_hours.end", &q.end)?;
                // An empty window is no window.
                QuietHours::new(start, end).ok()
            }
            None => None,
        };
        Ok(ReminderSettings {
            enabled: self.enabled,
            time: time("profile.reminder.time", &self.time)?,
            quiet_hours,
        })
    }
}

/// The daily goal a client sends: one kind with its own range, or `null` (unchanged).
fn daily_goal_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
    let goal = |kind: &str, max: f64| {
        ObjectBuilder::new()
            .property(
                "kind",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([kind])),
            )
            .required("kind")
            .property(
                "target",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(max)),
            )
            .required("target")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
    };
    OneOfBuilder::new()
        .item(goal("reviews", 2000.0))
        .item(goal("minutes", 600.0))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// The daily goal on the wire: `{"kind": "reviews", "target": 20}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyGoalView {
    pub kind: GoalKind,
    #[schema(minimum = 1, maximum = 2000)]
    pub target: u32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    Reviews,
    Minutes,
}

impl From<DailyGoal> for DailyGoalView {
    fn from(goal: DailyGoal) -> Self {
        Self {
            kind: match goal {
                DailyGoal::Reviews(_) => GoalKind::Reviews,
                DailyGoal::Minutes(_) => GoalKind::Minutes,
            },
            target: goal.target(),
        }
    }
}

impl DailyGoalView {
    fn goal(&self) -> Result<DailyGoal, ApiError> {
        let kind = match self.kind {
            GoalKind::Reviews => "reviews",
            GoalKind::Minutes => "minutes",
        };
        DailyGoal::new(kind, self.target)
            .map_err(|e| ApiError::invalid("profile.daily_goal.target", e.to_string()))
    }
}

/// 1 to 10 steps of 60 to 86400 seconds (`Steps::from_secs`).
fn steps_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .description(Some(
            "Seconds, each 60 … 86400, 1 to 10 steps; `null` or absent: unchanged",
        ))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(60))
                .maximum(Some(86_400)),
        )
        .min_items(Some(1))
        .max_items(Some(10))
        .build()
}

fn parsed<T, E: std::fmt::Display>(
    field: &str,
    value: Option<&String>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, ApiError> {
    value
        .map(|v| parse(v).map_err(|e| ApiError::invalid(field, e.to_string())))
        .transpose()
}

impl ProfileInput {
    /// Domain values of a validated input.
    pub fn changes(&self) -> Result<ProfileChanges, ApiError> {
        let steps = |field: &str, v: &Option<Vec<u64>>| {
            v.as_deref()
                .map(|s| Steps::from_secs(s).map_err(|e| ApiError::invalid(field, e.to_string())))
                .transpose()
        };
        Ok(ProfileChanges {
            native_language: parsed(
                "profile.native_language",
                self.native_language.as_ref(),
                LanguageCode::parse,
            )?,
            target_language: parsed(
                "profile.target_language",
                self.target_language.as_ref(),
                LanguageCode::parse,
            )?,
            level: parsed(
                "profile.level",
                self.level.as_ref(),
                str::parse::<CefrLevel>,
            )?,
            timezone: parsed("profile.timezone", self.timezone.as_ref(), Timezone::parse)?,
            day_rollover_hour: self.day_rollover_hour,
            daily_new_limit: self.daily_new_limit,
            daily_review_limit: self.daily_review_limit,
            desired_retention: self
                .desired_retention
                .map(|r| {
                    DesiredRetention::new(r)
                        .map_err(|e| ApiError::invalid("profile.desired_retention", e.to_string()))
                })
                .transpose()?,
            learning_steps: steps("profile.learning_steps", &self.learning_steps)?,
            relearning_steps: steps("profile.relearning_steps", &self.relearning_steps)?,
            leech_threshold: self.leech_threshold,
            suspend_leeches: self.suspend_leeches,
            daily_goal: self
                .daily_goal
                .as_ref()
                .map(DailyGoalView::goal)
                .transpose()?,
            reminder: self
                .reminder
                .as_ref()
                .map(ReminderInput::settings)
                .transpose()?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    native_language: String,
    target_language: String,
    level: String,
    timezone: String,
    day_rollover_hour: u8,
    daily_new_limit: u32,
    daily_review_limit: u32,
    desired_retention: f64,
    learning_steps: Vec<u64>,
    relearning_steps: Vec<u64>,
    leech_threshold: u32,
    suspend_leeches: bool,
    daily_goal: DailyGoalView,
    reminder: ReminderView,
}

impl From<&LearningProfile> for ProfileView {
    fn from(p: &LearningProfile) -> Self {
        Self {
            native_language: p.native_language.to_string(),
            target_language: p.target_language.to_string(),
            level: format!("{:?}", p.level),
            timezone: p.timezone.as_str().to_owned(),
            day_rollover_hour: p.day_rollover_hour,
            daily_new_limit: p.daily_new_limit,
            daily_review_limit: p.daily_review_limit,
            desired_retention: p.desired_retention.get(),
            learning_steps: p.learning_steps.clone().into(),
            relearning_steps: p.relearning_steps.clone().into(),
            leech_threshold: p.leech_threshold,
            suspend_leeches: p.suspend_leeches,
            daily_goal: p.daily_goal.into(),
            reminder: p.reminder.into(),
        }
    }
}
