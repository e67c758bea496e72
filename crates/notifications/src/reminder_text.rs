//! The reminder's words, in the languages the apps ship in (en, fa, ar; English otherwise).

use lingo_kernel::LanguageCode;
use lingo_users::DailyGoal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderText {
    pub title: String,
    pub body: String,
}

/// The reminder for a learner at `done` of their goal, in `language`.
pub fn reminder_text(language: &LanguageCode, goal: DailyGoal, done: u32) -> ReminderText {
    let target = goal.target();
    let minutes = matches!(goal, DailyGoal::Minutes(_));
    let (title, body) = match language.primary() {
        "fa" => (
            "وقت مرور واژه‌هاست".to_owned(),
            format!(
                "امروز {done} از {target} {} — چند دقیقه کافی است.",
                if minutes { "دقیقه" } else { "مرور" }
            ),
        ),
        "ar" => (
            "حان وقت كلماتك".to_owned(),
            format!(
                "أنجزت اليوم {done} من {target} {} — دقائق قليلة تكفي.",
                if minutes {
                    "دقيقة"
                } else {
                    "مراجعة"
                }
            ),
        ),
        _ => (
            "Time for your words".to_owned(),
            format!(
                "{done} of {target} {} today — a few minutes keep your streak going.",
                if minutes { "minutes" } else { "reviews" }
            ),
        ),
    };
    ReminderText { title, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(raw: &str) -> LanguageCode {
        LanguageCode::parse(raw).expect("valid")
    }

    #[test]
    fn the_text_follows_the_language_and_the_goal() {
        let en = reminder_text(&lang("en-GB"), DailyGoal::Reviews(20), 3);
        assert_eq!(
            en.body,
            "3 of 20 reviews today — a few minutes keep your streak going."
        );
        let fa = reminder_text(&lang("fa"), DailyGoal::Minutes(10), 4);
        assert!(
            fa.body.contains("دقیقه") && fa.body.contains("4 از 10"),
            "{}",
            fa.body
        );
        let ar = reminder_text(&lang("ar"), DailyGoal::Reviews(5), 0);
        assert_eq!(ar.title, "حان وقت كلماتك");
        assert_eq!(
            reminder_text(&lang("de"), DailyGoal::Reviews(5), 0).title,
            en.title
        );
    }
}
