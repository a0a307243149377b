//! Meeting records: schedule, types, location, online details and status.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, TimeDelta, Weekday};
use chrono_tz::Tz;
use rayon::prelude::*;

use super::clock;
use super::fields::{Checker, is_slug, pos, suggest_slug};
use super::{location, parse_status, region_names};
use crate::diagnostics::{Diagnostic, Pos, nearest, nearest_n};
use crate::load::Sourced;
use crate::load::records::{LocationRef, OneOrMany, RawLocation, RawMeeting};
use crate::model::schedule::{self, WEEK, day_key, english_day_name};
use crate::model::types::DERIVED_CODES;
use crate::model::{Field, Location, Meeting, Online, Recurrence, Status, Translations, TypeTable};

/// Longest slug the Meeting Guide feed allows.
pub(crate) const MAX_SLUG: usize = 64;

/// What a multi-day meeting's per-day feed slug adds to its slug: `_` and a three-letter day.
const DAY_SUFFIX: usize = 4;

/// The longest meeting past midnight that is taken as meant (a night or all-night meeting);
/// anything longer gets a warning.
const LONGEST_OVERNIGHT_MINUTES: i64 = 8 * 60;

pub(crate) struct Built {
    /// Published meetings with the slug of their location.
    pub(crate) published: Vec<(Meeting, Option<String>)>,
    /// Where each inactive record is (`path:line:column`), as `check` lists them.
    pub(crate) inactive: Vec<String>,
}

pub(crate) fn build(
    raw: &[Sourced<Box<RawMeeting>>],
    types: &TypeTable,
    locations: &mut BTreeMap<String, (Location, Pos)>,
    broken: &BTreeSet<String>,
    default_tz: Tz,
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Built {
    let mut published = Vec::with_capacity(raw.len());
    let mut inactive = Vec::new();
    // Slug -> index of the record that has it, and where.
    let mut slugs: HashMap<String, (usize, Pos)> = HashMap::with_capacity(raw.len());
    // Records of one file are next to each other: a record shares its file when a neighbour
    // has the same path.
    let in_list = |i: usize| {
        let path = &raw[i].path;
        (i > 0 && raw[i - 1].path == *path) || raw.get(i + 1).is_some_and(|n| n.path == *path)
    };
    // Inline locations are settled first, in file order: identical ones share a slug, and
    // which one gets a suffix depends on the order. Then every meeting is checked in
    // parallel (10,000 of them take a while, and `lantern serve` validates on every save).
    let inline: Vec<Option<(Place, Vec<Diagnostic>)>> = raw
        .iter()
        .map(|r| match &r.record.location {
            Some(l) => match &l.value {
                LocationRef::Inline(raw_loc) => {
                    let mut ds = Vec::new();
                    let mut c = Checker {
                        path: &r.path,
                        diags: &mut ds,
                        languages,
                    };
                    let place = inline_location(&mut c, pos(l), raw_loc, locations);
                    Some((place, ds))
                }
                LocationRef::Slug(_) => None,
            },
            None => None,
        })
        .collect();
    let known: &BTreeMap<String, (Location, Pos)> = locations;
    let checked: Vec<(Option<Checked>, Vec<Diagnostic>)> = raw
        .par_iter()
        .enumerate()
        .zip(inline.into_par_iter())
        .map(|((i, r), pre)| {
            let mut ds = Vec::new();
            let (place, pre_diags) = match pre {
                Some((place, pre_diags)) => (Some(place), pre_diags),
                None => (None, Vec::new()),
            };
            let mut c = Checker {
                path: &r.path,
                diags: &mut ds,
                languages,
            };
            let mut m = meeting(
                &mut c,
                &r.record,
                in_list(i),
                types,
                known,
                broken,
                default_tz,
                place,
            );
            // Problems of an inline location count as the meeting's.
            if pre_diags.iter().any(|d| !d.warning) {
                m = None;
                ds.extend(pre_diags);
            }
            (m, ds)
        })
        .collect();
    for (i, (r, (m, ds))) in raw.iter().zip(checked).enumerate() {
        diags.extend(ds);
        let mut c = Checker {
            path: &r.path,
            diags,
            languages,
        };
        let Some((m, loc)) = m else {
            continue;
        };
        let at = r.record.slug.as_ref().map_or(Pos::new(1, 1), pos);
        if let Some((other, other_pos)) = slugs.get(&m.slug) {
            let other = &raw[*other].path;
            let where_ = if other_pos.line > 0 {
                format!("{other}:{}:{}", other_pos.line, other_pos.column)
            } else {
                other.clone()
            };
            c.error(
                at,
                format!("two meetings have the slug `{}`", m.slug),
                format!("the other one is {where_}; give one of them its own `slug`"),
            );
            continue;
        }
        slugs.insert(m.slug.clone(), (i, at));
        if m.status == Status::Inactive {
            let at = r.record.status.as_ref().map_or(at, pos);
            inactive.push(Diagnostic::new(&r.path, at, "").location());
        } else {
            published.push((m, loc));
        }
    }
    Built {
        published,
        inactive,
    }
}

/// A valid meeting and the slug of its location.
type Checked = (Meeting, Option<String>);

/// Where a meeting with an inline location meets, once that location is settled.
struct Place {
    slug: Option<String>,
    timezone: Option<Tz>,
    region: Vec<String>,
    approximate: bool,
}

/// Checks an inline location and gives it a slug: identical inline locations share one page,
/// different ones of the same name get a suffix.
fn inline_location(
    c: &mut Checker,
    at: Pos,
    raw: &RawLocation,
    locations: &mut BTreeMap<String, (Location, Pos)>,
) -> Place {
    let base = suggest_slug(raw.name.value.first());
    let Some(loc) = location(c, &base, raw) else {
        return Place {
            slug: None,
            timezone: None,
            region: Vec::new(),
            approximate: false,
        };
    };
    let mut slug = base.clone();
    let mut n = 1;
    loop {
        match locations.get(&slug) {
            Some((existing, _)) if same_place(existing, &loc) => break,
            Some(_) => {
                n += 1;
                slug = format!("{base}-{n}");
            }
            None => {
                let mut loc = loc.clone();
                loc.slug = slug.clone();
                locations.insert(slug.clone(), (loc, at));
                break;
            }
        }
    }
    Place {
        slug: Some(slug),
        timezone: loc.timezone,
        approximate: loc.approximate,
        region: loc.region,
    }
}

/// Checks one meeting. `place` is its inline location, settled beforehand by
/// [`inline_location`].
#[allow(clippy::too_many_arguments)]
fn meeting(
    c: &mut Checker,
    r: &RawMeeting,
    in_list: bool,
    types: &TypeTable,
    locations: &BTreeMap<String, (Location, Pos)>,
    broken: &BTreeSet<String>,
    default_tz: Tz,
    place: Option<Place>,
) -> Option<(Meeting, Option<String>)> {
    let before = c.diags.len();
    let mut translations = Translations::default();
    let name = c.names(&r.name, &mut translations);

    let slug = match &r.slug {
        Some(s) => {
            let v = s.value.trim().to_string();
            c.slug(&v, pos(s), "the slug");
            v
        }
        None if in_list => suggest_slug(r.name.value.first()),
        None => {
            let stem = std::path::Path::new(c.path)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            if !is_slug(&stem) {
                c.error(Pos::new(1, 1), format!("the file name `{stem}` may only contain lowercase letters a-z, digits and hyphens"), format!("rename the file to `{}.yaml`, or add `slug: {}`", suggest_slug(&stem), suggest_slug(&stem)));
            }
            stem
        }
    };
    if slug.len() > MAX_SLUG {
        let at = r.slug.as_ref().map_or(Pos::new(1, 1), pos);
        c.error(
            at,
            format!("the slug `{slug}` is longer than {MAX_SLUG} characters"),
            "meeting apps cut longer slugs; choose a shorter one",
        );
    }

    let days = days(c, r);
    // The feed gives each day of a multi-day meeting its own record, `<slug>_<day>`
    // (see `render::meeting_guide::day_slug`), which must fit the feed's limit too.
    if days.len() > 1 && slug.len() <= MAX_SLUG && slug.len() + DAY_SUFFIX > MAX_SLUG {
        let at = r.slug.as_ref().map_or(Pos::new(1, 1), pos);
        c.error(
            at,
            format!(
                "the slug `{slug}` is too long for a meeting on several days (at most {} characters)",
                MAX_SLUG - DAY_SUFFIX
            ),
            "the Meeting Guide feed lists each day as `<slug>_mon`, `<slug>_wed`, ... within 64 characters; choose a shorter `slug`",
        );
    }
    let time = c.time("time", &r.time);
    let end_time = match &r.end_time {
        Some(e) => c.time("end_time", e),
        None => time.map(|t| t + TimeDelta::minutes(60)),
    };
    if let (Some(t), Some(e), Some(et)) = (time, end_time, &r.end_time)
        && t == e
    {
        c.error(
            pos(et),
            "`end_time` is the same as `time`",
            "leave `end_time` out for a one-hour meeting",
        );
    }
    if let (Some(t), Some(e), Some(et)) = (time, end_time, &r.end_time)
        && e < t
    {
        // An end before the start runs past midnight; a short night meeting (23:00 to
        // 01:00) is meant that way, a day-long one (19:30 to 18:00) is a slip.
        let minutes = (e - t).num_minutes() + 24 * 60;
        if minutes > LONGEST_OVERNIGHT_MINUTES {
            c.warn(
                pos(et),
                format!(
                    "`end_time` {} is before `time` {}, so the meeting runs past midnight for {} h {:02} min",
                    e.format("%H:%M"),
                    t.format("%H:%M"),
                    minutes / 60,
                    minutes % 60
                ),
                "check both times (24-hour clock: 7:30 pm is \"19:30\"); a meeting that really ends the next morning can stay as it is",
            );
        }
    }

    let codes = meeting_types(c, r, types);

    // Location: a slug of content/locations or an inline mapping.
    let mut loc_slug = None;
    let mut loc_tz = None;
    let mut loc_region = Vec::new();
    let mut loc_approximate = false;
    if let Some(l) = &r.location {
        match &l.value {
            LocationRef::Slug(s) => {
                let s = s.trim();
                match locations.get(s) {
                    Some((loc, _)) => {
                        loc_slug = Some(s.to_string());
                        loc_approximate = loc.approximate;
                        loc_tz = loc.timezone;
                        loc_region = loc.region.clone();
                    }
                    None if broken.contains(s) => {}
                    None => {
                        let hint = match nearest(s, locations.keys().map(String::as_str)) {
                            Some(near) => format!(
                                "did you mean `{near}`? Locations are the file names in content/locations/"
                            ),
                            None => format!(
                                "create content/locations/{s}.yaml, or write the location's fields here"
                            ),
                        };
                        c.error(pos(l), format!("no location `{s}`"), hint);
                    }
                }
            }
            LocationRef::Inline(_) => {
                if let Some(p) = place {
                    loc_slug = p.slug;
                    loc_tz = p.timezone;
                    loc_approximate = p.approximate;
                    loc_region = p.region;
                }
            }
        }
    }

    let online = r.online.as_ref().and_then(|o| {
        let url = o.value.url.as_ref().and_then(|u| c.http_url("url", u));
        let phone = c.opt_text(&o.value.phone);
        if o.value.url.is_none() && phone.is_none() {
            c.error(
                pos(o),
                "`online` needs a `url` or a `phone`",
                "add the meeting link as `url: https://...`, or a dial-in `phone`",
            );
            return None;
        }
        Some(Online {
            url,
            notes: c.notes(
                "notes",
                &o.value.notes,
                Field::OnlineNotes,
                &mut translations,
            ),
            phone,
            phone_notes: c.opt_text(&o.value.phone_notes),
        })
    });
    if r.location.is_none() && r.online.is_none() {
        c.error(pos(&r.name), "this meeting has neither a `location` nor `online` details", "add `location: <slug>` for an in-person meeting or an `online:` block with a `url` or `phone`");
    }

    let region = match &r.region {
        Some(rg) => region_names(c, rg),
        None => loc_region,
    };
    let timezone = match &r.timezone {
        Some(t) => c.timezone(t),
        None => Some(loc_tz.unwrap_or(default_tz)),
    };

    let status = match &r.status {
        Some(s) => match parse_status(&s.value) {
            Some(st) => st,
            None => {
                let hint = match nearest(&s.value, ["active", "temporarily-closed", "inactive"]) {
                    Some(near) => format!(
                        "did you mean `{near}`? A status is active, temporarily-closed or inactive"
                    ),
                    None => "a status is active, temporarily-closed or inactive".into(),
                };
                c.error(pos(s), format!("unknown status `{}`", s.value.trim()), hint);
                Status::Active
            }
        },
        None => Status::Active,
    };
    let closed_until = r.closed_until.as_ref().and_then(|d| {
        let date = c.date("closed_until", d)?;
        if status != Status::TemporarilyClosed {
            c.error(
                pos(d),
                "`closed_until` is only used with `status: temporarily-closed`",
                "set the status, or remove `closed_until`",
            );
        }
        Some(date)
    });

    let recurrence = recurrence(c, r, &days);
    let skip = r
        .skip
        .as_ref()
        .map(|s| {
            OneOrMany::items(s)
                .filter_map(|(d, at)| {
                    let d = serde_saphyr::Spanned::new(d.clone(), *at, *at);
                    let date = c.date("skip", &d)?;
                    if !days.is_empty() && !days.contains(&date.weekday()) {
                        c.error(
                            pos(&d),
                            format!(
                                "{date} is a {}, and this meeting does not meet on {}s",
                                english_day_name(date.weekday()),
                                english_day_name(date.weekday())
                            ),
                            "skip dates must be days the meeting would otherwise meet",
                        );
                    }
                    Some(date)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let contact_email = r
        .contact_email
        .as_ref()
        .and_then(|e| c.email("contact_email", e));
    let updated = r.updated.as_ref().and_then(|d| {
        let parsed = schedule::parse_date_time(&d.value);
        if parsed.is_none() {
            c.error(
                pos(d),
                format!("`{}` in `updated` is not a date", d.value.trim()),
                "write YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS in UTC, for example 2026-12-25",
            );
        }
        parsed
    });
    if let Some(l) = &r.location
        && loc_approximate
        && r.online.is_none()
    {
        c.error(
            pos(l),
            "this meeting's location is marked `approximate`, but it has no `online` details",
            "an approximate location only says where an online meeting comes from; give an in-person meeting its exact address",
        );
    }

    if c.failed_since(before) {
        return None;
    }
    let mut skip = skip;
    skip.sort_unstable();
    skip.dedup();
    let meeting = Meeting {
        slug,
        name: name?,
        days,
        time: time?,
        end_time: end_time?,
        types: codes,
        location: None,
        place: None,
        online,
        region,
        group: c.opt_text(&r.group),
        notes: c.notes("notes", &r.notes, Field::Notes, &mut translations),
        translations,
        timezone: timezone?,
        status,
        closed_until,
        recurrence,
        skip,
        contact_email,
        updated: updated.map(|u| u.0),
        updated_time: updated.and_then(|u| u.1),
        source: c.path.to_string(),
    };
    for clash in clock::clashes(&meeting) {
        let (message, hint) = clock::describe(&meeting, &clash);
        c.warn(pos(&r.time), message, hint);
    }
    Some((meeting, loc_slug))
}

fn same_place(a: &Location, b: &Location) -> bool {
    a.name == b.name
        && a.approximate == b.approximate
        && a.address == b.address
        && a.city == b.city
        && a.latitude == b.latitude
        && a.longitude == b.longitude
}

fn days(c: &mut Checker, r: &RawMeeting) -> Vec<Weekday> {
    let mut out = Vec::new();
    for (d, at) in OneOrMany::items(&r.day) {
        let d = serde_saphyr::Spanned::new(d.clone(), *at, *at);
        match schedule::parse_day(&d.value) {
            Some(day) => out.push(day),
            None => {
                let v = d.value.trim().to_lowercase();
                let names = WEEK.map(day_key);
                let guess = names
                    .iter()
                    .find(|n| v.len() >= 2 && n.starts_with(&v))
                    .copied()
                    .or_else(|| nearest(&v, names));
                let hint = match guess {
                    Some(g) => format!("did you mean `{g}`?"),
                    None => "write a weekday name in English: monday, tuesday, ... sunday".into(),
                };
                c.error(
                    pos(&d),
                    format!("unknown weekday `{}`", d.value.trim()),
                    hint,
                );
            }
        }
    }
    if r.day.value.0.is_empty() {
        c.error(
            pos(&r.day),
            "`day` is an empty list",
            "give at least one weekday, e.g. `day: monday`",
        );
    }
    out.sort_by_key(|d| d.num_days_from_sunday());
    out.dedup();
    out
}

fn meeting_types(c: &mut Checker, r: &RawMeeting, types: &TypeTable) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(list) = &r.types else { return out };
    for (code, at) in OneOrMany::items(list) {
        let at = Pos::from_saphyr(at);
        let code = code.trim();
        // Checked first: `TC` is also in the Meeting Guide list.
        if let Some(d) = DERIVED_CODES.iter().find(|d| **d == code) {
            let why = match *d {
                "TC" => "set `status: temporarily-closed` instead",
                "ONL" => "it is set for meetings with `online` details and no location",
                _ => "it is set for meetings with both a location and `online` details",
            };
            c.error(
                at,
                format!("type `{code}` is worked out by Lantern"),
                format!("remove it: {why}"),
            );
            continue;
        }
        if types.contains(code) {
            if !out.iter().any(|o| o == code) {
                out.push(code.to_string());
            }
            continue;
        }
        if let Some(exact) = types.codes().find(|k| k.eq_ignore_ascii_case(code)) {
            c.error(
                at,
                format!("unknown meeting type `{code}`"),
                format!("type codes are case-sensitive: did you mean `{exact}`?"),
            );
            continue;
        }
        let by_name = types
            .iter()
            .find(|ty| ty.name.eq_ignore_ascii_case(code))
            .map(|ty| ty.code.clone());
        let suggestions: Vec<String> = match by_name {
            Some(code) => vec![code],
            None => nearest_n(code, types.codes(), 3)
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        let listed = suggestions
            .iter()
            .map(|s| format!("{s} ({})", types.get(s).map_or("", |t| t.name.as_str())))
            .collect::<Vec<_>>()
            .join(", ");
        c.error(
            at,
            format!("unknown meeting type `{code}`"),
            format!(
                "nearest codes: {listed}; or define your own under `types:` in content/site.yaml"
            ),
        );
    }
    out
}

fn recurrence(c: &mut Checker, r: &RawMeeting, days: &[Weekday]) -> Recurrence {
    if let (Some(m), Some(_)) = (&r.monthly, &r.biweekly_from) {
        c.error(
            pos(m),
            "`monthly` and `biweekly_from` cannot be used together",
            "a meeting is either on some weeks of the month or every other week; keep one",
        );
        return Recurrence::Weekly;
    }
    if let Some(m) = &r.monthly {
        let mut weeks = Vec::new();
        for (w, at) in OneOrMany::items(m) {
            if (1..=5).contains(w) || *w == -1 {
                weeks.push(*w as i8);
            } else {
                c.error(
                    Pos::from_saphyr(at),
                    format!("{w} is not a week of the month"),
                    "use 1 to 5 for the first to fifth week, or -1 for the last",
                );
            }
        }
        if m.value.0.is_empty() {
            c.error(
                pos(m),
                "`monthly` is an empty list",
                "list the weeks, e.g. `monthly: [1, 3]`",
            );
        }
        weeks.sort_unstable();
        weeks.dedup();
        return Recurrence::Monthly(weeks);
    }
    if let Some(b) = &r.biweekly_from {
        let Some(date) = c.date("biweekly_from", b) else {
            return Recurrence::Weekly;
        };
        if !days.is_empty() && !days.contains(&date.weekday()) {
            let want = days[0];
            let ahead = (want.num_days_from_monday() as i64
                - date.weekday().num_days_from_monday() as i64)
                .rem_euclid(7);
            // Suggest the nearest date on the meeting's day, before or after.
            let fixed = if ahead <= 3 {
                date + TimeDelta::days(ahead)
            } else {
                date - TimeDelta::days(7 - ahead)
            };
            c.error(
                pos(b),
                format!(
                    "{date} is a {}, but this meeting is on {}",
                    english_day_name(date.weekday()),
                    days.iter()
                        .map(|d| english_day_name(*d))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("count from a {} such as {fixed}", english_day_name(want)),
            );
        }
        return Recurrence::Biweekly(date);
    }
    Recurrence::Weekly
}
