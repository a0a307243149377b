//! `lantern import`: bring an existing meeting list into a site as YAML records.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostics::{Error, display_path, plural};
use crate::import::{ImportOptions, Source, run as import};

/// What `--from` names; clap lists and checks the values (`meeting-guide`, `tsml-csv`, `bmlt`),
/// so a wrong one is a usage error before anything is read.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum ImportFrom {
    MeetingGuide,
    TsmlCsv,
    Bmlt,
}

/// Turns raw arguments into import options.
pub(crate) fn options(
    from: ImportFrom,
    file: PathBuf,
    site: PathBuf,
    force: bool,
) -> ImportOptions {
    let from = match from {
        ImportFrom::MeetingGuide => Source::MeetingGuide,
        ImportFrom::TsmlCsv => Source::TsmlCsv,
        ImportFrom::Bmlt => Source::Bmlt,
    };
    ImportOptions {
        from,
        file,
        site,
        force,
    }
}

pub(crate) fn run(opts: ImportOptions) -> Result<(), Error> {
    let report = import(&opts)?;
    // Printing can fail (a closed pipe); the import is done by then, so that is not an error.
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "Imported {} and {}{} from {} into {}.",
        plural(report.meetings, "meeting", "meetings"),
        plural(report.locations, "new location", "new locations"),
        if report.locations_reused > 0 {
            format!(
                " (and {} the site had)",
                plural(report.locations_reused, "location", "locations")
            )
        } else {
            String::new()
        },
        display_path(&opts.file),
        display_path(&opts.site)
    );
    let _ = writeln!(
        out,
        "Wrote {}:",
        plural(report.files.len(), "file", "files")
    );
    for f in &report.files {
        let _ = writeln!(out, "  {f}");
    }
    if report.notes.is_empty() {
        let _ = writeln!(out, "Every field and value was carried over.");
    } else {
        let _ = writeln!(
            out,
            "Not carried over, or changed ({}):",
            report.notes.len()
        );
        for n in &report.notes {
            let _ = writeln!(out, "  {}: {}", n.origin, n.message);
        }
    }
    let _ = writeln!(
        out,
        "Every written file was read back and checked. Run `lantern build` to see the site."
    );
    Ok(())
}
