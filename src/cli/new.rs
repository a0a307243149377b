//! `lantern new meeting|location "Name"`: write a valid, commented record for editors to fill in.
//!
//! The record is checked by the real validation (together with the site's other records)
//! before it is written, so a wrong day, time or location gets the same message `lantern
//! check` would give, and nothing is written.

use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostics, Error, display_path};
use crate::import::yaml::Writer;
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
    // Values go through import's writer, one line each: plain where YAML cannot misread them,
    // else double-quoted.
    let mut w = Writer::default();
    w.comment(
        0,
        &format!(
            "A meeting. The file name ({slug}) is the meeting's address: /meetings/{slug}/\n\
             Lines starting with # are comments; remove the # to use a field."
        ),
    );
    w.blank();
    w.comment(0, "The meeting's name as members know it.");
    w.line(0, "name", name.trim());
    w.blank();
    w.comment(0, "The weekday, or several in brackets: [monday, thursday]");
    w.line(
        0,
        "day",
        day.map_or("monday".into(), str::to_lowercase).trim(),
    );
    w.blank();
    w.comment(0, "Start time, 24-hour clock in quotes: \"19:00\" is 7 pm.");
    w.line(0, "time", time.unwrap_or("19:00").trim());
    w.blank();
    w.comment(
        0,
        "End time; leave it out for a one-hour meeting.\nend_time: \"20:00\"",
    );
    w.blank();
    w.comment(
        0,
        "Type codes, e.g. O (open), C (closed), D (discussion), B (Big Book), ST (step study).\n\
         types: [O, D]",
    );
    w.blank();
    w.comment(
        0,
        "Where it meets: the name of a file in content/locations/ without .yaml.",
    );
    match location {
        Some(l) => w.line(0, "location", l.trim()),
        None => w.comment(0, "location: community-hall"),
    }
    w.blank();
    match online {
        Some(u) => {
            w.comment(0, "How to join online: a link and/or a phone number.");
            w.key(0, "online");
            w.line(2, "url", u.trim());
            w.comment(
                2,
                "phone: \"+1 555 555 0100,,123456#\"\nnotes: Meeting ID 123 456 789",
            );
        }
        None => w.comment(
            0,
            "How to join online (for online or hybrid meetings):\nonline:\n  \
             url: https://example.org/join\n  phone: \"+1 555 555 0100,,123456#\"",
        ),
    }
    w.blank();
    w.comment(
        0,
        "Anything else newcomers should know (Markdown).\nnotes: Use the side door.",
    );
    w.blank();
    w.comment(
        0,
        "Set when the meeting pauses: temporarily-closed (with closed_until: YYYY-MM-DD) or inactive.",
    );
    if day.is_none() || time.is_none() {
        w.comment(
            0,
            "The day or time above is a placeholder: this line keeps the meeting off the site\n\
             until you have checked them. Then delete it.",
        );
        w.raw(0, "status", "inactive");
    } else {
        w.comment(0, "status: active");
    }
    Ok(w.out)
}

fn location_text(slug: &str, name: &str) -> String {
    let mut w = Writer::default();
    w.comment(
        0,
        &format!(
            "A location. The file name ({slug}) is how meetings refer to it: `location: {slug}`,\n\
             and its page is /locations/{slug}/ once a meeting uses it.\n\
             Lines starting with # are comments; remove the # to use a field."
        ),
    );
    w.blank();
    w.comment(0, "The building or place, as people would look for it.");
    w.line(0, "name", name.trim());
    w.blank();
    w.comment(
        0,
        "Street address, then city, state or province, postal code and country code.\n\
         address: 1 Example Street\ncity: Springfield\nstate: IL\npostal_code: \"62701\"\n\
         country: US",
    );
    w.blank();
    w.comment(
        0,
        "Regions from general to specific; meetings here are listed under them.\n\
         region: [Sangamon County, Springfield]",
    );
    w.blank();
    w.comment(
        0,
        "Map position (decimal degrees), for the directions link.\n\
         latitude: 39.80000\nlongitude: -89.64400",
    );
    w.blank();
    w.comment(
        0,
        "How to find the room (Markdown).\nnotes: Use the side door; the room is downstairs.",
    );
    w.out
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
