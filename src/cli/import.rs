//! `lantern import`: bring an existing meeting list into a site as YAML records.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostics::{Error, display_path};
use crate::import::{ImportOptions, Source, run as import};

/// Turns raw arguments into import options.
pub fn options(
    from: &str,
    file: PathBuf,
    site: PathBuf,
    force: bool,
) -> Result<ImportOptions, Error> {
    let from = match from {
        "meeting-guide" => Source::MeetingGuide,
        "tsml-csv" => Source::TsmlCsv,
        "bmlt" => Source::Bmlt,
        other => {
            return Err(Error::Other(format!(
                "unknown source `{other}`: use meeting-guide, tsml-csv or bmlt"
            )));
        }
    };
    Ok(ImportOptions {
        from,
        file,
        site,
        force,
    })
}

pub fn run(opts: ImportOptions) -> Result<(), Error> {
    let report = import(&opts)?;
    // Printing can fail (a closed pipe); the import is done by then, so that is not an error.
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "Imported {} and {}{} from {} into {}.",
        count(report.meetings, "meeting", "meetings"),
        count(report.locations, "new location", "new locations"),
        if report.locations_reused > 0 {
            format!(
                " (and {} the site had)",
                count(report.locations_reused, "location", "locations")
            )
        } else {
            String::new()
        },
        display_path(&opts.file),
        display_path(&opts.site)
    );
    let _ = writeln!(out, "Wrote {}:", count(report.files.len(), "file", "files"));
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

/// `1 meeting`, `2 meetings`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
