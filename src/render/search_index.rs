//! The finder's data: a compact JSON index of every published meeting (`find/index.json`).
//!
//! The finder script (`themes/default/static/finder.js`) downloads it once and filters in the
//! visitor's browser, so nothing a visitor searches for or where they are ever leaves the device.
//! It is compact because a visitor on a slow phone connection pays for every byte: rows are
//! arrays rather than objects, and repeated values (locations, types, regions, time zones) are
//! stored once in a table and referred to by index.
//!
//! Layout (version 1), documented for theme authors in `docs/finder.md`:
//!
//! ```text
//! { "v": 1, "base": "/",
//!   "zones":     ["America/Chicago", ...],
//!   "types":     [[code, name, slug], ...],
//!   "regions":   [[name, key, parent index or -1], ...],
//!   "locations": [[name, address, city, latitude or null, longitude or null], ...],
//!                (places people go to only: never an approximate area)
//!   "meetings":  [[slug, name, group, location index or -1, notes (plain text),
//!                  [type index...], [day 0-6, Sunday = 0...], start minute, end minute,
//!                  zone index, attendance (0 in person, 1 online, 2 hybrid),
//!                  region index or -1, closed (0/1), recurrence note,
//!                  rule (0 weekly | [1, [weeks...]] monthly | [2, "YYYY-MM-DD"] biweekly),
//!                  [skipped dates "YYYY-MM-DD"...],
//!                  online (0 | [join URL or "", tel: URI or ""])], ...] }
//! ```

use std::collections::BTreeMap;

use chrono::Timelike;
use serde_json::{Value, json};

use super::i18n::Strings;
use super::i18n::format;
use super::{Output, markdown};
use crate::model::schedule::day_number;
use crate::model::{Attendance, Meeting, Recurrence, Site, Status};

/// A meeting's rule as `time.js` reads it: 0 every week, `[1, [weeks...]]` those weeks of the
/// month (-1 the last), `[2, "YYYY-MM-DD"]` every other week from that date.
pub(crate) fn rule(m: &Meeting) -> Value {
    match &m.recurrence {
        Recurrence::Weekly => json!(0),
        Recurrence::Monthly(weeks) => json!([1, weeks]),
        Recurrence::Biweekly(from) => json!([2, from.to_string()]),
    }
}

/// Where the index is written, relative to the site root.
pub(crate) const PATH: &str = "find/index.json";

/// Query values for attendance; they share the `type` parameter with meeting types, as the
/// widely used meeting-finder widgets do, and win over a site type of the same slug.
pub(crate) const ATTENDANCE_KEYS: [&str; 3] = ["in-person", "online", "hybrid"];

/// The key a region has in finder URLs (`region=downtown`): its own URL segment when no other
/// region has the same one, else its whole path with `--` between segments (values of one
/// query parameter are joined with `/`, so a key cannot contain one).
pub(crate) fn region_keys(site: &Site) -> BTreeMap<String, String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for path in site.regions.by_path.keys() {
        *seen.entry(leaf(path)).or_default() += 1;
    }
    site.regions
        .by_path
        .keys()
        .map(|path| {
            let key = if seen.get(leaf(path)) == Some(&1) {
                leaf(path).to_string()
            } else {
                path.replace('/', "--")
            };
            (path.clone(), key)
        })
        .collect()
}

fn leaf(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Regions in tree order (each followed by its children), with their depth.
pub(crate) fn region_order(site: &Site) -> Vec<(&str, usize)> {
    fn walk<'a>(
        site: &'a Site,
        paths: &'a [String],
        depth: usize,
        out: &mut Vec<(&'a str, usize)>,
    ) {
        for p in paths {
            if let Some(rg) = site.regions.get(p) {
                out.push((rg.path.as_str(), depth));
                walk(site, &rg.children, depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(site.regions.len());
    walk(site, &site.regions.roots, 0, &mut out);
    out
}

/// Renders the index.
pub(crate) fn render(site: &Site, s: &Strings) -> Output {
    let base = &site.config.base_path();

    let mut zones: Vec<&str> = vec![site.config.timezone.name()];
    for m in &site.meetings {
        if !zones.contains(&m.timezone.name()) {
            zones.push(m.timezone.name());
        }
    }

    let codes = site.used_types();
    let types: Vec<Value> = codes
        .iter()
        .map(|c| {
            let t = site.types.get(c);
            json!([
                c,
                t.map_or(*c, |t| t.name.as_str()),
                t.map_or(*c, |t| t.slug.as_str())
            ])
        })
        .collect();

    let keys = region_keys(site);
    let order = region_order(site);
    let region_index: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (*p, i))
        .collect();
    let regions: Vec<Value> = order
        .iter()
        .map(|(p, _)| {
            let rg = site.regions.get(p);
            let parent = p
                .rsplit_once('/')
                .and_then(|(parent, _)| region_index.get(parent))
                .map_or(-1, |i| *i as i64);
            json!([
                rg.map_or("", |r| r.name.as_str()),
                keys.get(*p).map_or(*p, String::as_str),
                parent
            ])
        })
        .collect();

    // Only places people go to: an approximate area is neither named nor a distance away.
    let mut place_index: Vec<i64> = vec![-1; site.locations.len()];
    let locations: Vec<Value> = site
        .places()
        .enumerate()
        .map(|(n, (i, l))| {
            if let Some(slot) = place_index.get_mut(i) {
                *slot = n as i64;
            }
            json!([
                l.name,
                l.address.as_deref().unwrap_or(""),
                l.city.as_deref().unwrap_or(""),
                l.latitude,
                l.longitude
            ])
        })
        .collect();

    let meetings: Vec<Value> = site
        .meetings
        .iter()
        .map(|m| {
            let region = crate::model::region::path_of(&m.region);
            let rule = rule(m);
            json!([
                m.slug,
                m.name,
                m.group.as_deref().unwrap_or(""),
                m.place
                    .and_then(|i| place_index.get(i).copied())
                    .unwrap_or(-1),
                m.notes.as_deref().map(markdown::plain).unwrap_or_default(),
                m.types
                    .iter()
                    .filter_map(|c| codes.iter().position(|x| x == c))
                    .collect::<Vec<_>>(),
                m.days.iter().map(|d| day_number(*d)).collect::<Vec<_>>(),
                m.time.hour() * 60 + m.time.minute(),
                m.end_time.hour() * 60 + m.end_time.minute(),
                zones
                    .iter()
                    .position(|z| *z == m.timezone.name())
                    .unwrap_or(0),
                match m.attendance() {
                    Attendance::InPerson => 0,
                    Attendance::Online => 1,
                    Attendance::Hybrid => 2,
                },
                region_index.get(region.as_str()).map_or(-1, |i| *i as i64),
                u8::from(m.status == Status::TemporarilyClosed),
                format::recurrence(m, s).unwrap_or_default(),
                rule,
                m.skip.iter().map(ToString::to_string).collect::<Vec<_>>(),
                match &m.online {
                    Some(o) => json!([
                        o.url.as_deref().unwrap_or(""),
                        o.phone.as_deref().map(super::urls::tel).unwrap_or_default()
                    ]),
                    None => json!(0),
                },
            ])
        })
        .collect();

    let index = json!({
        "v": 1,
        "base": base,
        "zones": zones,
        "types": types,
        "regions": regions,
        "locations": locations,
        "meetings": meetings,
    });
    Output::text(PATH, index.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_is_last_segment() {
        assert_eq!(leaf("a/b/c"), "c");
        assert_eq!(leaf("a"), "a");
    }
}
