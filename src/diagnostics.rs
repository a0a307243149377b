//! Problems found in a site's files, reported as `path:line:column: message` with a hint.
//!
//! Every stage that reads editor-written input collects `Diagnostic`s instead of stopping at the
//! first one, so a volunteer fixing their files sees every problem in one run.

use std::fmt;
use std::path::Path;

/// A position in a source file. Lines and columns are 1-based, as editors show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub(crate) line: u64,
    pub(crate) column: u64,
}

impl Pos {
    pub(crate) const fn new(line: u64, column: u64) -> Self {
        Self { line, column }
    }

    pub(crate) fn from_saphyr(loc: &serde_saphyr::Location) -> Self {
        if *loc == serde_saphyr::Location::UNKNOWN {
            Self::default()
        } else {
            Self::new(loc.line(), loc.column())
        }
    }
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site folder, with `/` separators (`content/meetings/x.yaml`).
    pub(crate) path: String,
    pub(crate) pos: Pos,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    /// A warning is shown but does not stop a build: the site is right as written, yet
    /// probably not what the editor meant, or some readers will show it differently.
    pub(crate) warning: bool,
}

impl Diagnostic {
    pub(crate) fn new(path: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            pos,
            message: message.into(),
            hint: None,
            warning: false,
        }
    }

    /// A diagnostic that is shown but does not stop a build.
    pub(crate) fn warning(path: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            warning: true,
            ..Self::new(path, pos, message)
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:column` (or just `path` when the position is unknown).
    pub(crate) fn location(&self) -> String {
        if self.pos.line == 0 {
            self.path.clone()
        } else {
            format!("{}:{}:{}", self.path, self.pos.line, self.pos.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.warning { "warning: " } else { "" };
        write!(f, "{}: {kind}{}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// All problems found in a run, kept in a stable order (file, then position).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub(crate) Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (a.path.as_str(), a.pos, a.message.as_str()).cmp(&(
                b.path.as_str(),
                b.pos,
                b.message.as_str(),
            ))
        });
        self.0.dedup();
        self
    }

    /// Prefix every path with the site folder as the user typed it, so the paths open from the
    /// user's shell. `.` is left off to keep messages short.
    pub(crate) fn relative_to(mut self, site_dir: &Path) -> Self {
        if site_dir != Path::new(".") && site_dir != Path::new("") {
            for d in self.0.iter_mut().filter(|d| !d.path.starts_with('(')) {
                d.path = display_path(&site_dir.join(&d.path));
            }
        }
        self
    }

    /// The closing summary line: "3 problems in 2 files".
    pub(crate) fn summary(&self) -> String {
        let mut files: Vec<&str> = self.0.iter().map(|d| d.path.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let warnings = self.0.iter().filter(|d| d.warning).count();
        let also = match warnings {
            0 => String::new(),
            n => format!(" and {}", plural(n, "warning", "warnings")),
        };
        format!(
            "{}{also} in {}",
            plural(self.0.len() - warnings, "problem", "problems"),
            plural(files.len(), "file", "files")
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Errors that end a command: bad input (exit 1) or an I/O failure while writing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", .0.summary())]
    Input(Diagnostics),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
    /// A problem that is not in a file, with what to do about it.
    #[error("{message}\n  hint: {hint}")]
    Hinted { message: String, hint: String },
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Input(d)
    }
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn hinted(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::Hinted {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn single(d: Diagnostic) -> Self {
        Self::Input(Diagnostics(vec![d]))
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A path as shown to users: `/` separators, no leading `./`.
pub(crate) fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The closest candidate to `word`, for "did you mean" hints. Case-insensitive.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(2) / 2).clamp(1, 3))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Up to `n` candidates ordered by closeness, for hints that list several options.
pub(crate) fn nearest_n<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let lower = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// The path of `path` relative to `base`, for messages; falls back to the full path.
pub(crate) fn rel_path(base: &Path, path: &Path) -> String {
    display_path(path.strip_prefix(base).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos() {
        assert_eq!(nearest("dya", ["day", "time", "name"]), Some("day"));
        assert_eq!(nearest("mondy", ["monday", "sunday"]), Some("monday"));
        assert_eq!(nearest("zzzzzz", ["day", "time"]), None);
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::new("content/a.yaml", Pos::new(3, 6), "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.yaml:3:6: bad\n  hint: fix it");
    }

    #[test]
    fn summary_counts_files() {
        let mut ds = Diagnostics::default();
        ds.push(Diagnostic::new("a", Pos::default(), "x"));
        ds.push(Diagnostic::new("a", Pos::default(), "y"));
        ds.push(Diagnostic::new("b", Pos::default(), "z"));
        assert_eq!(ds.summary(), "3 problems in 2 files");
    }
}
