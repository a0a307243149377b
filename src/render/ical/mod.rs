//! Calendar feeds (`calendar.ics`): the whole site, each region, location, type and meeting.
//!
//! The calendar text is built with the `ics` crate and then re-folded (see [`fold`]). Each
//! meeting day becomes one recurring VEVENT whose text is rendered once and shared by every
//! feed it appears in, which keeps a 10,000-meeting site's feeds cheap.
//!
//! Rules the clients rely on (see `docs/calendar.md`):
//! - every event recurs from its first date on or after [`anchor`], in the meeting's own zone;
//! - UIDs and DTSTAMPs come from the records only, so unchanged input gives identical feeds;
//! - every TZID used is the IANA name and has a VTIMEZONE derived from the IANA data
//!   ([`vtimezone`]); no zone stops a build.

pub mod fold;
pub(crate) mod vtimezone;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use chrono_tz::Tz;
use ics::ICalendar;
use ics::components::Property;
use rayon::prelude::*;

use super::i18n::Strings;
use super::i18n::format;
use super::markdown;
use super::urls;
use super::{Body, Output, Part, Sink};
use crate::diagnostics::{Diagnostics, Error};
use crate::model::schedule::day_key;
use crate::model::{Meeting, Recurrence, Site, Status};

/// The date every feed's events recur from: the first occurrence on or after it is DTSTART.
/// It is fixed (not the build date) so that feeds only change when the records do.
pub(crate) fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// DTSTAMP of events whose record has no `updated` date.
const FIXED_DTSTAMP: &str = "20260101T000000Z";

/// The file name of a feed inside a page's folder.
pub(crate) const FILE: &str = "calendar.ics";

/// `BYDAY` code of a weekday.
pub(crate) fn byday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Whether a meeting appears in feeds: active, or temporarily closed with a reopening date.
pub(crate) fn in_feeds(m: &Meeting) -> bool {
    match m.status {
        Status::Active => true,
        Status::TemporarilyClosed => m.closed_until.is_some(),
        Status::Inactive => false,
    }
}

/// The three ways a page offers its feed.
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct FeedLinks {
    /// `webcal://` URL for calendar apps.
    pub(crate) subscribe: String,
    /// Google Calendar's add-by-URL link.
    pub(crate) google: String,
    /// Link inside the site, for downloading the file.
    pub(crate) download: String,
}

/// The links for the feed of the page at `dir` (`""`, `meetings/x/`...).
pub(crate) fn links(site: &Site, dir: &str) -> FeedLinks {
    let absolute = site.config.url(&format!("{dir}{FILE}"));
    let webcal = match absolute.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => absolute.clone(),
    };
    FeedLinks {
        google: format!(
            "https://calendar.google.com/calendar/render?cid={}",
            percent_encoding::utf8_percent_encode(&webcal, percent_encoding::NON_ALPHANUMERIC)
        ),
        subscribe: webcal,
        download: format!("{}{dir}{FILE}", site.config.base_path()),
    }
}

/// One feed to write.
struct Feed {
    /// Folder of the page the feed belongs to.
    dir: String,
    /// What the feed holds, for its name; `None` for the whole site.
    subject: Option<String>,
    meetings: Vec<usize>,
}

/// Renders every feed of the site into memory.
pub fn render(site: &Site, s: &Strings) -> Result<Vec<Output>, Diagnostics> {
    render_some(site, s, |_| true)
}

/// Renders the feeds whose output path `wanted` accepts (the benchmark times the full-site
/// feed alone this way).
pub fn render_some(
    site: &Site,
    s: &Strings,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Result<Vec<Output>, Diagnostics> {
    let plan = plan(site, s)?;
    Ok(plan
        .feeds
        .par_iter()
        .map(|f| (format!("{}{FILE}", f.dir), f))
        .filter(|(path, _)| wanted(path))
        .map(|(path, f)| Output {
            path,
            body: plan.body(f),
        })
        .collect())
}

/// Everything the feeds share, worked out once: each zone's VTIMEZONE, each meeting's events,
/// and the list of feeds. `emit` then writes the feeds one by one, so the region, type and
/// location feeds of a large site never sit in memory together.
pub(crate) struct Plan<'a> {
    site: &'a Site,
    strings: Strings,
    zones: BTreeMap<&'static str, Arc<str>>,
    /// Each meeting's events (one per day): shared by every feed that lists the meeting.
    events: Vec<Vec<Arc<str>>>,
    feeds: Vec<Feed>,
}

impl Plan<'_> {
    fn body(&self, f: &Feed) -> Body {
        Body::Parts(feed_parts(
            self.site,
            &self.strings,
            f,
            &self.zones,
            &self.events,
        ))
    }

    /// Renders each feed and hands it to `sink` as soon as it is ready.
    pub(crate) fn emit(&self, sink: &dyn Sink) -> Result<(), Error> {
        self.feeds.par_iter().try_for_each(|f| {
            sink.emit(Output {
                path: format!("{}{FILE}", f.dir),
                body: self.body(f),
            })
        })
    }
}

/// Plans every feed of the site.
pub(crate) fn plan<'a>(site: &'a Site, s: &Strings) -> Result<Plan<'a>, Diagnostics> {
    let zones = zone_components(site);
    let events: Vec<Vec<Arc<str>>> = site
        .meetings
        .par_iter()
        .map(|m| {
            if in_feeds(m) {
                events_of(site, m, s).into_iter().map(Arc::from).collect()
            } else {
                Vec::new()
            }
        })
        .collect();

    let all: Vec<usize> = (0..site.meetings.len()).collect();
    let mut feeds = vec![Feed {
        dir: String::new(),
        subject: None,
        meetings: all,
    }];
    feeds.extend(site.regions.iter().map(|r| Feed {
        dir: urls::region(&r.path),
        subject: Some(r.names.join(" › ")),
        meetings: r.meetings.clone(),
    }));
    let mut at_location = site.meetings_by_place();
    let mut of_type = site.meetings_by_type();
    // A feed for every place, as every place has a page; an approximate area has neither.
    feeds.extend(site.places().map(|(i, l)| {
        Feed {
            dir: urls::location(&l.slug),
            subject: Some(l.name.clone()),
            meetings: at_location
                .get_mut(i)
                .map(std::mem::take)
                .unwrap_or_default(),
        }
    }));
    feeds.extend(site.used_types().into_iter().map(|code| Feed {
        dir: urls::type_page(site.types.get(code).map_or(code, |t| t.slug.as_str())),
        subject: Some(site.type_name(code).to_string()),
        meetings: of_type.remove(code).unwrap_or_default(),
    }));
    feeds.extend(site.meetings.iter().enumerate().map(|(i, m)| Feed {
        dir: urls::meeting(&m.slug),
        subject: Some(m.name.clone()),
        meetings: vec![i],
    }));
    Ok(Plan {
        site,
        strings: s.clone(),
        zones,
        events,
        feeds,
    })
}

/// The VTIMEZONE text of every zone a feed may need. Every IANA zone can be written (see
/// [`vtimezone`]), so no zone ever stops a build.
fn zone_components(site: &Site) -> BTreeMap<&'static str, Arc<str>> {
    // The site's zone is always needed: a feed without events still carries its VTIMEZONE,
    // since RFC 5545 wants at least one component in a calendar.
    let mut zones: BTreeMap<&'static str, Tz> =
        BTreeMap::from([(site.config.timezone.name(), site.config.timezone)]);
    for m in site.meetings.iter().filter(|m| in_feeds(m)) {
        zones.entry(m.timezone.name()).or_insert(m.timezone);
    }
    zones
        .into_par_iter()
        .map(|(name, tz)| {
            let def = vtimezone::derive(tz);
            (name, Arc::from(fold::refold(&def.component().to_string())))
        })
        .collect()
}

/// A feed as pieces: its own header, then the shared VTIMEZONEs and events.
fn feed_parts(
    site: &Site,
    s: &Strings,
    f: &Feed,
    zones: &BTreeMap<&'static str, Arc<str>>,
    events: &[Vec<Arc<str>>],
) -> Vec<Part> {
    let cfg = &site.config;
    let name = match &f.subject {
        None => cfg.title.clone(),
        Some(subject) => s
            .get("feed_name")
            .replace("{site}", &cfg.title)
            .replace("{subject}", subject),
    };
    let page_url = cfg.url(&f.dir);
    let desc = match (&f.subject, &cfg.description) {
        (None, Some(d)) => format!("{d} {page_url}"),
        _ => s
            .get("feed_description")
            .replace("{name}", &name)
            .replace("{url}", &page_url),
    };
    let ttl = format!("PT{}H", cfg.feed_refresh_hours);
    let mut cal = ICalendar::new("2.0", "-//Lantern//Lantern meeting list//EN");
    cal.push(Property::new("CALSCALE", "GREGORIAN"));
    cal.push(Property::new("NAME", fold::text(&name)));
    cal.push(Property::new("X-WR-CALNAME", fold::text(&name)));
    cal.push(Property::new("X-WR-CALDESC", fold::text(&desc)));
    let mut refresh = Property::new("REFRESH-INTERVAL", ttl.clone());
    refresh.add(ics::components::Parameter::new("VALUE", "DURATION"));
    cal.push(refresh);
    cal.push(Property::new("X-PUBLISHED-TTL", ttl));
    let mut source = Property::new("SOURCE", fold::raw(&cfg.url(&format!("{}{FILE}", f.dir))));
    source.add(ics::components::Parameter::new("VALUE", "URI"));
    cal.push(source);
    cal.push(Property::new("URL", fold::raw(&page_url)));
    let header = fold::refold(&cal.to_string());
    let body_start = header.len() - "END:VCALENDAR\r\n".len();

    let mut used: BTreeSet<&'static str> = f
        .meetings
        .iter()
        .filter(|i| !events[**i].is_empty())
        .map(|i| site.meetings[*i].timezone.name())
        .collect();
    if used.is_empty() {
        used.insert(cfg.timezone.name());
    }
    let mut parts = Vec::with_capacity(f.meetings.len() + used.len() + 2);
    parts.push(Part::Owned(header[..body_start].to_string()));
    parts.extend(
        used.iter()
            .filter_map(|tz| zones.get(tz).cloned().map(Part::Shared)),
    );
    for i in &f.meetings {
        parts.extend(events[*i].iter().cloned().map(Part::Shared));
    }
    parts.push(Part::Owned(header[body_start..].to_string()));
    parts
}

/// The first date on or after `from` that falls on `day` and on which the meeting happens.
fn first_on_or_after(from: NaiveDate, day: Weekday, rec: &Recurrence) -> Option<NaiveDate> {
    let mut d = from;
    for _ in 0..400 {
        if d.weekday() == day && rec.occurs_on(d) {
            return Some(d);
        }
        d = d.succ_opt()?;
    }
    None
}

/// `20260105T190000`: a local DATE-TIME (written by hand: chrono's formatter is the slowest
/// part of rendering a large site's events).
fn local(d: NaiveDate, t: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        d.year(),
        d.month(),
        d.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The dates from `start` up to (not including) `until` on which the event recurs.
fn occurrences_before(start: NaiveDate, until: NaiveDate, rec: &Recurrence) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = start;
    while d < until {
        if rec.occurs_on(d) {
            out.push(d);
        }
        match d.checked_add_days(Days::new(7)) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// The VEVENTs of one meeting: one per weekday it meets on.
fn events_of(site: &Site, m: &Meeting, s: &Strings) -> Vec<String> {
    let cfg = &site.config;
    let tzid = fold::param(m.timezone.name());
    let page = cfg.url(&urls::meeting(&m.slug));
    // LOCATION and GEO only for a place to go, never for an approximate area.
    let loc = site.place_of(m);
    let dtstamp = m.updated.map_or(FIXED_DTSTAMP.to_string(), |d| {
        format!("{:04}{:02}{:02}T000000Z", d.year(), d.month(), d.day())
    });
    let type_names: Vec<String> = m
        .types
        .iter()
        .map(|c| site.type_name(c).to_string())
        .collect();

    let mut description: Vec<String> = Vec::new();
    if let Some(r) = format::recurrence(m, s) {
        description.push(r);
    }
    if !type_names.is_empty() {
        description.push(format!(
            "{}: {}",
            s.get("feed_types"),
            type_names.join(", ")
        ));
    }
    if let Some(notes) = &m.notes {
        let plain = markdown::plain(notes);
        if !plain.trim().is_empty() {
            description.push(plain.trim().to_string());
        }
    }
    if let Some(o) = &m.online {
        let mut lines = Vec::new();
        if let Some(u) = &o.url {
            lines.push(format!("{}: {u}", s.get("feed_join_online")));
        }
        if let Some(n) = &o.notes {
            lines.push(n.clone());
        }
        if let Some(p) = &o.phone {
            lines.push(format!("{}: {p}", s.get("feed_phone")));
        }
        if let Some(n) = &o.phone_notes {
            lines.push(n.clone());
        }
        if !lines.is_empty() {
            description.push(lines.join("\n"));
        }
    }
    description.push(format!("{}: {page}", s.get("feed_page")));
    let description = fold::text(&description.join("\n\n"));

    let location = loc.map(|l| {
        let addr = l.formatted_address();
        fold::text(&if addr.is_empty() {
            l.name.clone()
        } else {
            format!("{}, {addr}", l.name)
        })
    });
    let summary = fold::text(&m.name);
    let url = fold::raw(&page);
    let geo = loc
        .and_then(|l| l.coordinates())
        .map(|(lat, lon)| format!("{lat};{lon}"));
    let categories = type_names
        .iter()
        .map(|n| fold::text(n))
        .collect::<Vec<_>>()
        .join(",");
    let video = m
        .online
        .as_ref()
        .and_then(|o| o.url.as_deref())
        .map(fold::raw);
    let tel = m
        .online
        .as_ref()
        .and_then(|o| o.phone.as_deref())
        .map(super::urls::tel);
    let video_label = fold::param(s.get("feed_join_online"));
    let tel_label = fold::param(s.get("feed_phone"));
    let start_from = match &m.recurrence {
        Recurrence::Biweekly(from) if *from > anchor() => *from,
        _ => anchor(),
    };

    let mut out = Vec::with_capacity(m.days.len());
    for day in &m.days {
        let Some(start) = first_on_or_after(start_from, *day, &m.recurrence) else {
            continue;
        };
        // Another language's edition words the event differently, so it is another event:
        // `.es` keeps its UID apart (a slug has no dot) while the default's stay as they were.
        let edition = if cfg.prefix.is_empty() {
            String::new()
        } else {
            format!(".{}", cfg.language)
        };
        let uid = if m.days.len() > 1 {
            format!("{}-{}{edition}@{}", m.slug, day_key(*day), cfg.host())
        } else {
            format!("{}{edition}@{}", m.slug, cfg.host())
        };
        let mut e = ics::Event::new(fold::text(&uid), dtstamp.as_str());
        let with_tz = |name: &'static str, value: String| {
            let mut p = Property::new(name, value);
            p.add(ics::components::Parameter::new("TZID", tzid.as_str()));
            p
        };
        e.push(with_tz("DTSTART", local(start, m.time)));
        let end_date = if m.ends_next_day() {
            start.succ_opt().unwrap_or(start)
        } else {
            start
        };
        e.push(with_tz("DTEND", local(end_date, m.end_time)));
        let rrule = match &m.recurrence {
            Recurrence::Weekly => format!("FREQ=WEEKLY;BYDAY={}", byday(*day)),
            Recurrence::Monthly(weeks) => format!(
                "FREQ=MONTHLY;BYDAY={}",
                weeks
                    .iter()
                    .map(|w| format!("{w}{}", byday(*day)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Recurrence::Biweekly(_) => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", byday(*day)),
        };
        e.push(Property::new("RRULE", rrule));
        let mut exdates: Vec<NaiveDate> = m
            .skip
            .iter()
            .copied()
            .filter(|d| d.weekday() == *day && *d >= start && m.recurrence.occurs_on(*d))
            .collect();
        if m.status == Status::TemporarilyClosed
            && let Some(until) = m.closed_until
        {
            exdates.extend(occurrences_before(start, until, &m.recurrence));
        }
        exdates.sort_unstable();
        exdates.dedup();
        if !exdates.is_empty() {
            let list: Vec<String> = exdates.iter().map(|d| local(*d, m.time)).collect();
            e.push(with_tz("EXDATE", list.join(",")));
        }
        // Values shared by a meeting's events are borrowed, not copied, into each event.
        e.push(Property::new("SUMMARY", summary.as_str()));
        if let Some(l) = &location {
            e.push(Property::new("LOCATION", l.as_str()));
        }
        if let Some(g) = &geo {
            e.push(Property::new("GEO", g.as_str()));
        }
        e.push(Property::new("URL", url.as_str()));
        e.push(Property::new("DESCRIPTION", description.as_str()));
        if !categories.is_empty() {
            e.push(Property::new("CATEGORIES", categories.as_str()));
        }
        for (uri, feature, label) in [(&video, "VIDEO", &video_label), (&tel, "PHONE", &tel_label)]
        {
            if let Some(uri) = uri {
                let mut p = Property::new("CONFERENCE", uri.as_str());
                p.add(ics::components::Parameter::new("VALUE", "URI"));
                p.add(ics::components::Parameter::new("FEATURE", feature));
                p.add(ics::components::Parameter::new("LABEL", label.as_str()));
                e.push(p);
            }
        }
        if m.updated.is_some() {
            e.push(Property::new("LAST-MODIFIED", dtstamp.as_str()));
        }
        let mut text = String::with_capacity(1024);
        // `Event` only renders through `Display`; writing into a String cannot fail.
        let _ = std::fmt::write(&mut text, format_args!("{e}"));
        out.push(fold::refold(&text));
    }
    out
}
