//! `lantern build`.

use std::path::PathBuf;

use crate::build::{BuildOptions, build};
use crate::diagnostics::{Error, display_path, plural};

/// Turns raw arguments into build options.
pub(crate) fn options(
    site: PathBuf,
    output: Option<PathBuf>,
    base_url: Option<String>,
    force: bool,
) -> BuildOptions {
    let output = output.unwrap_or_else(|| site.join("public"));
    BuildOptions {
        site,
        output,
        base_url,
        force,
    }
}

/// Checks `--base-url` while the arguments are parsed, so a bad one is a usage error (exit 2).
pub(crate) fn base_url(url: &str) -> Result<String, String> {
    if crate::validate::fields::is_http_url(url) && !url.contains(['?', '#']) {
        Ok(url.to_string())
    } else {
        Err(
            "not a web address the site can be published at: give a full address starting with \
             http:// or https://, with nothing after its path, for example \
             https://example.org/meetings/"
                .into(),
        )
    }
}

pub(crate) fn run(opts: BuildOptions) -> Result<(), Error> {
    let report = build(&opts)?;
    for w in &report.warnings.0 {
        eprintln!("{w}");
    }
    println!(
        "Built {} and {}: {} in {} ms -> {}",
        plural(report.meetings, "meeting", "meetings"),
        plural(report.pages, "page", "pages"),
        plural(report.files, "file", "files"),
        report.elapsed.as_millis(),
        display_path(&opts.output)
    );
    Ok(())
}
