//! `lantern check`: validate everything, write nothing.

use std::path::Path;

use crate::diagnostics::{Error, plural};

pub(crate) fn run(site: &Path) -> Result<(), Error> {
    let s = crate::build::check(site)?;
    for w in &s.warnings.0 {
        eprintln!("{w}");
    }
    let warnings = match s.warnings.len() {
        0 => String::new(),
        n => format!("; {}", plural(n, "warning", "warnings")),
    };
    println!(
        "No problems found: {}, {}, {}{warnings}.",
        plural(s.meetings.len(), "meeting", "meetings"),
        plural(s.locations.len(), "location", "locations"),
        plural(s.pages.len(), "page", "pages"),
    );
    if !s.inactive.is_empty() {
        // Records `lantern new` wrote with a guessed day or time stay off the site this way
        // until someone checks them; nobody should wonder where a meeting went.
        println!(
            "Not published (status: inactive): {}",
            s.inactive.join(", ")
        );
    }
    Ok(())
}
