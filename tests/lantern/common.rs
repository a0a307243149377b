//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where the bundled example's `content/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site: `tests/fixtures/<area>/<name>`.
pub fn fixture(area: &str, name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(area).join(name)
}

/// A built site in a temporary folder, kept alive as long as the value lives.
pub struct Built {
    pub _dir: tempfile::TempDir,
    pub out: PathBuf,
}

impl Built {
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).exists()
    }

    /// Every file below the output folder, relative and sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out: Vec<String> = walkdir::WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        out.sort();
        out
    }
}

/// Builds `site` with the library into a fresh temporary folder; panics with the diagnostics
/// when the build fails.
pub fn build(site: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let opts = lantern::build::BuildOptions {
        site: site.to_path_buf(),
        output: out.clone(),
        base_url: None,
        force: false,
    };
    if let Err(e) = lantern::build::build(&opts) {
        match e {
            lantern::diagnostics::Error::Input(d) => {
                panic!("build of {} failed:\n{d}", site.display())
            }
            other => panic!("build of {} failed: {other}", site.display()),
        }
    }
    Built { _dir: dir, out }
}

/// Runs the `lantern` binary with `args` in `cwd`.
pub fn lantern(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantern"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the lantern binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies a folder tree (for tests that edit a site).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
