//! `lantern import`: moves an existing meeting list into a site as YAML records.
//!
//! Each source (a saved Meeting Guide feed, the 12 Step Meeting List plugin's CSV export, a
//! BMLT `GetSearchResults` answer) is read into source-neutral drafts. Then two steps:
//! [`plan`] decides every file from the drafts and what the site already has, without
//! touching the disk (meetings in `content/meetings/`, locations de-duplicated by address in
//! `content/locations/`, custom types and a new site's settings in `content/site.yaml`);
//! [`apply`] refuses to overwrite anything without `--force`, writes the files, and reads the
//! site back through Lantern's own loader and validator. If that fails, every written file is
//! restored or removed and the error is returned.
//!
//! What lives where:
//! - [`meeting_guide`], [`tsml_csv`], [`bmlt`]: one reader per source, each turning its input
//!   into Meeting Guide-shaped objects;
//! - [`common`]: those objects to drafts, with a note for everything that cannot be carried
//!   over;
//! - [`draft`]: the drafts themselves ([`Draft`], [`Place`], [`Parsed`]);
//! - [`existing`]: what the target site already has, the only disk read before planning;
//! - [`plan`]: drafts and the existing site to a [`plan::Plan`] (pure, unit-tested without a
//!   site);
//! - [`records`]: the text of each planned file, through [`yaml`], the one YAML writer (also
//!   used by `lantern new`);
//! - [`names`]: the one way to make a name unique (`hall`, `hall-2`, ...);
//! - [`apply`]: conflicts, writes, read-back check, undo.

pub(crate) mod apply;
pub(crate) mod bmlt;
pub(crate) mod common;
pub(crate) mod draft;
pub(crate) mod existing;
pub(crate) mod meeting_guide;
pub(crate) mod names;
pub(crate) mod plan;
pub(crate) mod records;
pub(crate) mod tsml_csv;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Error, display_path};

pub(crate) use draft::{CustomType, Draft, OnlineDraft, Parsed, Place, SiteHints};

/// Where the list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    MeetingGuide,
    TsmlCsv,
    Bmlt,
}

impl Source {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Source::MeetingGuide => "Meeting Guide feed",
            Source::TsmlCsv => "12 Step Meeting List CSV",
            Source::Bmlt => "BMLT GetSearchResults JSON",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ImportOptions {
    pub(crate) from: Source,
    pub(crate) file: PathBuf,
    pub(crate) site: PathBuf,
    pub(crate) force: bool,
}

/// A field or value that could not be carried over, and the record it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Note {
    pub(crate) origin: String,
    pub(crate) message: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) meetings: usize,
    pub(crate) locations: usize,
    /// Locations of the site that imported meetings now use, found by address.
    pub(crate) locations_reused: usize,
    /// Files written, relative to the site folder.
    pub(crate) files: Vec<String>,
    pub(crate) notes: Vec<Note>,
}

/// Reads the input file and imports it into the site.
pub(crate) fn run(opts: &ImportOptions) -> Result<Report, Error> {
    let bytes = std::fs::read(&opts.file).map_err(|e| Error::Io {
        context: format!("cannot read {}", display_path(&opts.file)),
        source: e,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Other(format!(
            "{} is not UTF-8 text; save it as UTF-8 and try again",
            display_path(&opts.file)
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let file = display_path(&opts.file);
    let parsed = match opts.from {
        Source::MeetingGuide => meeting_guide::parse(text),
        Source::TsmlCsv => tsml_csv::parse(text),
        Source::Bmlt => bmlt::parse(text),
    }
    .map_err(|e| Error::Other(format!("{file} is not a {}: {e}", opts.from.label())))?;
    import(parsed, &opts.site, opts.force)
}

/// Plans, writes and verifies the import of `parsed` into `site`.
pub(crate) fn import(parsed: Parsed, site: &Path, force: bool) -> Result<Report, Error> {
    let ex = existing::existing(site)?;
    let plan = plan::plan(parsed, &ex, force)?;
    apply::apply(site, plan, force)
}
