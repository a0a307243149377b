//! `/meetings.csv`: the meeting list as a spreadsheet, in the column layout the 12 Step Meeting
//! List plugin imports (its `template.csv`), one row per meeting and day.
//!
//! Types are written by name, as the plugin's import expects; a meeting on several days gets
//! one row per day with the same slug (the plugin numbers repeated slugs itself).

use crate::model::schedule::hhmm;

use super::Output;
use super::i18n::Strings;
use super::meeting_guide::{TEMPORARILY_CLOSED, feed_notes, updated_utc};
use crate::model::schedule::english_day_name;
use crate::model::{Site, Status};

/// The header row. `Address` holds the whole postal address, as in the plugin's own export.
pub const COLUMNS: &[&str] = &[
    "Time",
    "End Time",
    "Day",
    "Name",
    "Location",
    "Address",
    "Region",
    "Sub Region",
    "Types",
    "Notes",
    "Location Notes",
    "Timezone",
    "Group",
    "Email",
    "Conference URL",
    "Conference URL Notes",
    "Conference Phone",
    "Conference Phone Notes",
    "Latitude",
    "Longitude",
    "Slug",
    "Updated",
];

pub(crate) fn render(site: &Site, strings: &Strings) -> Vec<Output> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(site.meetings.len() * 400));
    let en = crate::model::TypeTable::builtin("en");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for m in &site.meetings {
        let loc = site.location_of(m);
        let mut types: Vec<String> = m.types.iter().map(|c| english_name(site, &en, c)).collect();
        if m.status == Status::TemporarilyClosed {
            types.push(english_name(site, &en, TEMPORARILY_CLOSED));
        }
        let (region, sub_region) = match m.region.as_slice() {
            [] => (String::new(), String::new()),
            [one] => (one.clone(), String::new()),
            [.., general, specific] => (general.clone(), specific.clone()),
        };
        let online = m.online.as_ref();
        let opt = |v: Option<&String>| v.cloned().unwrap_or_default();
        for d in &m.days {
            rows.push(vec![
                hhmm(m.time),
                hhmm(m.end_time),
                english_day_name(*d).to_string(),
                m.name.clone(),
                loc.map(|l| l.name.clone()).unwrap_or_default(),
                loc.map(|l| l.formatted_address())
                    .or_else(|| site.service_area_of(m).map(str::to_string))
                    .unwrap_or_default(),
                region.clone(),
                sub_region.clone(),
                types.join(", "),
                feed_notes(m, strings).unwrap_or_default(),
                opt(loc.and_then(|l| l.notes.as_ref())),
                m.timezone.name().to_string(),
                opt(m.group.as_ref()),
                opt(m.contact_email.as_ref()),
                opt(online.and_then(|o| o.url.as_ref())),
                opt(online.and_then(|o| o.notes.as_ref())),
                opt(online.and_then(|o| o.phone.as_ref())),
                opt(online.and_then(|o| o.phone_notes.as_ref())),
                loc.and_then(|l| l.latitude)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                loc.and_then(|l| l.longitude)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                m.slug.clone(),
                updated_utc(m).unwrap_or_default(),
            ]);
        }
    }
    let mut ok = w.write_record(COLUMNS).is_ok();
    for r in &rows {
        let cells: Vec<_> = r.iter().map(|cell| neutralise(cell)).collect();
        ok &= w.write_record(cells.iter().map(|c| c.as_bytes())).is_ok();
    }
    // Writing into memory cannot fail; an empty file would still be a valid (empty) list.
    let bytes = if ok {
        w.into_inner().unwrap_or_default()
    } else {
        Vec::new()
    };
    vec![Output::text(
        "meetings.csv",
        String::from_utf8(bytes).unwrap_or_default(),
    )]
}

/// The plugin matches type names in English, whatever the site's language.
/// A cell as a spreadsheet cannot run it. A cell that starts with `=`, `+`, `-` or `@` (also
/// after spaces, tabs or line breaks, which spreadsheets skip), or with a tab or carriage
/// return, is a formula to Excel, LibreOffice and Google Sheets: `=HYPERLINK(...)` in a
/// meeting's name would become a link on an intergroup volunteer's screen. As OWASP's
/// CSV-injection guidance says, such cells get a leading `'`, which spreadsheets take as "this
/// is text" and do not show. Numbers and dial strings (`-89.64`, `+1 555 0100,,123#`) cannot
/// call anything and stay as they are, so coordinates and phone numbers keep working.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let starts_formula = cell.starts_with(['\t', '\r'])
        || cell
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .starts_with(['=', '+', '-', '@']);
    let dial_string = cell.chars().all(|c| {
        c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | ',' | '*' | '#' | '(' | ')')
    });
    if starts_formula && !dial_string {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn english_name(site: &Site, en: &crate::model::TypeTable, code: &str) -> String {
    match site.types.get(code) {
        Some(t) if t.custom => t.name.clone(),
        _ => en.get(code).map_or(code.to_string(), |t| t.name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_numbers_and_phones_kept() {
        for (cell, out) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|'/C calc'!A0", "'-2+3+cmd|'/C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("  =1+1", "'  =1+1"),
            ("\t=1+1", "'\t=1+1"),
            ("\r\n=1+1", "'\r\n=1+1"),
            ("\tplain", "'\tplain"),
            ("-89.64", "-89.64"),
            ("+1 555 0100,,123456#", "+1 555 0100,,123456#"),
            ("Monday Night", "Monday Night"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
        }
    }
}
