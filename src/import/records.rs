//! The text of the files an import writes: meeting and location records and site.yaml, in a
//! fixed field order, through the [`yaml`] writer.

use chrono::{NaiveTime, TimeDelta, Timelike};

use super::plan::{NewSite, PlannedLocation};
use super::{CustomType, Draft, yaml};
use crate::model::schedule::day_key;

/// A time as a record writes it: `"19:00"` (quoted, so YAML never reads it as a number).
fn hhmm(t: NaiveTime) -> String {
    format!("\"{}\"", crate::model::schedule::hhmm(t))
}

/// A meeting record; `slug` is written when the file name does not give it (a file of
/// several meetings, or a file kept from the source site). `notes` are the draft's notes as
/// Markdown.
pub(crate) fn meeting_yaml(
    d: &Draft,
    slug: Option<&str>,
    loc: Option<&PlannedLocation>,
    site_tz: Option<&str>,
    notes: Option<&str>,
) -> String {
    let mut w = yaml::Writer::default();
    w.text(0, "name", &d.name);
    w.opt(0, "slug", slug);
    let days: Vec<String> = d.days.iter().map(|x| day_key(*x).to_string()).collect();
    match days.as_slice() {
        [one] => w.raw(0, "day", one),
        many => w.raw(0, "day", &yaml::list(many)),
    }
    w.raw(0, "time", &hhmm(d.time));
    // An hour is what Lantern (and the spec) assume without an end time.
    if let Some(e) = d.end_time
        && e != d.time + TimeDelta::minutes(60)
    {
        w.raw(0, "end_time", &hhmm(e));
    }
    let zone = loc.and_then(|l| l.timezone.as_deref()).or(site_tz);
    if let Some(z) = &d.timezone
        && Some(z.as_str()) != zone
    {
        w.text(0, "timezone", z);
    }
    if !d.types.is_empty() {
        w.raw(0, "types", &yaml::list(&d.types));
    }
    if let Some(l) = loc {
        w.text(0, "location", &l.slug);
    }
    if let Some(o) = &d.online {
        w.key(0, "online");
        w.opt(2, "url", o.url.as_deref());
        w.opt(2, "notes", o.notes.as_deref());
        w.opt(2, "phone", o.phone.as_deref());
        w.opt(2, "phone_notes", o.phone_notes.as_deref());
    }
    let loc_region = loc.and_then(|l| l.region.as_ref());
    if !d.region.is_empty() && loc_region != Some(&d.region) {
        w.raw(0, "region", &yaml::list(&d.region));
    }
    w.opt(0, "group", d.group.as_deref());
    w.opt(0, "notes", notes);
    if d.closed {
        w.raw(0, "status", "temporarily-closed");
    }
    w.opt(0, "contact_email", d.contact_email.as_deref());
    if let Some((date, time)) = d.updated {
        let s = match time.filter(|t| *t != NaiveTime::MIN) {
            Some(t) => format!(
                "{} {:02}:{:02}:{:02}",
                date.format("%Y-%m-%d"),
                t.hour(),
                t.minute(),
                t.second()
            ),
            None => date.format("%Y-%m-%d").to_string(),
        };
        w.text(0, "updated", &s);
    }
    w.out
}

/// A location record.
pub(crate) fn location_yaml(l: &PlannedLocation) -> String {
    let p = &l.place;
    let mut w = yaml::Writer::default();
    w.text(0, "name", p.name.as_deref().unwrap_or(&l.slug));
    w.opt(0, "address", p.address.as_deref());
    w.opt(0, "city", p.city.as_deref());
    w.opt(0, "state", p.state.as_deref());
    w.opt(0, "postal_code", p.postal_code.as_deref());
    w.opt(0, "country", p.country.as_deref());
    if let Some(r) = &l.region
        && !r.is_empty()
    {
        w.raw(0, "region", &yaml::list(r));
    }
    if let (Some(lat), Some(lon)) = (p.latitude, p.longitude) {
        w.raw(0, "latitude", &format!("{lat:?}"));
        w.raw(0, "longitude", &format!("{lon:?}"));
    }
    w.opt(0, "timezone", l.timezone.as_deref());
    w.opt(0, "notes", p.notes.as_deref());
    if p.approximate {
        w.raw(0, "approximate", "true");
    }
    w.out
}

/// site.yaml for a new site.
pub(crate) fn new_site_yaml(site: &NewSite, types: &[&CustomType]) -> String {
    let mut w = yaml::Writer::default();
    w.text(0, "title", site.title);
    w.text(0, "base_url", &site.base_url);
    w.text(0, "timezone", site.timezone);
    w.opt(0, "service_area", site.service_area);
    w.opt(0, "edit_url", site.edit_url);
    w.opt(0, "feedback_email", site.feedback_email);
    let e = site.entity;
    if e.name.is_some() {
        w.key(0, "entity");
        w.opt(2, "name", e.name.as_deref());
        w.opt(2, "email", e.email.as_deref());
        w.opt(2, "phone", e.phone.as_deref());
        w.opt(2, "location", e.location.as_deref());
        w.opt(2, "url", e.url.as_deref());
    }
    if !types.is_empty() {
        w.out.push_str(&types_block(types, None));
    }
    w.out
}

/// The `types:` entries; `item_indent` is the indentation of the `- ` of an existing list
/// (None: a new `types:` key with its list).
fn types_block(types: &[&CustomType], item_indent: Option<usize>) -> String {
    let mut w = yaml::Writer::default();
    let indent = match item_indent {
        Some(i) => i,
        None => {
            w.key(0, "types");
            2
        }
    };
    for t in types {
        w.item(indent);
        w.text(0, "code", &t.code);
        w.text(indent + 2, "name", &t.name);
        w.opt(indent + 2, "description", t.description.as_deref());
    }
    w.out
}

/// Adds custom types to an existing site.yaml, keeping every other line as it is: after the
/// last item of a block-style top-level `types:` list, or as a new `types:` list at the end.
/// (Any other layout fails the read-back check and nothing is kept.)
pub(crate) fn add_types(old: &str, types: &[&CustomType]) -> String {
    let lines: Vec<&str> = old.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == "types:");
    let mut out = String::new();
    let push_lines = |ls: &[&str], out: &mut String| {
        for l in ls {
            out.push_str(l);
            out.push('\n');
        }
    };
    match start.and_then(|s| lines.split_at_checked(s + 1)) {
        Some((head, rest)) => {
            // The list: indented or `-` lines (and empty ones), without the empty lines after
            // its last item.
            let n = rest
                .iter()
                .take_while(|l| l.starts_with(' ') || l.starts_with('-') || l.trim().is_empty())
                .count();
            let trailing = rest
                .iter()
                .take(n)
                .rev()
                .take_while(|l| l.trim().is_empty())
                .count();
            let (list, after) = rest
                .split_at_checked(n.saturating_sub(trailing))
                .unwrap_or((rest, &[]));
            let item_indent = list
                .iter()
                .find(|l| l.trim_start().starts_with('-'))
                .map_or(2, |l| l.len() - l.trim_start().len());
            push_lines(head, &mut out);
            push_lines(list, &mut out);
            out.push_str(&types_block(types, Some(item_indent)));
            push_lines(after, &mut out);
        }
        None => {
            out.push_str(old);
            if !old.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&types_block(types, None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(code: &str, name: &str) -> CustomType {
        CustomType {
            code: code.into(),
            name: name.into(),
            description: None,
        }
    }

    /// New types go after the last item of the site's own list, in its indentation; every
    /// other line stays as it was, empty lines after the list too.
    #[test]
    fn types_are_added_to_the_sites_own_list() {
        let b = ty("B", "Bee");
        let old = "title: X\ntypes:\n    - code: A\n      name: Aa\n\n\nbase_url: https://x.org/\n";
        assert_eq!(
            add_types(old, &[&b]),
            "title: X\ntypes:\n    - code: A\n      name: Aa\n    - code: B\n      name: Bee\n\n\nbase_url: https://x.org/\n"
        );
        let at_end = "title: X\ntypes:\n  - code: A\n    name: Aa";
        assert_eq!(
            add_types(at_end, &[&b]),
            "title: X\ntypes:\n  - code: A\n    name: Aa\n  - code: B\n    name: Bee\n"
        );
        assert_eq!(
            add_types("title: X", &[&b]),
            "title: X\ntypes:\n  - code: B\n    name: Bee\n"
        );
    }
}
