//! The import roots, checked again when a job opens its files: the request was checked when it
//! was enqueued, but a dictd `.index` names its `.dict.dz` only by being beside it and a WordNet
//! directory holds `index.*` and `data.*` files; any of them may be a symlink leading out of the
//! roots. Every file a reader will open is resolved (`canonicalize`: links and `..`) and must lie
//! inside a root, else the job fails permanently.
//!
//! The check runs just before the readers open the files; swapping a file for a link in between
//! needs write access to a root, which only operators have.

use lingo_dictionary::import::{ImportFormat, ImportSpec, ReadError};
use std::path::{Path, PathBuf};

/// The import roots as configured; `None` lets every path through (tools and tests reading
/// fixtures).
#[derive(Debug, Clone)]
pub(crate) struct AllowedRoots(Option<Vec<PathBuf>>);

impl AllowedRoots {
    /// Roots are resolved at each check: the upload directory may not exist yet at start-up. A
    /// root that does not exist allows nothing.
    pub(crate) fn new<P: AsRef<Path>>(roots: &[P]) -> Self {
        Self(Some(
            roots
                .iter()
                .map(|root| root.as_ref().to_path_buf())
                .collect(),
        ))
    }

    pub(crate) fn unrestricted() -> Self {
        Self(None)
    }

    /// Every file `spec` makes a reader open, checked.
    pub(crate) fn check(&self, spec: &ImportSpec) -> Result<(), ReadError> {
        let Some(roots) = &self.0 else {
            return Ok(());
        };
        let roots: Vec<PathBuf> = roots
            .iter()
            .filter_map(|root| std::fs::canonicalize(root).ok())
            .collect();
        for path in files_of(spec) {
            check_path(&roots, &path)?;
        }
        Ok(())
    }
}

fn check_path(roots: &[PathBuf], path: &Path) -> Result<(), ReadError> {
    // A file that is missing fails later, when the reader opens it, with its own message.
    let Ok(canonical) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    if roots.iter().any(|root| canonical.starts_with(root)) {
        Ok(())
    } else {
        Err(ReadError::Io(format!(
            "{} leads outside the import roots (to {}); refused",
            path.display(),
            canonical.display()
        )))
    }
}

/// The files (and directory) a reader of `spec` opens.
fn files_of(spec: &ImportSpec) -> Vec<PathBuf> {
    let path = PathBuf::from(&spec.path);
    match spec.format {
        ImportFormat::Dictd => {
            let mut files = vec![path.clone()];
            if let Some(base) = spec.path.strip_suffix(".index") {
                files.push(PathBuf::from(format!("{base}.dict.dz")));
                files.push(PathBuf::from(format!("{base}.dict")));
            }
            files
        }
        ImportFormat::Wordnet => {
            let mut files = vec![path.clone()];
            for part in ["noun", "verb", "adj", "adv"] {
                files.push(path.join(format!("index.{part}")));
                files.push(path.join(format!("data.{part}")));
            }
            files
        }
        ImportFormat::Kaikki | ImportFormat::Csv | ImportFormat::Tsv => vec![path],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingo_dictionary::SourceId;
    use lingo_kernel::LanguageCode;

    fn spec(format: ImportFormat, path: &Path) -> ImportSpec {
        ImportSpec {
            format,
            path: path.to_string_lossy().into_owned(),
            source: SourceId::parse("test-source").expect("source"),
            licence: "CC0".into(),
            language: LanguageCode::english(),
            translation_language: Some(LanguageCode::parse("ar").expect("language")),
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lingo-{name}-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn a_symlink_inside_a_root_that_leads_out_is_refused() {
        let root = temp_dir("root");
        let outside = temp_dir("outside");
        std::fs::write(outside.join("secret.dict"), b"secret").expect("written");
        std::fs::write(root.join("tiny.index"), b"a\tA\tB\n").expect("written");
        std::os::unix::fs::symlink(outside.join("secret.dict"), root.join("tiny.dict"))
            .expect("link");
        let roots = AllowedRoots::new(&[&root]);
        let refused = roots
            .check(&spec(ImportFormat::Dictd, &root.join("tiny.index")))
            .expect_err("refused");
        assert!(
            refused.to_string().contains("outside the import roots"),
            "{refused}"
        );

        std::os::unix::fs::symlink(outside.join("secret.dict"), root.join("data.noun"))
            .expect("link");
        std::fs::write(root.join("index.noun"), b"").expect("written");
        assert!(roots.check(&spec(ImportFormat::Wordnet, &root)).is_err());

        std::fs::remove_file(root.join("tiny.dict")).expect("unlinked");
        std::fs::remove_file(root.join("data.noun")).expect("unlinked");
        std::fs::write(root.join("tiny.dict"), b"fine").expect("written");
        std::fs::write(root.join("data.noun"), b"").expect("written");
        assert!(
            roots
                .check(&spec(ImportFormat::Dictd, &root.join("tiny.index")))
                .is_ok()
        );
        assert!(roots.check(&spec(ImportFormat::Wordnet, &root)).is_ok());
        std::fs::remove_dir_all(&root).expect("cleaned up");
        std::fs::remove_dir_all(&outside).expect("cleaned up");
    }

    #[test]
    fn a_file_outside_every_root_is_refused_and_unrestricted_allows_it() {
        let root = temp_dir("root");
        let outside = temp_dir("outside");
        std::fs::write(outside.join("list.csv"), b"word\n").expect("written");
        let csv = spec(ImportFormat::Csv, &outside.join("list.csv"));
        assert!(AllowedRoots::new(&[&root]).check(&csv).is_err());
        assert!(AllowedRoots::unrestricted().check(&csv).is_ok());
        std::fs::remove_dir_all(&root).expect("cleaned up");
        std::fs::remove_dir_all(&outside).expect("cleaned up");
    }
}
