mod dictionary;
mod users;

use clap::{Parser, Subcommand};
use lingo_bootstrap::{Config, Overrides, Services, Stores, telemetry};
use lingo_kernel::jobs::{DeadLetters, JobId, JobQueue, NewJob};
use lingo_worker::jobs::SystemEcho;

/// Lingo administration: migrations, dead jobs, accounts, smoke tests. Configured by LINGO_… environment
/// variables (see .env.example).
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending PostgreSQL migrations.
    Migrate,
    /// Inspect and repair the job queue.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Reference lists (frequencies, lemma tables) and dictionary imports.
    Dictionary {
        #[command(subcommand)]
        command: dictionary::DictionaryCommand,
    },
    /// Disable, enable, grant or revoke admin on an account (by id or email); audited.
    Users {
        /// Who is acting, for the audit log.
        #[arg(long, env = "USER", default_value = "operator")]
        operator: String,
        #[command(subcommand)]
        command: users::UsersCommand,
    },
    /// Pronunciation audio.
    Audio {
        #[command(subcommand)]
        command: AudioCommand,
    },
    /// FSRS tools that need no store.
    Fsrs {
        #[command(subcommand)]
        command: FsrsCommand,
    },
}

#[derive(Subcommand)]
enum AudioCommand {
    /// Render (or find) the audio of TEXT in LANGUAGE with the configured engine, here, and
    /// print its path (`/api/v1/audio/{id}`).
    Render { language: String, text: String },
}

#[derive(Subcommand)]
enum FsrsCommand {
    /// Read a scenario (scheduler + reviews, py-fsrs vocabulary) as JSON on stdin; print the card
    /// after each review as a JSON array.
    Replay,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// List dead-lettered jobs as JSON.
    Dead {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Put a dead job back in the queue with fresh attempts.
    Requeue { id: JobId },
    /// Show a job's status as JSON.
    Status { id: JobId },
    /// Enqueue a `system.echo` job (a smoke test of api → queue → worker).
    Echo {
        message: String,
        #[arg(long, default_value_t = 0)]
        delay_ms: u64,
    },
    /// Show queue depth as JSON.
    Stats,
}

fn replay() -> anyhow::Result<()> {
    let input: lingo_learning::replay::ReplayInput =
        serde_json::from_reader(std::io::stdin().lock())
            .map_err(|e| anyhow::anyhow!("invalid replay input: {e}"))?;
    let cards = lingo_learning::replay::run(&input)?;
    println!("{}", serde_json::to_string_pretty(&cards)?);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Command::Fsrs {
        command: FsrsCommand::Replay,
    } = args.command
    {
        return replay();
    }
    let config = Config::from_env()?;
    let _telemetry = telemetry::init(&config.telemetry, "admin")?;
    match args.command {
        Command::Fsrs { .. } => {}
        Command::Migrate => {
            let applied = Stores::migrate(&config).await?;
            println!("{} migration(s) applied", applied.len());
            for version in applied {
                println!("  {version}");
            }
        }
        Command::Dictionary { command } => {
            let stores = Stores::connect(&config, "admin").await?;
            let services = Services::build(&config, stores, Overrides::default())?;
            dictionary::run(&services, command).await?;
        }
        Command::Audio {
            command: AudioCommand::Render { language, text },
        } => {
            let stores = Stores::connect(&config, "admin").await?;
            let services = Services::build(&config, stores, Overrides::default())?;
            let language = lingo_kernel::LanguageCode::parse(&language)?;
            let key = services
                .pronunciation
                .key_for(&language, &text)
                .ok_or_else(|| {
                    anyhow::anyhow!("no voice for {language}, or a text that cannot be spoken")
                })?;
            let job = lingo_dictionary::speech::RenderSpeech { key: key.clone() };
            services.pronunciation.render(key.job_id(), &job).await?;
            println!("{}", key.path());
        }
        Command::Users { operator, command } => {
            let stores = Stores::connect(&config, "admin").await?;
            let services = Services::build(&config, stores, Overrides::default())?;
            users::run(&services, &operator, command).await?;
        }
        Command::Jobs { command } => {
            let stores = Stores::connect(&config, "admin").await?;
            let queue = &stores.jobs;
            match command {
                JobsCommand::Dead { limit } => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&queue.list(limit).await?)?
                    );
                }
                JobsCommand::Requeue { id } => {
                    if queue.requeue(id).await? {
                        println!("job {id} requeued");
                    } else {
                        anyhow::bail!("no dead job {id}");
                    }
                }
                JobsCommand::Status { id } => match queue.status(id).await? {
                    Some(record) => println!("{}", serde_json::to_string_pretty(&record)?),
                    None => anyhow::bail!("no job {id}"),
                },
                JobsCommand::Echo { message, delay_ms } => {
                    let job = NewJob::of(&SystemEcho { message, delay_ms })?;
                    let id = job.id;
                    queue.enqueue(job).await?;
                    println!("{id}");
                }
                JobsCommand::Stats => {
                    println!("{}", serde_json::to_string_pretty(&queue.stats().await?)?);
                }
            }
        }
    }
    Ok(())
}
