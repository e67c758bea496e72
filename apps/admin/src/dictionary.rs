//! `lingo-admin dictionary …`: load reference lists, start imports and reconciliations.

use clap::Subcommand;
use lingo_bootstrap::{Services, Stores};
use lingo_dictionary::SourceId;
use lingo_dictionary::import::{ImportFormat, ImportSpec};
use lingo_dictionary::reconcile::ReconcileWords;
use lingo_dictionary::reference_data::{
    BadLine, keep_highest_zipf, parse_frequency_line, parse_lemma_line,
};
use lingo_kernel::LanguageCode;
use lingo_kernel::jobs::JobQueue;
use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

const CHUNK: usize = 5_000;
const REPORTED_BAD_LINES: usize = 10;

#[derive(Subcommand)]
pub enum DictionaryCommand {
    /// Load a frequency list (`word<TAB>zipf` lines) for a language; reloading replaces values.
    LoadFrequencies {
        #[arg(long)]
        language: String,
        file: PathBuf,
    },
    /// Load a lemma table (`form<TAB>lemma` lines) for a language.
    LoadLemmas {
        #[arg(long)]
        language: String,
        file: PathBuf,
    },
    /// Enqueue an import job (idempotent: the same file twice is one job).
    Import {
        /// dictd, wordnet, kaikki, csv or tsv.
        #[arg(long)]
        format: String,
        #[arg(long)]
        source: String,
        #[arg(long)]
        licence: String,
        #[arg(long)]
        language: String,
        #[arg(long)]
        translation_language: Option<String>,
        /// Wait for the job to finish, printing its progress.
        #[arg(long)]
        wait: bool,
        /// dictd: the `.index` file; wordnet: the directory; others: the file.
        path: PathBuf,
    },
    /// Enqueue a reconciliation: write the word rows (PostgreSQL) that a source's entries
    /// (MongoDB) lack, e.g. after an import that died for good. Idempotent: one job per source,
    /// language and day; rows already present are left alone.
    Reconcile {
        #[arg(long)]
        language: String,
        #[arg(long)]
        source: String,
        /// Wait for the job to finish, printing its progress and then its report.
        #[arg(long)]
        wait: bool,
    },
}

fn read_lines<T>(
    file: &PathBuf,
    parse: impl Fn(u64, &str) -> Result<T, BadLine>,
) -> anyhow::Result<(Vec<T>, Vec<BadLine>)> {
    let reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in reader.lines().enumerate() {
        let line_no = i as u64 + 1;
        match line {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => match parse(line_no, &line) {
                Ok(value) => good.push(value),
                Err(e) => bad.push(e),
            },
            Err(e) => bad.push(BadLine {
                line: line_no,
                reason: e.to_string(),
            }),
        }
    }
    Ok((good, bad))
}

fn report(what: &str, loaded: u64, bad: &[BadLine]) {
    println!("{loaded} {what} loaded, {} line(s) refused", bad.len());
    for e in bad.iter().take(REPORTED_BAD_LINES) {
        println!("  {e}");
    }
}

pub async fn run(services: &Services, command: DictionaryCommand) -> anyhow::Result<()> {
    match command {
        DictionaryCommand::LoadFrequencies { language, file } => {
            let language = LanguageCode::parse(&language)?;
            let (rows, bad) = read_lines(&file, parse_frequency_line)?;
            let rows = keep_highest_zipf(rows);
            let store = &services.frequencies;
            let mut loaded = 0;
            for chunk in rows.chunks(CHUNK) {
                loaded += store.load(&language, chunk).await?;
            }
            report("frequencies", loaded, &bad);
        }
        DictionaryCommand::LoadLemmas { language, file } => {
            let language = LanguageCode::parse(&language)?;
            let (rows, bad) = read_lines(&file, parse_lemma_line)?;
            let rows: Vec<_> = rows
                .into_iter()
                .filter(|(form, lemma)| form != lemma)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let store = &services.lemma_table;
            let mut loaded = 0;
            for chunk in rows.chunks(CHUNK) {
                loaded += store.load(&language, chunk).await?;
            }
            report("lemma forms", loaded, &bad);
        }
        DictionaryCommand::Import {
            format,
            source,
            licence,
            language,
            translation_language,
            wait,
            path,
        } => {
            let spec = ImportSpec {
                format: ImportFormat::parse(&format)
                    .ok_or_else(|| anyhow::anyhow!("unknown format '{format}'"))?,
                path: path.to_string_lossy().into_owned(),
                source: SourceId::parse(&source)?,
                licence,
                language: LanguageCode::parse(&language)?,
                translation_language: translation_language
                    .as_deref()
                    .map(LanguageCode::parse)
                    .transpose()?,
            };
            let (id, enqueued) = services.import_requests.import_as_operator(spec).await?;
            println!("{id} ({enqueued:?})");
            if wait {
                follow(&services.stores, id).await?;
            }
        }
        DictionaryCommand::Reconcile {
            language,
            source,
            wait,
        } => {
            let job = ReconcileWords {
                language: LanguageCode::parse(&language)?,
                source: SourceId::parse(&source)?,
            };
            let (id, enqueued) = services.reconcile_requests.request_as_operator(job).await?;
            println!("{id} ({enqueued:?})");
            if wait {
                follow(&services.stores, id).await?;
            }
        }
    }
    Ok(())
}

async fn follow(stores: &Stores, id: lingo_kernel::jobs::JobId) -> anyhow::Result<()> {
    loop {
        let Some(record) = stores.jobs.status(id).await? else {
            anyhow::bail!("job {id} disappeared");
        };
        if let Some(progress) = &record.progress {
            println!(
                "{:?} {:.1}% {:?}",
                record.status,
                progress.percent().unwrap_or(0.0),
                progress.counters
            );
        }
        if record.status.is_final() {
            println!("{}", serde_json::to_string_pretty(&record)?);
            if record.last_error.is_some() && record.result.is_none() {
                anyhow::bail!("job {id} failed");
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
