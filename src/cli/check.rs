//! `lantern check`: validate everything, write nothing.

use std::path::Path;

use crate::diagnostics::Error;

pub fn run(site: &Path) -> Result<(), Error> {
    let s = crate::build::check(site)?;
    println!(
        "No problems found: {} meetings, {} locations, {} pages.",
        s.meetings.len(),
        s.locations.len(),
        s.pages.len()
    );
    Ok(())
}
