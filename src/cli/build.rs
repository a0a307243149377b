//! `lantern build`.

use std::path::PathBuf;

use crate::build::{BuildOptions, build};
use crate::diagnostics::{Error, display_path};

/// Turns raw arguments into build options.
pub fn options(
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

pub fn run(opts: BuildOptions) -> Result<(), Error> {
    if let Some(url) = &opts.base_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(Error::Other(format!(
            "--base-url `{url}` must start with http:// or https://"
        )));
    }
    let report = build(&opts)?;
    println!(
        "Built {} meetings and {} pages: {} files in {} ms -> {}",
        report.meetings,
        report.pages,
        report.files,
        report.elapsed.as_millis(),
        display_path(&opts.output)
    );
    Ok(())
}
