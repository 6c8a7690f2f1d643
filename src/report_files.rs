//! The report files a run writes (`--report-json`, `--junit`, `--html`,
//! `--har`): checked before the run (a missing folder, a folder given as a
//! file, one path given to two flags), then each written on its own, so one
//! that cannot be written (a full disk, `/dev/full`) neither stops the
//! others nor loses the results: every failure is named, and the run exits
//! 2 after the rest were written.

use std::path::{Path, PathBuf};

use anyhow::bail;
use scimulate_suites::{Redacted, RunRecord};

use crate::cli::RunArgs;

/// The report files of one run.
pub struct Reports {
    files: Vec<ReportFile>,
}

/// One report file: the flag that asked for it, where, and its renderer.
struct ReportFile {
    flag: &'static str,
    path: PathBuf,
    render: fn(&Redacted<RunRecord>) -> String,
}

impl Reports {
    /// Checks, before the run starts, that each file's folder exists, that
    /// no path is a folder and that no two flags name the same file.
    pub fn from_args(args: &RunArgs) -> anyhow::Result<Self> {
        let wanted = [
            ReportFile::new(
                "--report-json",
                &args.report_json,
                scimulate_reports::json::render,
            ),
            ReportFile::new("--junit", &args.junit, scimulate_reports::junit::render),
            ReportFile::new("--html", &args.html, scimulate_reports::html::render),
            ReportFile::new("--har", &args.har, scimulate_reports::har::render),
        ];
        let mut files: Vec<ReportFile> = Vec::new();
        for file in wanted.into_iter().flatten() {
            let (flag, path) = (file.flag, &file.path);
            let folder = folder_of(path);
            if !folder.is_dir() {
                bail!(
                    "{flag} {}: the folder {} does not exist (create it, or give another path)",
                    path.display(),
                    folder.display()
                );
            }
            if path.is_dir() {
                bail!("{flag} {}: is a folder; give a file name", path.display());
            }
            if let Some(other) = files.iter().find(|f| same_file(&f.path, path)) {
                bail!(
                    "{} and {flag} both name {}: one would overwrite the other; give each \
                     report a file of its own",
                    other.flag,
                    path.display()
                );
            }
            files.push(file);
        }
        Ok(Reports { files })
    }

    /// Whether any report file was asked for.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every file, each on its own; the error names every file that
    /// could not be written (the others were).
    pub fn write(&self, record: &Redacted<RunRecord>) -> anyhow::Result<()> {
        let mut failures = Vec::new();
        let mut written = Vec::new();
        for file in &self.files {
            // The record's strings were redacted; this pass also covers
            // what the renderer adds (the catalogue's texts).
            let text = (file.render)(record);
            let text = record.redactor.redact(&text);
            match std::fs::write(&file.path, text.as_bytes()) {
                Ok(()) => written.push(format!("{} {}", file.flag, file.path.display())),
                Err(error) => failures.push(format!(
                    "{}: could not write {}: {error}",
                    file.flag,
                    file.path.display()
                )),
            }
        }
        if failures.is_empty() {
            return Ok(());
        }
        let written = if written.is_empty() {
            String::new()
        } else {
            format!(" (written: {})", written.join(", "))
        };
        bail!("{}{written}", failures.join("; "))
    }
}

impl ReportFile {
    /// `None` when the flag was not given.
    fn new(
        flag: &'static str,
        path: &Option<PathBuf>,
        render: fn(&Redacted<RunRecord>) -> String,
    ) -> Option<Self> {
        path.as_ref().map(|path| ReportFile {
            flag,
            path: path.clone(),
            render,
        })
    }
}

/// The folder a file goes in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Whether two paths name one file: compared canonicalized (the file if it
/// exists, else its folder plus its name), so `./a.json`, `a.json` and a
/// symlink to it are one file.
fn same_file(a: &Path, b: &Path) -> bool {
    fn canonical(path: &Path) -> PathBuf {
        if let Ok(path) = path.canonicalize() {
            return path;
        }
        match (folder_of(path).canonicalize(), path.file_name()) {
            (Ok(folder), Some(name)) => folder.join(name),
            _ => path.to_path_buf(),
        }
    }
    a == b || canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_under_two_names_is_one_file() {
        let dir = std::env::temp_dir();
        let a = dir.join("scimulate-same-file-test.json");
        let b = dir.join(".").join("scimulate-same-file-test.json");
        assert!(same_file(&a, &b));
        assert!(!same_file(&a, &dir.join("scimulate-other-file-test.json")));
        assert!(same_file(Path::new("r.json"), Path::new("./r.json")));
    }
}
