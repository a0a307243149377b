//! Planning an import: from the drafts and what the site already has to every file that will
//! be written, the names chosen and the notes for the report. Pure: nothing here reads or
//! writes a file, so it is unit-tested on data in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;

use super::existing::Existing;
use super::names::{MAX_CUSTOM_CODE, unique_name};
use super::records::{add_types, location_yaml, meeting_yaml, new_site_yaml};
use super::yaml::list_item;
use super::{CustomType, Draft, Note, Parsed, Place, SiteHints};
use crate::diagnostics::Error;
use crate::model::Entity;
use crate::render::meeting_guide::plain_text;
use crate::validate::is_slug;

/// An approximate place that is nothing but an area: no name of its own, no position, no
/// notes. It says no more than a site's `service_area` would.
fn is_bare_area(p: &Place) -> bool {
    let f = p.formatted();
    p.approximate
        && !f.is_empty()
        && p.name.as_ref().is_none_or(|n| *n == f)
        && p.latitude.is_none()
        && p.notes.is_none()
}

fn online_meetings_give(count: usize) -> String {
    if count == 1 {
        "1 online meeting gives".into()
    } else {
        format!("{count} online meetings give")
    }
}

/// A text in lower case with its spacing collapsed: how import compares names and addresses.
fn folded(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two texts equal but for case and spacing.
fn same_text(a: &str, b: &str) -> bool {
    folded(a) == folded(b)
}

/// The one area every online meeting without a place of its own gives (Lantern's own feed
/// gives its `service_area` this way): None when any of them gives another, or none at all,
/// since a `service_area` would then say something the input did not.
fn shared_service_area(drafts: &[Draft]) -> Option<String> {
    let mut area: Option<String> = None;
    for d in drafts.iter().filter(|d| d.online.is_some()) {
        match &d.place {
            Some(p) if is_bare_area(p) => {
                let f = p.formatted();
                match &area {
                    Some(a) if !same_text(a, &f) => return None,
                    Some(_) => {}
                    None => area = Some(f),
                }
            }
            Some(p) if !p.approximate => {}
            _ => return None,
        }
    }
    area
}

/// A venue: its address key with its name and notes, ignoring case and spacing. Two venues at
/// one address (a hall and the club upstairs) stay two locations.
pub(crate) fn venue_key(p: &Place) -> String {
    let norm = |s: &Option<String>| folded(s.as_deref().unwrap_or_default());
    format!("{}|{}|{}", address_key(p), norm(&p.name), norm(&p.notes))
}

/// Locations are the same place when their printed address (and whether it is approximate)
/// match, ignoring case and spacing. A place with no address is known by its name.
fn address_key(p: &Place) -> String {
    let f = p.formatted();
    let base = if f.is_empty() {
        format!("name:{}", p.name.clone().unwrap_or_default())
    } else {
        f
    };
    format!("{}|{}", folded(&base), p.approximate)
}

pub(crate) struct PlannedLocation {
    pub(crate) slug: String,
    pub(crate) place: Place,
    pub(crate) region: Option<Vec<String>>,
    /// The time zone all its meetings share, when it is not the site's.
    pub(crate) timezone: Option<String>,
    /// Written as a new file (false: an existing location of the site).
    pub(crate) write: bool,
}

/// Record files, relative to the site folder, with their text.
pub(crate) type Files = Vec<(String, String)>;

/// What an import writes, decided from the input and what the site already has; no file is
/// read or written here.
pub(crate) struct Plan {
    /// site.yaml's new text, when it changes.
    pub(crate) site_yaml: Option<String>,
    pub(crate) files: Files,
    pub(crate) drafts: Vec<Draft>,
    /// Each draft's meeting slug.
    pub(crate) slugs: Vec<String>,
    /// Each slug's notes as written (Markdown), for the read-back check.
    pub(crate) expected_notes: BTreeMap<String, Option<String>>,
    pub(crate) locations: usize,
    pub(crate) locations_reused: usize,
    pub(crate) notes: Vec<Note>,
}

/// Plans the import of `parsed` into a site that has `ex`; `force` lets the plan replace the
/// site's own location records instead of reusing them.
pub(crate) fn plan(mut parsed: Parsed, ex: &Existing, force: bool) -> Result<Plan, Error> {
    fit_custom_types(&mut parsed, &ex.custom_codes);
    let mut notes = std::mem::take(&mut parsed.notes);
    let mut drafts = merge_days(std::mem::take(&mut parsed.meetings), &mut notes);
    if drafts.is_empty() {
        let mut msg = "no meeting could be imported".to_string();
        for n in &notes {
            msg.push_str(&format!("\n  {}: {}", n.origin, n.message));
        }
        return Err(Error::Other(msg));
    }

    let site_tz = ex.timezone.clone().or_else(|| {
        parsed
            .hints
            .timezones
            .iter()
            .max_by_key(|(z, n)| (**n, std::cmp::Reverse((*z).clone())))
            .map(|(z, _)| z.clone())
    });
    let new_area = take_service_area(&mut drafts, ex, &mut notes);
    let slugs = meeting_slugs(&drafts, ex, &mut notes);
    let venues = plan_locations(&drafts, ex, force, site_tz.as_deref());
    time_zone_notes(
        &drafts,
        &venues,
        site_tz.as_deref(),
        ex.timezone.is_some(),
        &mut notes,
    );

    // Custom types the site does not define yet.
    let used: BTreeSet<&str> = drafts
        .iter()
        .flat_map(|d| d.types.iter().map(String::as_str))
        .collect();
    let new_types: Vec<&CustomType> = parsed
        .custom_types
        .iter()
        .filter(|t| used.contains(t.code.as_str()) && !ex.custom_codes.contains_key(&t.code))
        .collect();

    let mut files: Files = venues
        .planned
        .iter()
        .filter(|l| l.write)
        .map(|loc| {
            (
                format!("content/locations/{}.yaml", loc.slug),
                location_yaml(loc),
            )
        })
        .collect();
    let (meeting_files, expected_notes) =
        meeting_files(&drafts, &slugs, &venues, site_tz.as_deref(), &mut notes);
    files.extend(meeting_files);

    let site_yaml = match &ex.site_yaml {
        None => {
            let site = new_site(
                &parsed.hints,
                site_tz.as_deref(),
                new_area.as_deref(),
                &mut notes,
            );
            Some(new_site_yaml(&site, &new_types))
        }
        Some(old) if !new_types.is_empty() => Some(add_types(old, &new_types)),
        Some(_) => None,
    };

    Ok(Plan {
        site_yaml,
        files,
        locations: venues.planned.iter().filter(|l| l.write).count(),
        locations_reused: venues.planned.iter().filter(|l| !l.write).count(),
        drafts,
        slugs,
        expected_notes,
        notes,
    })
}

/// A new site's settings, from what the input says about its publisher.
pub(crate) struct NewSite<'a> {
    pub(crate) title: &'a str,
    pub(crate) base_url: String,
    pub(crate) timezone: &'a str,
    pub(crate) service_area: Option<&'a str>,
    pub(crate) edit_url: Option<&'a str>,
    pub(crate) feedback_email: Option<&'a str>,
    pub(crate) entity: &'a Entity,
}

/// A new site's settings; a value the input cannot give gets a placeholder and a note.
fn new_site<'a>(
    h: &'a SiteHints,
    tz: Option<&'a str>,
    service_area: Option<&'a str>,
    notes: &mut Vec<Note>,
) -> NewSite<'a> {
    let base = base_url(&h.urls);
    if base.is_none() {
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: "the input gives no meeting page addresses to learn the site's address from: `base_url` is https://example.org/; set it".into(),
        });
    }
    if tz.is_none() {
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: "the input names no time zone: `timezone` is UTC; set the site's own".into(),
        });
    }
    let feedback_email = h.feedback_email.as_deref().filter(|e| {
        let ok = crate::validate::fields::is_email(e);
        if !ok {
            notes.push(Note {
                origin: "content/site.yaml".into(),
                message: format!(
                    "`feedback_emails` {e:?} is not an e-mail address Lantern accepts (one address, user@example.org): `feedback_email` left out"
                ),
            });
        }
        ok
    });
    NewSite {
        title: h.entity.name.as_deref().unwrap_or("Meetings"),
        base_url: base.unwrap_or_else(|| "https://example.org/".into()),
        timezone: tz.unwrap_or("UTC"),
        service_area,
        // Sites whose records are not all under one address get none.
        edit_url: h.edit_url.as_deref().filter(|_| !h.edit_url_mixed),
        feedback_email,
        entity: &h.entity,
    }
}

/// New site: one approximate area shared by the online meetings becomes its `service_area`
/// (returned, for site.yaml). An existing site's own area stands for the meetings that give
/// exactly that area. Either way those meetings lose their place, so no location is written
/// for an area.
fn take_service_area(drafts: &mut [Draft], ex: &Existing, notes: &mut Vec<Note>) -> Option<String> {
    let area = match (&ex.site_yaml, &ex.service_area) {
        (None, _) => shared_service_area(drafts),
        (Some(_), Some(own)) => shared_service_area(drafts).filter(|a| same_text(a, own)),
        (Some(_), None) => None,
    };
    if let Some(a) = &area {
        let mut count = 0;
        for d in drafts.iter_mut() {
            if d.place.as_ref().is_some_and(is_bare_area) {
                d.place = None;
                count += 1;
            }
        }
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: if ex.site_yaml.is_none() {
                format!(
                    "{} only the area {a:?}: written once as `service_area`, not as a location",
                    online_meetings_give(count)
                )
            } else {
                format!(
                    "{} only the site's own `service_area` {a:?}: no location written for {}",
                    online_meetings_give(count),
                    if count == 1 { "it" } else { "them" }
                )
            },
        });
    }
    area.filter(|_| ex.site_yaml.is_none())
}

/// Each draft's meeting slug: its own when that is valid, at most 64 characters and free,
/// else one made from it (or from the name) and made unique in the site. A slug the site
/// uses for the very file a draft goes to is free: that is the same meeting imported again.
fn meeting_slugs(drafts: &[Draft], ex: &Existing, notes: &mut Vec<Note>) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut slugs = Vec::with_capacity(drafts.len());
    for d in drafts {
        let wanted = d.slug.clone().unwrap_or_default();
        let mut base = if is_slug(&wanted) && wanted.len() <= crate::validate::MAX_SLUG {
            wanted.clone()
        } else {
            let from = if wanted.is_empty() { &d.name } else { &wanted };
            let mut s = slug::slugify(from);
            if s.is_empty() {
                s = "meeting".into();
            }
            s.truncate(crate::validate::MAX_SLUG - 4);
            s.trim_end_matches('-').to_string()
        };
        if base.is_empty() {
            base = "meeting".into();
        }
        let slug = unique_name(&base, crate::validate::MAX_SLUG, |slug| {
            taken.contains(slug)
                || ex
                    .meeting_slugs
                    .get(slug)
                    .is_some_and(|src| *src != d.path(slug))
        });
        if !wanted.is_empty() && slug != wanted {
            notes.push(Note {
                origin: d.origin.clone(),
                message: format!("slug {wanted:?} is used or not URL-safe: written as `{slug}`"),
            });
        }
        taken.insert(slug.clone());
        slugs.push(slug);
    }
    slugs
}

/// The locations the meetings use, and which one each meeting uses.
struct Venues {
    planned: Vec<PlannedLocation>,
    /// Per draft: its index in `planned`, None for a meeting without a place.
    of_meeting: Vec<Option<usize>>,
}

/// The drafts' places as locations, de-duplicated by venue; a venue the site has already is
/// reused (unless `force`). A location carries the region and the time zone when all its
/// meetings agree on them.
fn plan_locations(drafts: &[Draft], ex: &Existing, force: bool, site_tz: Option<&str>) -> Venues {
    let mut planned: Vec<PlannedLocation> = Vec::new();
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut meeting_loc: Vec<Option<usize>> = Vec::with_capacity(drafts.len());
    let mut loc_slugs_taken = ex.location_slugs.clone();
    for d in drafts {
        let Some(p) = &d.place else {
            meeting_loc.push(None);
            continue;
        };
        let mut p = p.clone();
        if p.name.is_none() {
            let f = p.formatted();
            p.name = Some(if f.is_empty() { d.name.clone() } else { f });
        }
        let key = venue_key(&p);
        // One venue: same address, name and notes, and no other position. Another venue at
        // the same address is its own location, so nothing either record says is lost.
        let same = by_key.get(&key).into_iter().flatten().copied().find(|i| {
            planned.get(*i).is_some_and(|l| {
                let q = &l.place;
                q.latitude.is_none()
                    || p.latitude.is_none()
                    || (q.latitude == p.latitude && q.longitude == p.longitude)
            })
        });
        if let Some(first) = same.and_then(|i| planned.get_mut(i)) {
            let first = &mut first.place;
            if first.latitude.is_none() && p.latitude.is_some() {
                first.latitude = p.latitude;
                first.longitude = p.longitude;
            }
            meeting_loc.push(same);
            continue;
        }
        let (slug, write) = match ex.locations.get(&key) {
            Some(slug) if !force => (slug.clone(), false),
            _ => {
                let base = {
                    let mut s = slug::slugify(p.name.as_deref().unwrap_or("location"));
                    if s.is_empty() {
                        s = "location".into();
                    }
                    s.truncate(60);
                    s.trim_end_matches('-').to_string()
                };
                let planned_slugs: BTreeSet<&str> =
                    planned.iter().map(|l| l.slug.as_str()).collect();
                let slug = unique_name(&base, crate::validate::MAX_SLUG, |slug| {
                    planned_slugs.contains(slug) || (!force && loc_slugs_taken.contains(slug))
                });
                (slug, true)
            }
        };
        loc_slugs_taken.insert(slug.clone());
        by_key.entry(key).or_default().push(planned.len());
        planned.push(PlannedLocation {
            slug,
            place: p,
            region: None,
            timezone: None,
            write,
        });
        meeting_loc.push(Some(planned.len() - 1));
    }
    for (i, loc) in planned.iter_mut().enumerate() {
        if !loc.write {
            continue;
        }
        let meetings = || {
            drafts
                .iter()
                .zip(&meeting_loc)
                .filter(move |(_, l)| **l == Some(i))
                .map(|(d, _)| d)
        };
        let regions: BTreeSet<&Vec<String>> = meetings().map(|d| &d.region).collect();
        if regions.len() == 1 {
            loc.region = regions.into_iter().next().cloned();
        }
        let zones: BTreeSet<Option<&String>> = meetings().map(|d| d.timezone.as_ref()).collect();
        if zones.len() == 1 {
            loc.timezone = zones
                .into_iter()
                .next()
                .flatten()
                .filter(|z| Some(z.as_str()) != site_tz)
                .cloned();
        }
    }
    Venues {
        planned,
        of_meeting: meeting_loc,
    }
}

/// The meeting record files with their text (several meetings in one file make a list, each
/// with its slug), and each slug's notes as written, for the read-back check.
fn meeting_files(
    drafts: &[Draft],
    slugs: &[String],
    venues: &Venues,
    site_tz: Option<&str>,
    notes: &mut Vec<Note>,
) -> (Files, BTreeMap<String, Option<String>>) {
    struct Record<'a> {
        draft: &'a Draft,
        slug: &'a str,
        location: Option<&'a PlannedLocation>,
        notes: Option<String>,
    }
    let mut expected_notes = BTreeMap::new();
    let mut by_file: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for ((d, slug), loc) in drafts.iter().zip(slugs).zip(&venues.of_meeting) {
        let md_notes = d.notes.as_deref().map(|n| {
            let (md, exact) = markdown_notes(n);
            if !exact {
                notes.push(Note {
                    origin: d.origin.clone(),
                    message: "notes have spacing or marks that Markdown cannot keep exactly; the feed will show them slightly differently".into(),
                });
            }
            md
        });
        expected_notes.insert(slug.clone(), md_notes.clone());
        by_file.entry(d.path(slug)).or_default().push(Record {
            draft: d,
            slug,
            location: loc.and_then(|l| venues.planned.get(l)),
            notes: md_notes,
        });
    }
    let files = by_file
        .into_iter()
        .map(|(path, records)| {
            let stem = Path::new(&path)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let yaml = |r: &Record, slug: Option<&str>| {
                meeting_yaml(r.draft, slug, r.location, site_tz, r.notes.as_deref())
            };
            let text = match records.as_slice() {
                [one] => yaml(one, Some(one.slug).filter(|s| *s != stem)),
                many => many
                    .iter()
                    .map(|r| list_item(&yaml(r, Some(r.slug))))
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            (path, text)
        })
        .collect();
    (files, expected_notes)
}

/// Says which time zone meetings without one were given, and warns when locations lie
/// obviously far from the zone their meetings take (a Berlin list imported into a site in
/// Chicago would otherwise meet seven hours off, in silence).
fn time_zone_notes(
    drafts: &[Draft],
    venues: &Venues,
    site_tz: Option<&str>,
    existing_site: bool,
    notes: &mut Vec<Note>,
) {
    let without = drafts.iter().filter(|d| d.timezone.is_none()).count();
    if let Some(zone) = site_tz
        && without > 0
    {
        let (count, verb) = if without == 1 {
            ("1 meeting".to_string(), "names")
        } else {
            (format!("{without} meetings"), "name")
        };
        let why = if existing_site {
            "the site's time zone"
        } else {
            "the time zone most meetings of the input name"
        };
        notes.push(Note {
            origin: "input".into(),
            message: format!("{count} {verb} no time zone: {zone} ({why}) is assumed for them"),
        });
    }
    // Zone -> the far locations of meetings in it.
    let mut far: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (d, loc) in drafts.iter().zip(&venues.of_meeting) {
        let Some((i, l)) = loc.and_then(|i| Some((i, venues.planned.get(i)?))) else {
            continue;
        };
        let (Some(_), Some(lon)) = (l.place.latitude, l.place.longitude) else {
            continue;
        };
        let Some(zone) = d.timezone.as_deref().or(l.timezone.as_deref()).or(site_tz) else {
            continue;
        };
        if hours_from_zone(lon, zone).is_some_and(|h| h > 3.0) {
            far.entry(zone).or_default().insert(i);
        }
    }
    for (zone, locs) in far {
        let Some(first) = locs.iter().next().and_then(|i| venues.planned.get(*i)) else {
            continue;
        };
        let (lat, lon) = (
            first.place.latitude.unwrap_or_default(),
            first.place.longitude.unwrap_or_default(),
        );
        let hours = hours_from_zone(lon, zone).unwrap_or_default().round();
        let count = if locs.len() == 1 {
            "1 location lies".to_string()
        } else {
            format!("{} locations lie", locs.len())
        };
        notes.push(Note {
            origin: "input".into(),
            message: format!(
                "warning: {count} far from {zone}, the time zone their meetings take: `{}` at {lat}, {lon} is about {hours} hours from it by its longitude; if that is wrong, set `timezone` on those locations or in content/site.yaml",
                first.slug
            ),
        });
    }
}

/// How many hours the sun time at `longitude` is from the nearer of the zone's winter and
/// summer offsets (None for an unknown zone). Real zones stay within about three hours.
fn hours_from_zone(longitude: f64, zone: &str) -> Option<f64> {
    use chrono::{Offset, TimeZone};
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let solar = longitude / 15.0;
    [1, 7]
        .into_iter()
        .filter_map(|month| {
            let at = NaiveDate::from_ymd_opt(2026, month, 15)?.and_hms_opt(12, 0, 0)?;
            let offset = tz.offset_from_utc_datetime(&at).fix().local_minus_utc();
            let d = (solar - f64::from(offset) / 3600.0).abs() % 24.0;
            Some(d.min(24.0 - d))
        })
        .reduce(f64::min)
}

/// Fits the input's custom types to the site's own: a type the site has by name takes the
/// site's code, and a code the site uses for another type is given a new one.
fn fit_custom_types(parsed: &mut Parsed, site: &BTreeMap<String, String>) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = site.keys().cloned().collect();
    taken.extend(parsed.custom_types.iter().map(|t| t.code.clone()));
    for t in &mut parsed.custom_types {
        let same_name = site
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(&t.name))
            .map(|(code, _)| code.clone());
        let new_code = match same_name {
            Some(code) => code,
            None if site.contains_key(&t.code) => {
                // `t.code` itself is taken (by the site), so the first free one has a suffix.
                unique_name(&t.code, MAX_CUSTOM_CODE, |c| {
                    taken.contains(c) || c == t.code
                })
            }
            None => continue,
        };
        if new_code != t.code {
            taken.insert(new_code.clone());
            renames.insert(t.code.clone(), new_code.clone());
            t.code = new_code;
        }
    }
    if renames.is_empty() {
        return;
    }
    for m in &mut parsed.meetings {
        for code in &mut m.types {
            if let Some(new) = renames.get(code) {
                *code = new.clone();
            }
        }
        let mut seen = BTreeSet::new();
        m.types.retain(|c| seen.insert(c.clone()));
    }
    for (old, new) in &renames {
        parsed.notes.push(Note {
            origin: "content/site.yaml".into(),
            message: format!(
                "custom type `{old}` is written as `{new}`, to fit the site's own types"
            ),
        });
    }
}

/// Merges drafts that are the same meeting on different days (one row per day in spreadsheets
/// and BMLT) into one multi-day meeting.
fn merge_days(drafts: Vec<Draft>, notes: &mut Vec<Note>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for d in drafts {
        let key = d.same_meeting_key();
        if let Some(m) = index.get(&key).and_then(|i| out.get_mut(*i)) {
            if d.days.iter().all(|day| !m.days.contains(day)) {
                m.days.extend(d.days.iter().copied());
                m.days.sort_by_key(|x| x.num_days_from_sunday());
                continue;
            }
            notes.push(Note {
                origin: d.origin.clone(),
                message: format!("the same meeting as {} on the same day: left out", m.origin),
            });
            continue;
        }
        index.insert(key, out.len());
        out.push(d);
    }
    out
}

/// Notes as Markdown that prints back as exactly the given plain text where possible.
fn markdown_notes(plain: &str) -> (String, bool) {
    let plain = plain.replace("\r\n", "\n").trim().to_string();
    if plain_text(&plain) == plain {
        return (plain, true);
    }
    let mut out = String::with_capacity(plain.len() + 8);
    for (i, line) in plain.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
        for (j, ch) in line.char_indices() {
            let at_start = j == 0;
            let list_mark = j == digits && digits > 0 && matches!(ch, '.' | ')');
            if matches!(
                ch,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '!' | '|' | '~'
            ) || (at_start && matches!(ch, '-' | '+' | '='))
                || list_mark
            {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    let exact = plain_text(&out) == plain;
    if exact { (out, true) } else { (plain, false) }
}

/// The site's address, when every meeting's `url` is `<base>meetings/<slug>/`.
fn base_url(urls: &[(String, String)]) -> Option<String> {
    let mut base: Option<String> = None;
    for (url, slug) in urls {
        let u = url.trim_end_matches('/');
        let b = u.strip_suffix(&format!("meetings/{slug}"))?;
        if !crate::validate::fields::is_base_url(b) {
            return None;
        }
        match &base {
            Some(x) if x != b => return None,
            _ => base = Some(b.to_string()),
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::meeting_guide;

    /// Planning touches no file: a plan for a new site comes from the input alone, with
    /// every file it will write and the site's settings.
    #[test]
    fn a_plan_is_made_without_any_site_on_disk() {
        let feed = r#"[
            {"name": "Online A", "slug": "a", "day": 1, "time": "19:00",
             "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/1",
             "formatted_address": "Springfield, IL, USA", "approximate": "yes"},
            {"name": "Hall B", "slug": "b", "day": 2, "time": "07:00",
             "timezone": "America/Chicago", "location": "Grace Church",
             "formatted_address": "1 Main St, Springfield, IL 62701, USA"}
        ]"#;
        let parsed = meeting_guide::parse(feed).unwrap();
        let plan = plan(parsed, &Existing::default(), false).unwrap();
        let paths: Vec<&str> = plan.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "content/locations/grace-church.yaml",
                "content/meetings/a.yaml",
                "content/meetings/b.yaml"
            ]
        );
        let site_yaml = plan.site_yaml.unwrap();
        assert!(
            site_yaml.contains("\ntimezone: America/Chicago\n"),
            "{site_yaml}"
        );
        assert!(
            site_yaml.contains("\nservice_area: Springfield, IL, USA\n"),
            "{site_yaml}"
        );
        assert_eq!((plan.locations, plan.locations_reused), (1, 0));
    }

    #[test]
    fn notes_that_look_like_markdown_are_escaped() {
        for plain in [
            "Plain text, it's fine.",
            "*Not* emphasis and [not] a link <b>",
            "1. not a list\n- nor this\n# nor a heading",
            "Fish & chips &amp; more",
            "back\\slash",
        ] {
            let (md, exact) = markdown_notes(plain);
            assert!(exact, "{plain}");
            assert_eq!(plain_text(&md), plain);
        }
    }

    #[test]
    fn base_url_from_meeting_urls() {
        let urls = vec![
            ("https://x.org/aa/meetings/a/".to_string(), "a".to_string()),
            ("https://x.org/aa/meetings/b".to_string(), "b".to_string()),
        ];
        assert_eq!(base_url(&urls).as_deref(), Some("https://x.org/aa/"));
        let other = vec![("https://x.org/m?id=1".to_string(), "a".to_string())];
        assert_eq!(base_url(&other), None);
    }

    fn parse(feed: &str) -> Parsed {
        meeting_guide::parse(feed).unwrap()
    }

    fn paths(plan: &Plan) -> Vec<&str> {
        plan.files.iter().map(|(p, _)| p.as_str()).collect()
    }

    fn messages(plan: &Plan) -> Vec<String> {
        plan.notes
            .iter()
            .map(|n| format!("{}: {}", n.origin, n.message))
            .collect()
    }

    /// A venue as `existing()` reads it from a site's location record.
    fn venue(name: &str, address: &str) -> String {
        let mut p = Place {
            name: Some(name.into()),
            ..Place::default()
        };
        p.set_formatted(address);
        venue_key(&p)
    }

    /// A site that has what an import of [`TWO_HALLS`] wrote.
    fn site_after_two_halls() -> Existing {
        Existing {
            timezone: Some("America/Chicago".into()),
            site_yaml: Some("title: X\n".into()),
            meeting_slugs: [
                ("hall".to_string(), "content/meetings/hall.yaml".to_string()),
                ("hall-2".into(), "content/meetings/hall-2.yaml".into()),
            ]
            .into(),
            locations: [
                (
                    venue("Grace Church", "1 Main St, Springfield, IL 62701, USA"),
                    "grace-church".to_string(),
                ),
                (
                    venue("Grace Church", "5 Elm St, Springfield, IL 62701, USA"),
                    "grace-church-2".to_string(),
                ),
            ]
            .into(),
            location_slugs: ["grace-church".to_string(), "grace-church-2".into()].into(),
            ..Existing::default()
        }
    }

    /// Two meetings that both want the slug `hall`, at two venues that are both named
    /// Grace Church.
    const TWO_HALLS: &str = r#"[
        {"name": "Hall", "slug": "hall", "day": 1, "time": "19:00",
         "timezone": "America/Chicago", "location": "Grace Church",
         "formatted_address": "1 Main St, Springfield, IL 62701, USA"},
        {"name": "Hall", "slug": "hall", "day": 1, "time": "20:00",
         "timezone": "America/Chicago", "location": "Grace Church",
         "formatted_address": "5 Elm St, Springfield, IL 62701, USA"}
    ]"#;

    #[test]
    fn names_that_collide_in_the_input_count_up() {
        let plan = plan(parse(TWO_HALLS), &Existing::default(), false).unwrap();
        assert_eq!(
            paths(&plan),
            [
                "content/locations/grace-church.yaml",
                "content/locations/grace-church-2.yaml",
                "content/meetings/hall-2.yaml",
                "content/meetings/hall.yaml",
            ]
        );
        assert_eq!(plan.slugs, ["hall", "hall-2"]);
        assert!(
            messages(&plan).contains(
                &"meeting 2 (Hall): slug \"hall\" is used or not URL-safe: written as `hall-2`"
                    .to_string()
            ),
            "{:?}",
            plan.notes
        );
        let (_, second) = &plan.files[3 - 1];
        assert!(second.contains("\nlocation: grace-church-2\n"), "{second}");
    }

    /// A site whose `hall` meeting and `grace-church` location are other records: the import
    /// takes the next free names and leaves the site's own alone.
    #[test]
    fn names_the_site_uses_for_other_records_are_not_taken() {
        let ex = Existing {
            timezone: Some("America/Chicago".into()),
            site_yaml: Some("title: X\n".into()),
            meeting_slugs: [(
                "hall".to_string(),
                "content/meetings/more/hall.yaml".to_string(),
            )]
            .into(),
            location_slugs: ["grace-church".to_string()].into(),
            ..Existing::default()
        };
        let plan = plan(parse(TWO_HALLS), &ex, false).unwrap();
        assert_eq!(
            paths(&plan),
            [
                "content/locations/grace-church-2.yaml",
                "content/locations/grace-church-3.yaml",
                "content/meetings/hall-2.yaml",
                "content/meetings/hall-3.yaml",
            ]
        );
        assert_eq!(plan.site_yaml, None);
        assert_eq!((plan.locations, plan.locations_reused), (2, 0));
    }

    /// The same input again: the same meeting files (which apply then refuses to overwrite
    /// without --force), the site's locations reused by venue, no name changed.
    #[test]
    fn the_same_source_again_plans_the_same_files() {
        let first = plan(parse(TWO_HALLS), &Existing::default(), false).unwrap();
        let again = plan(parse(TWO_HALLS), &site_after_two_halls(), false).unwrap();
        assert_eq!(again.slugs, first.slugs);
        assert_eq!(
            paths(&again),
            ["content/meetings/hall-2.yaml", "content/meetings/hall.yaml"]
        );
        assert_eq!((again.locations, again.locations_reused), (0, 2));
        // The names the input's own collision needs, and no others.
        let renamed = |p: &Plan| {
            messages(p)
                .into_iter()
                .filter(|m| m.contains("written as"))
                .collect::<Vec<_>>()
        };
        assert_eq!(renamed(&again), renamed(&first));
        assert_eq!(renamed(&again).len(), 1);
        // The meeting records are the very ones written the first time.
        for (path, text) in &again.files {
            assert!(
                first.files.contains(&(path.clone(), text.clone())),
                "{path}"
            );
        }
        // With --force the location records are written again, under their own names.
        let forced = plan(parse(TWO_HALLS), &site_after_two_halls(), true).unwrap();
        assert_eq!(paths(&forced), paths(&first));
    }

    /// Meetings that shared a file in the source site share it again, each with its slug,
    /// whatever their fields hold.
    #[test]
    fn meetings_of_one_source_file_make_a_list() {
        let feed = r#"[
            {"name": "Two\nLines", "slug": "x", "day": 1, "time": "19:00",
             "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/1",
             "edit_url": "https://github.com/o/r/edit/main/content/meetings/group.yaml"},
            {"name": "y", "slug": "y", "day": 2, "time": "19:00",
             "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/2",
             "notes": "First\n\nSecond",
             "edit_url": "https://github.com/o/r/edit/main/content/meetings/group.yaml"}
        ]"#;
        let plan = plan(parse(feed), &Existing::default(), false).unwrap();
        assert_eq!(paths(&plan), ["content/meetings/group.yaml"]);
        let (_, text) = &plan.files[0];
        let back: Vec<BTreeMap<String, serde_json::Value>> =
            serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let field = |i: usize, k: &str| back[i][k].as_str().map(str::to_string);
        assert_eq!(field(0, "name").as_deref(), Some("Two\nLines"), "{text}");
        assert_eq!(field(0, "slug").as_deref(), Some("x"), "{text}");
        assert_eq!(field(1, "name").as_deref(), Some("y"), "{text}");
        assert_eq!(field(1, "slug").as_deref(), Some("y"), "{text}");
        assert_eq!(
            field(1, "notes").as_deref(),
            Some("First\n\nSecond"),
            "{text}"
        );
    }
}
