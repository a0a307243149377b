//! `lantern new meeting|location "Name"`: write a valid, commented record for editors to fill in.
//!
//! The record is checked by the real validation (together with the site's other records)
//! before it is written, so a wrong day, time or location gets the same message `lantern
//! check` would give, and nothing is written.

use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostics, Error, display_path};
use crate::load::{self, CONTENT_DIR};

/// What to create.
#[derive(Clone, Debug)]
pub(crate) enum NewRecord {
    Meeting {
        name: String,
        day: Option<String>,
        time: Option<String>,
        location: Option<String>,
        online: Option<String>,
    },
    Location {
        name: String,
    },
}

pub(crate) fn run(site: &Path, what: &NewRecord) -> Result<(), Error> {
    if !site.join(CONTENT_DIR).is_dir() {
        return Err(Error::single(load::no_content(site)));
    }
    let (folder, name) = match what {
        NewRecord::Meeting { name, .. } => ("meetings", name),
        NewRecord::Location { name } => ("locations", name),
    };
    if name.trim().is_empty() {
        return Err(Error::hinted(
            "the name is empty",
            "give the name in quotes, e.g. \"Monday Night Group\"",
        ));
    }
    let slug = {
        let s = crate::model::url_slug(name);
        if s.is_empty() {
            if folder == "meetings" {
                "meeting"
            } else {
                "location"
            }
            .to_string()
        } else {
            s.chars()
                .take(64)
                .collect::<String>()
                .trim_end_matches('-')
                .to_string()
        }
    };
    let dir = site.join(CONTENT_DIR).join(folder);
    for ext in ["yaml", "yml"] {
        let existing = dir.join(format!("{slug}.{ext}"));
        if existing.exists() {
            return Err(Error::hinted(
                format!("{} already exists", display_path(&existing)),
                "edit that file, or choose a different name; `lantern new` never overwrites files",
            ));
        }
    }
    let rel = format!("{CONTENT_DIR}/{folder}/{slug}.yaml");
    let text = match what {
        NewRecord::Meeting {
            name,
            day,
            time,
            location,
            online,
        } => meeting_text(
            &slug,
            name,
            day.as_deref(),
            time.as_deref(),
            location.as_deref(),
            online.as_deref(),
        )?,
        NewRecord::Location { name } => location_text(&slug, name),
    };
    check(site, &rel, &text, folder)?;

    let target = dir.join(format!("{slug}.yaml"));
    fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", display_path(&dir)), e))?;
    // `create_new` so a file that appeared meanwhile is still never overwritten.
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| Error::io(format!("cannot create {}", display_path(&target)), e))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", display_path(&target)), e))?;
    println!("Created {}", display_path(&target));
    println!("Open it in your editor: the comments explain each field.");
    Ok(())
}

/// A value as the record format writes it (the same writer `lantern import` uses): plain
/// where YAML cannot misread it, else double-quoted.
fn quoted(s: &str) -> String {
    crate::import::yaml::block_scalar(s.trim())
}

fn meeting_text(
    slug: &str,
    name: &str,
    day: Option<&str>,
    time: Option<&str>,
    location: Option<&str>,
    online: Option<&str>,
) -> Result<String, Error> {
    if location.is_none() && online.is_none() {
        return Err(Error::hinted(
            "this meeting has neither a `location` nor `online` details",
            "add `--location <slug>` for an in-person meeting (see content/locations/), or `--online <url>`",
        ));
    }
    let mut t = String::new();
    t.push_str(&format!(
        "# A meeting. The file name ({slug}) is the meeting's address: /meetings/{slug}/\n\
         # Lines starting with # are comments; remove the # to use a field.\n\n"
    ));
    t.push_str(&format!(
        "# The meeting's name as members know it.\nname: {}\n\n",
        quoted(name)
    ));
    let guessed = day.is_none() || time.is_none();
    t.push_str(&format!(
        "# The weekday, or several in brackets: [monday, thursday]\nday: {}\n\n",
        day.map_or("monday".to_string(), |d| quoted(&d.to_lowercase()))
    ));
    t.push_str(&format!(
        "# Start time, 24-hour clock in quotes: \"19:00\" is 7 pm.\ntime: {}\n\n",
        quoted(time.unwrap_or("19:00"))
    ));
    t.push_str(
        "# End time; leave it out for a one-hour meeting.\n# end_time: \"20:00\"\n\n\
         # Type codes, e.g. O (open), C (closed), D (discussion), B (Big Book), ST (step study).\n\
         # types: [O, D]\n\n",
    );
    match location {
        Some(l) => t.push_str(&format!(
            "# Where it meets: the name of a file in content/locations/ without .yaml.\nlocation: {}\n\n",
            quoted(l)
        )),
        None => t.push_str(
            "# Where it meets: the name of a file in content/locations/ without .yaml.\n# location: community-hall\n\n",
        ),
    }
    match online {
        Some(u) => t.push_str(&format!(
            "# How to join online: a link and/or a phone number.\nonline:\n  url: {}\n  # phone: \"+1 555 555 0100,,123456#\"\n  # notes: Meeting ID 123 456 789\n\n",
            quoted(u)
        )),
        None => t.push_str(
            "# How to join online (for online or hybrid meetings):\n# online:\n#   url: https://example.org/join\n#   phone: \"+1 555 555 0100,,123456#\"\n\n",
        ),
    }
    t.push_str(
        "# Anything else newcomers should know (Markdown).\n# notes: Use the side door.\n\n\
         # Set when the meeting pauses: temporarily-closed (with closed_until: YYYY-MM-DD) or inactive.\n",
    );
    if guessed {
        t.push_str(
            "# The day or time above is a placeholder: this line keeps the meeting off the site\n\
             # until you have checked them. Then delete it.\nstatus: inactive\n",
        );
    } else {
        t.push_str("# status: active\n");
    }
    Ok(t)
}

fn location_text(slug: &str, name: &str) -> String {
    format!(
        "# A location. The file name ({slug}) is how meetings refer to it: `location: {slug}`,\n\
         # and its page is /locations/{slug}/ once a meeting uses it.\n\
         # Lines starting with # are comments; remove the # to use a field.\n\n\
         # The building or place, as people would look for it.\nname: {}\n\n\
         # Street address, then city, state or province, postal code and country code.\n\
         # address: 1 Example Street\n# city: Springfield\n# state: IL\n# postal_code: \"62701\"\n# country: US\n\n\
         # Regions from general to specific; meetings here are listed under them.\n\
         # region: [Sangamon County, Springfield]\n\n\
         # Map position (decimal degrees), for the directions link.\n\
         # latitude: 39.80000\n# longitude: -89.64400\n\n\
         # How to find the room (Markdown).\n# notes: Use the side door; the room is downstairs.\n",
        quoted(name)
    )
}

/// Validates the new record with the site's other records; reports only its own problems.
fn check(site: &Path, rel: &str, text: &str, folder: &str) -> Result<(), Error> {
    let (mut raw, _) = load::load(site);
    let mut problems = if folder == "meetings" {
        let (records, problems) = load::parse_meetings(rel, text);
        raw.meetings.extend(records);
        problems
    } else {
        let (records, problems) = load::parse_locations(rel, text);
        raw.locations.extend(records);
        problems
    };
    if problems.is_empty()
        && let Err(ds) = crate::validate::validate_ref(&raw, Diagnostics::default())
    {
        problems = ds.0.into_iter().filter(|d| d.path == rel).collect();
    }
    if problems.is_empty() {
        return Ok(());
    }
    // The file does not exist, so its line numbers mean nothing to the user: show the
    // messages and hints alone.
    let text = problems
        .drain(..)
        .map(|d| match d.hint {
            Some(h) => format!("{}\n  hint: {h}", d.message),
            None => d.message,
        })
        .collect::<Vec<_>>()
        .join("\nerror: ");
    Err(Error::Other(format!("{text}\n  (nothing was written)")))
}
