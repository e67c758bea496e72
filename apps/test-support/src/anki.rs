//! Anki packages made at test time by real Anki writers: `genanki` and the `anki` package
//! itself (both from PyPI, installed into `.dev/venv` by `deploy/local/stack.sh venv`). A test
//! that cannot run them fails, naming the fix: CI must not pass by skipping them.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Python with genanki and anki: `LINGO_TEST_PYTHON`, else the repository's `.dev/venv`.
pub fn python() -> PathBuf {
    std::env::var_os("LINGO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.dev/venv/bin/python"))
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(name)
}

fn run(script_name: &str, spec: &Value) -> Vec<u8> {
    let out = std::env::temp_dir().join(format!("lingo-{}.apkg", uuid::Uuid::new_v4()));
    let python = python();
    let mut child = Command::new(&python)
        .arg(script(script_name))
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}; run `deploy/local/stack.sh venv` (or set LINGO_TEST_PYTHON)",
                python.display()
            )
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(spec.to_string().as_bytes())
        .expect("spec written");
    let output = child.wait_with_output().expect("script finished");
    assert!(
        output.status.success(),
        "{script_name} failed (are genanki and anki installed in {}? run `deploy/local/stack.sh venv`): {}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&out).expect("package written");
    let _ = std::fs::remove_file(&out);
    bytes
}

/// A package written by genanki (`scripts/make_apkg.py` describes `spec`), review history
/// added with sqlite3.
pub fn genanki_package(spec: &Value) -> Vec<u8> {
    run("make_apkg.py", spec)
}

/// A package exported by Anki's own library after answering cards through its scheduler
/// (`scripts/make_apkg_with_anki.py` describes `spec`).
pub fn anki_package(spec: &Value) -> Vec<u8> {
    run("make_apkg_with_anki.py", spec)
}
