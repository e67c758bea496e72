//! The text of every email Lingo sends. Plain text, one link at most; never a password.

use crate::Email;
use crate::ports::EmailMessage;

fn message(to: &Email, subject: &str, text: String) -> EmailMessage {
    EmailMessage {
        to: to.clone(),
        subject: subject.to_owned(),
        text,
    }
}

pub(super) fn verify_address(to: &Email, link: &str, hours: u64) -> EmailMessage {
    message(
        to,
        "Confirm your email address for Lingo",
        format!(
            "Welcome to Lingo!\n\nOpen this link to confirm that {to} is yours and sign in:\n\n\
             {link}\n\nThe link works once, for {hours} hours. If you did not sign up for Lingo, \
             ignore this email: nothing happens without the link.\n",
            to = to.as_str()
        ),
    )
}

pub(super) fn already_registered(to: &Email, base: &str) -> EmailMessage {
    message(
        to,
        "You already have a Lingo account",
        format!(
            "Someone (perhaps you) tried to sign up for Lingo with {to}, which already has an \
             account. Nothing was changed.\n\nTo get in, sign in, or reset your password at \
             {base}/reset-password.\n\nIf it was not you, you need not do anything.\n",
            to = to.as_str(),
            base = base.trim_end_matches('/')
        ),
    )
}

pub(super) fn reset_password(to: &Email, link: &str, minutes: u64) -> EmailMessage {
    message(
        to,
        "Reset your Lingo password",
        format!(
            "Open this link to choose a new Lingo password:\n\n{link}\n\nThe link works once, \
             for {minutes} minutes. Setting a new password signs you out on every device.\n\n\
             If you did not ask for this, ignore this email: your password stays as it is.\n"
        ),
    )
}

pub(super) fn confirm_new_address(to: &Email, link: &str, hours: u64) -> EmailMessage {
    message(
        to,
        "Confirm your new email address for Lingo",
        format!(
            "Open this link to make {to} the email address of your Lingo account:\n\n{link}\n\n\
             The link works once, for {hours} hours. Until then the account keeps its old \
             address. If you did not ask for this, ignore this email.\n",
            to = to.as_str()
        ),
    )
}

pub(super) fn address_in_use(to: &Email) -> EmailMessage {
    message(
        to,
        "Your email address was offered to another Lingo account",
        format!(
            "Someone asked to move their Lingo account to {to}, which is already the address \
             of a Lingo account (yours). Nothing was changed, and your account stays yours.\n",
            to = to.as_str()
        ),
    )
}

pub(super) fn address_changed(to: &Email, new: &Email) -> EmailMessage {
    message(
        to,
        "The email address of your Lingo account changed",
        format!(
            "The email address of your Lingo account is now {new}; this address ({to}) no \
             longer signs in. If you did not do this, contact Lingo support.\n",
            new = new.as_str(),
            to = to.as_str()
        ),
    )
}
