//! `lingo-admin users …`: disable and enable accounts, grant and revoke the admin role. Each
//! change is recorded in the audit log as made by `cli:<operator>`.

use clap::Subcommand;
use lingo_bootstrap::Services;
use lingo_users::administer_accounts::AccountRef;
use lingo_users::ports::AdminAction;

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Refuse sign-in and end every session and token of an account.
    Disable { account: String },
    /// Let a disabled account sign in again.
    Enable { account: String },
    /// Make an account an administrator.
    GrantAdmin { account: String },
    /// Make an administrator a learner; its admin tokens stop working.
    RevokeAdmin { account: String },
}

/// Runs the command as `operator` (recorded in the audit log) and prints the account as JSON.
pub async fn run(services: &Services, operator: &str, command: UsersCommand) -> anyhow::Result<()> {
    let (action, account) = match command {
        UsersCommand::Disable { account } => (AdminAction::Disable, account),
        UsersCommand::Enable { account } => (AdminAction::Enable, account),
        UsersCommand::GrantAdmin { account } => (AdminAction::GrantAdmin, account),
        UsersCommand::RevokeAdmin { account } => (AdminAction::RevokeAdmin, account),
    };
    let target = AccountRef::parse(&account)
        .ok_or_else(|| anyhow::anyhow!("'{account}' is neither an account id nor an email"))?;
    let user = services
        .account_admin
        .apply_as_operator(operator, &target, action)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", action.as_str()))?;
    println!(
        "{}",
        serde_json::json!({
            "id": user.id,
            "role": user.role,
            "status": user.status,
            "action": action.as_str(),
        })
    );
    Ok(())
}
