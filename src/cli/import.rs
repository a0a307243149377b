//! `lantern import`: bring an existing meeting list into a site as YAML records.

use std::path::PathBuf;

use crate::diagnostics::{Error, display_path};
use crate::import::{ImportOptions, Source, run as import};

/// Turns raw arguments into import options.
pub fn options(from: &str, file: PathBuf, site: PathBuf, force: bool) -> Result<ImportOptions, Error> {
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
    println!(
        "Imported {} meetings and {} new locations{} from {} into {}.",
        report.meetings,
        report.locations,
        if report.locations_reused > 0 {
            format!(" (and {} locations the site had)", report.locations_reused)
        } else {
            String::new()
        },
        display_path(&opts.file),
        display_path(&opts.site)
    );
    println!("Wrote {} files:", report.files.len());
    for f in &report.files {
        println!("  {f}");
    }
    if report.notes.is_empty() {
        println!("Every field and value was carried over.");
    } else {
        println!(
            "Not carried over, or changed ({}):",
            report.notes.len()
        );
        for n in &report.notes {
            println!("  {}: {}", n.origin, n.message);
        }
    }
    println!("Every written file was read back and checked. Run `lantern build` to see the site.");
    Ok(())
}
