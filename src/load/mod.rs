//! Stage 1, load: read a site folder from disk and parse every file into raw records.
//!
//! Nothing here judges the values: it only reports files that cannot be read or parsed. All
//! files are read and parsed (in parallel) even when some fail, so every problem is reported.

pub mod cache;
pub mod pages;
pub mod records;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, display_path, rel_path};
use crate::model::StaticFile;
use records::{MeetingFile, RawFrontMatter, RawLocation, RawMeeting, RawSite};
use yaml::KeyScan;

/// The content folder inside a site.
pub const CONTENT_DIR: &str = "content";

/// A parsed record and the file it came from (relative to the site folder).
#[derive(Debug)]
pub struct Sourced<T> {
    pub path: String,
    pub record: T,
}

/// A Markdown page with parsed front matter.
#[derive(Debug)]
pub struct RawPage {
    pub path: String,
    /// Path below `content/pages/` without the `.md` extension.
    pub stem: String,
    pub front: RawFrontMatter,
    pub body: String,
}

/// Everything read from a site folder.
#[derive(Debug)]
pub struct RawInput {
    pub root: PathBuf,
    pub site: Option<Sourced<RawSite>>,
    pub locations: Vec<Sourced<RawLocation>>,
    /// Boxed: a record with every field's position is large, and a site has many.
    pub meetings: Vec<Sourced<Box<RawMeeting>>>,
    pub pages: Vec<RawPage>,
    pub static_files: Vec<StaticFile>,
}

impl RawInput {
    /// A site with no records yet.
    pub fn empty(root: &Path) -> Self {
        RawInput {
            root: root.to_path_buf(),
            site: None,
            locations: Vec::new(),
            meetings: Vec::new(),
            pages: Vec::new(),
            static_files: Vec::new(),
        }
    }
}

/// Reads and parses the site at `root`. Returns what could be parsed and every problem found.
pub fn load(root: &Path) -> (RawInput, Diagnostics) {
    let content = root.join(CONTENT_DIR);
    let mut diags = Diagnostics::default();
    let mut input = RawInput::empty(root);
    if !content.is_dir() {
        diags.push(no_content(root));
        return (input, diags);
    }

    match parse_site_file(root) {
        Ok(site) => input.site = Some(site),
        Err(d) => diags.push(d),
    }

    let (locations, d) = parse_all(
        root,
        &files(&content.join("locations"), &["yaml", "yml"]),
        parse_locations,
    );
    input.locations = locations;
    diags.extend(d);

    let (meetings, d) = parse_all(
        root,
        &files(&content.join("meetings"), &["yaml", "yml"]),
        parse_meetings,
    );
    input.meetings = meetings;
    diags.extend(d);

    let (pages, d) = parse_all(root, &files(&content.join("pages"), &["md"]), parse_page);
    input.pages = pages;
    diags.extend(d);

    input.static_files = static_files(&content);
    (input, diags)
}

/// The problem reported when `root` has no content folder.
pub(crate) fn no_content(root: &Path) -> Diagnostic {
    Diagnostic::new(
        display_path(&root.join(CONTENT_DIR)),
        Pos::default(),
        "no content folder here",
    )
    .with_hint(format!(
        "run Lantern in a site folder, point --site at one, or create one with `lantern init {}`",
        display_path(root)
    ))
}

/// Reads and parses `content/site.yaml`.
pub(crate) fn parse_site_file(root: &Path) -> Result<Sourced<RawSite>, Diagnostic> {
    let site_path = root.join(CONTENT_DIR).join("site.yaml");
    let path = rel_path(root, &site_path);
    let text = read(root, &site_path).map_err(|d| {
        d.with_hint("every site needs content/site.yaml with at least title, base_url and timezone")
    })?;
    yaml::parse::<RawSite>(&path, &text).map(|record| Sourced { path, record })
}

/// A location file: one location, named by its file.
pub(crate) fn parse_locations(
    path: &str,
    text: &str,
) -> Result<Vec<Sourced<RawLocation>>, Vec<Diagnostic>> {
    yaml::parse::<RawLocation>(path, text)
        .map(|record| {
            vec![Sourced {
                path: path.to_string(),
                record,
            }]
        })
        .map_err(|d| vec![d])
}

/// A Markdown page with front matter.
pub(crate) fn parse_page(path: &str, text: &str) -> Result<Vec<RawPage>, Vec<Diagnostic>> {
    pages::parse(path, text)
        .map(|(front, body)| {
            let stem = Path::new(path)
                .strip_prefix("content/pages")
                .unwrap_or(Path::new(path))
                .with_extension("");
            vec![RawPage {
                path: path.to_string(),
                stem: display_path(&stem),
                front,
                body,
            }]
        })
        .map_err(|d| vec![d])
}

/// Files of `content/static/`, copied as they are.
pub(crate) fn static_files(content: &Path) -> Vec<StaticFile> {
    let static_dir = content.join("static");
    files(&static_dir, &[])
        .into_iter()
        .map(|source| StaticFile {
            path: rel_path(&static_dir, &source),
            source,
        })
        .collect()
}

/// A meetings file: one meeting or a list. Every unknown top-level field is reported together
/// with the record's other problems: the typed parse notes that something was skipped, and only
/// then a key scan finds each unknown field and its position.
pub(crate) fn parse_meetings(
    path: &str,
    text: &str,
) -> Result<Vec<Sourced<Box<RawMeeting>>>, Vec<Diagnostic>> {
    let parsed = yaml::parse_noting_unknown::<MeetingFile>(path, text);
    let mut diags = match parsed {
        Ok((_, false)) => Vec::new(),
        // A parse error may come from a misspelt field (say, `dayz: x` beside a missing `day`),
        // so the scan runs then too.
        _ => unknown_meeting_fields(path, text),
    };
    match parsed {
        Ok((file, _)) if diags.is_empty() => Ok(match file {
            MeetingFile::One(m) => vec![Sourced {
                path: path.to_string(),
                record: m,
            }],
            MeetingFile::Many(ms) => ms
                .into_iter()
                .map(|record| Sourced {
                    path: path.to_string(),
                    record: Box::new(record),
                })
                .collect(),
        }),
        Ok(_) => Err(diags),
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// Each top-level field of the meetings in `text` that a meeting does not have.
fn unknown_meeting_fields(path: &str, text: &str) -> Vec<Diagnostic> {
    let Ok(KeyScan(records)) = yaml::parse::<KeyScan>(path, text) else {
        return Vec::new();
    };
    records
        .iter()
        .flatten()
        .filter(|key| !records::MEETING_FIELDS.contains(&key.value.as_str()))
        .map(|key| yaml::unknown_field_diagnostic(path, key, records::MEETING_FIELDS))
        .collect()
}

/// Reads and parses files in parallel, keeping the input order.
fn parse_all<T: Send>(
    root: &Path,
    paths: &[PathBuf],
    parse: impl Fn(&str, &str) -> Result<Vec<T>, Vec<Diagnostic>> + Sync,
) -> (Vec<T>, Diagnostics) {
    let results: Vec<Result<Vec<T>, Vec<Diagnostic>>> = paths
        .par_iter()
        .map(|p| {
            let text = read(root, p).map_err(|d| vec![d])?;
            parse(&rel_path(root, p), &text)
        })
        .collect();
    // Records are large (every field carries its position), so the vector is sized once
    // rather than grown and copied.
    let mut out = Vec::with_capacity(results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum());
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(items) => out.extend(items),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    (out, diags)
}

pub(crate) fn read(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_string(),
            std::io::ErrorKind::InvalidData => "the file is not valid UTF-8 text".to_string(),
            _ => format!("cannot read the file: {e}"),
        };
        Diagnostic::new(rel_path(root, path), Pos::default(), message)
    })
}

/// Files below `dir` with one of `extensions` (any file when empty), sorted, skipping hidden
/// files and editor backups so a half-saved swap file never becomes a record.
pub fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            extensions.is_empty()
                || p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.iter().any(|e| x.eq_ignore_ascii_case(e)))
        })
        .collect();
    out.sort();
    out
}

/// Hidden files, editor swap and backup files.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}
