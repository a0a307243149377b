//! Stage 1, load: read a site folder from disk and parse every file into raw records.
//!
//! Nothing here judges the values: it only reports files that cannot be read or parsed. All
//! files are read and parsed (in parallel) even when some fail, so every problem is reported.

pub(crate) mod cache;
pub(crate) mod pages;
pub(crate) mod records;
pub(crate) mod walk;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, display_path, rel_path};
use crate::model::StaticFile;
use records::{MeetingFile, RawFrontMatter, RawLocation, RawMeeting, RawSite};
use walk::read;
pub(crate) use walk::read_checked;
pub(crate) use walk::{files, is_ignored};
use yaml::KeyScan;

/// The content folder inside a site.
pub(crate) const CONTENT_DIR: &str = "content";

/// A parsed record and the file it came from (relative to the site folder).
#[derive(Debug)]
pub(crate) struct Sourced<T> {
    pub(crate) path: String,
    pub(crate) record: T,
}

/// A Markdown page with parsed front matter.
#[derive(Debug)]
pub(crate) struct RawPage {
    pub(crate) path: String,
    /// Path below `content/pages/` without the `.md` extension.
    pub(crate) stem: String,
    pub(crate) front: RawFrontMatter,
    pub(crate) body: String,
}

/// Everything read from a site folder.
#[derive(Debug)]
pub(crate) struct RawInput {
    pub(crate) root: PathBuf,
    pub(crate) site: Option<Sourced<RawSite>>,
    pub(crate) locations: Vec<Sourced<RawLocation>>,
    /// Boxed: a record with every field's position is large, and a site has many.
    pub(crate) meetings: Vec<Sourced<Box<RawMeeting>>>,
    pub(crate) pages: Vec<RawPage>,
    pub(crate) static_files: Vec<StaticFile>,
}

impl RawInput {
    /// A site with no records yet.
    pub(crate) fn empty(root: &Path) -> Self {
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
pub(crate) fn load(root: &Path) -> (RawInput, Diagnostics) {
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
        listed(
            root,
            &content.join("locations"),
            &["yaml", "yml"],
            &mut diags,
        ),
        parse_locations,
    );
    input.locations = locations;
    diags.extend(d);

    let (meetings, d) = parse_all(
        root,
        listed(
            root,
            &content.join("meetings"),
            &["yaml", "yml"],
            &mut diags,
        ),
        parse_meetings,
    );
    input.meetings = meetings;
    diags.extend(d);

    let (pages, d) = parse_all(
        root,
        listed(root, &content.join("pages"), &["md"], &mut diags),
        parse_page,
    );
    input.pages = pages;
    diags.extend(d);

    let (static_files, problems) = static_files(root);
    input.static_files = static_files;
    problems.into_iter().for_each(|d| diags.push(d));
    (input, diags)
}

/// The files of `dir`; the problems met listing them go to `diags`.
fn listed(root: &Path, dir: &Path, extensions: &[&str], diags: &mut Diagnostics) -> Vec<PathBuf> {
    let (files, problems) = files(root, dir, extensions);
    problems.into_iter().for_each(|d| diags.push(d));
    files
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
    let text = read_checked(root, &site_path).map_err(|d| {
        d.with_hint("every site needs content/site.yaml with at least title, base_url and timezone")
    })?;
    yaml::parse::<RawSite>(&path, &text).map(|record| Sourced { path, record })
}

/// A location file: one location, named by its file.
pub(crate) fn parse_locations(path: &str, text: &str) -> Parsed<Sourced<RawLocation>> {
    match yaml::parse::<RawLocation>(path, text) {
        Ok(record) => (
            vec![Sourced {
                path: path.to_string(),
                record,
            }],
            Vec::new(),
        ),
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// A Markdown page with front matter.
pub(crate) fn parse_page(path: &str, text: &str) -> Parsed<RawPage> {
    match pages::parse(path, text) {
        Ok((front, body)) => {
            let stem = Path::new(path)
                .strip_prefix("content/pages")
                .unwrap_or(Path::new(path))
                .with_extension("");
            (
                vec![RawPage {
                    path: path.to_string(),
                    stem: display_path(&stem),
                    front,
                    body,
                }],
                Vec::new(),
            )
        }
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// Files of `content/static/`, copied as they are, and the problems met listing them.
pub(crate) fn static_files(root: &Path) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let static_dir = root.join(CONTENT_DIR).join("static");
    let (files, problems) = files(root, &static_dir, &[]);
    let files = files
        .into_iter()
        .map(|source| StaticFile {
            path: rel_path(&static_dir, &source),
            source,
        })
        .collect();
    (files, problems)
}

/// A meetings file: one meeting or a list. Every unknown top-level field is reported, and the
/// records are kept beside those problems, so validation reports the file's other problems in
/// the same run: the typed parse notes that something was skipped, and only then a key scan
/// finds each unknown field and its position.
pub(crate) fn parse_meetings(path: &str, text: &str) -> Parsed<Sourced<Box<RawMeeting>>> {
    let parsed = yaml::parse_noting_unknown::<MeetingFile>(path, text);
    let mut diags = match parsed {
        Ok((_, false)) => Vec::new(),
        // A parse error may come from a misspelt field (say, `dayz: x` beside a missing `day`),
        // so the scan runs then too.
        _ => unknown_meeting_fields(path, text),
    };
    let records = match parsed {
        Ok((MeetingFile::One(m), _)) => vec![Sourced {
            path: path.to_string(),
            record: m,
        }],
        Ok((MeetingFile::Many(ms), _)) => ms
            .into_iter()
            .map(|record| Sourced {
                path: path.to_string(),
                record: Box::new(record),
            })
            .collect(),
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    };
    (records, diags)
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

/// The records of one file and the problems found in it. A file may have both: its records
/// are still validated, so every problem is reported at once.
pub(crate) type Parsed<T> = (Vec<T>, Vec<Diagnostic>);

/// Reads and parses files in parallel, keeping the input order.
fn parse_all<T: Send>(
    root: &Path,
    paths: Vec<PathBuf>,
    parse: impl Fn(&str, &str) -> Parsed<T> + Sync,
) -> (Vec<T>, Diagnostics) {
    let results: Vec<Parsed<T>> = paths
        .par_iter()
        .map(|p| match read(root, p) {
            Ok(text) => parse(&rel_path(root, p), &text),
            Err(d) => (Vec::new(), vec![d]),
        })
        .collect();
    // Records are large (every field carries its position), so the vector is sized once
    // rather than grown and copied.
    let mut out = Vec::with_capacity(results.iter().map(|r| r.0.len()).sum());
    let mut diags = Diagnostics::default();
    for (items, ds) in results {
        out.extend(items);
        ds.into_iter().for_each(|d| diags.push(d));
    }
    (out, diags)
}
