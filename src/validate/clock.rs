//! Meetings whose local time a daylight-saving change skips (a gap) or repeats (an overlap).
//!
//! Such a meeting still builds: its feeds say "01:30 in Europe/London" like on every other
//! night, and that is right. But calendar apps disagree about what 01:30 means on the night the
//! clocks go forward from 01:00 to 02:00 (RFC 5545 3.3.5 reads it with the offset before the
//! gap, 02:30 summer time; 3.3.10 says to leave such an occurrence out; several readers show
//! 00:30) or back from 02:00 to 01:00 (3.3.5: the first of the two 01:30s; some readers take
//! the second). `lantern check` warns so the editor can tell members or move the meeting.
//!
//! The rule lives here and only here. The window is the feeds' own: from their anchor date
//! ([`crate::render::ical::anchor`]) to the end of the VTIMEZONE horizon
//! ([`crate::render::ical::vtimezone::LAST_YEAR`]), so
//! the warning is the same on every day the site is checked, like the feeds.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::model::schedule::day_key;
use crate::model::{Meeting, Recurrence, Status};
use crate::render::ical::anchor;
use crate::render::ical::vtimezone::{LAST_YEAR, Transition, transitions, year_start};

/// Whether the clocks go forward over the meeting's time or back over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Gap,
    Overlap,
}

/// The nights in the window on which a meeting's start time is skipped or repeated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clash {
    pub(crate) kind: Kind,
    /// Each local date the meeting meets at a skipped (or repeated) time, with the change.
    pub(crate) nights: Vec<(NaiveDate, Transition)>,
}

/// A change of `tz` in the window, with the local time range it skips or repeats.
struct Window {
    kind: Kind,
    start: NaiveDateTime,
    end: NaiveDateTime,
    transition: Transition,
}

/// The offset changes of `tz` in the window, worked out once per zone (a site has few zones
/// and many meetings, checked on several threads: a read lock is uncontended).
fn zone_windows(tz: Tz) -> Arc<Vec<Window>> {
    static CACHE: OnceLock<RwLock<HashMap<Tz, Arc<Vec<Window>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(w) = cache.read().ok().and_then(|c| c.get(&tz).cloned()) {
        return w;
    }
    // A day either side, so that a change just after midnight UTC on the anchor is seen.
    let from = anchor().and_time(NaiveTime::MIN) - chrono::Duration::days(1);
    let list: Vec<Window> = transitions(tz, from, year_start(LAST_YEAR + 1))
        .into_iter()
        .map(|t| {
            let (kind, start, end) = window(&t);
            Window {
                kind,
                start,
                end,
                transition: t,
            }
        })
        .collect();
    let list = Arc::new(list);
    if let Ok(mut c) = cache.write() {
        c.insert(tz, list.clone());
    }
    list
}

/// Whether the meeting meets on `date` (any weekday; skip dates and closures count).
fn meets_on(m: &Meeting, date: NaiveDate) -> bool {
    m.days.contains(&date.weekday())
        && m.recurrence.occurs_on(date)
        && !m.skip.contains(&date)
        && m.closed_until.is_none_or(|d| date >= d)
        && date >= anchor()
        && match &m.recurrence {
            Recurrence::Biweekly(from) => date >= *from,
            _ => true,
        }
}

/// The local time range `[start, end)` a change skips (gap) or repeats (overlap).
fn window(t: &Transition) -> (Kind, NaiveDateTime, NaiveDateTime) {
    if t.to > t.from {
        (Kind::Gap, t.local_before(), t.local_after())
    } else {
        (Kind::Overlap, t.local_after(), t.local_before())
    }
}

/// The gaps and overlaps the meeting's start time falls into, gaps first.
pub(crate) fn clashes(m: &Meeting) -> Vec<Clash> {
    if m.status == Status::Inactive {
        return Vec::new();
    }
    let mut gap = Vec::new();
    let mut overlap = Vec::new();
    for w in zone_windows(m.timezone).iter() {
        // The window can cross midnight (Santiago goes back from Sunday 00:00 to Saturday
        // 23:00), so look at the meeting on both dates.
        let next = (w.end.date() != w.start.date()).then(|| w.end.date());
        for date in std::iter::once(w.start.date()).chain(next) {
            let at = date.and_time(m.time);
            if at >= w.start && at < w.end && meets_on(m, date) {
                match w.kind {
                    Kind::Gap => gap.push((date, w.transition)),
                    Kind::Overlap => overlap.push((date, w.transition)),
                }
            }
        }
    }
    [(Kind::Gap, gap), (Kind::Overlap, overlap)]
        .into_iter()
        .filter(|(_, n)| !n.is_empty())
        .map(|(kind, nights)| Clash { kind, nights })
        .collect()
}

fn plural_day(d: Weekday) -> String {
    let key = day_key(d);
    let mut chars = key.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    format!(
        "{}{}s",
        first.map(String::from).unwrap_or_default(),
        chars.as_str()
    )
}

/// The warning's message and hint for one clash.
pub(crate) fn describe(m: &Meeting, clash: &Clash) -> (String, String) {
    let time = m.time.format("%H:%M");
    let zone = m.timezone.name();
    let dates: Vec<String> = clash
        .nights
        .iter()
        .take(2)
        .map(|(d, _)| d.to_string())
        .collect();
    let more = clash.nights.len().saturating_sub(2);
    let dates = match (dates.as_slice(), more) {
        ([one], _) => one.clone(),
        ([a, b], 0) => format!("{a} and {b}"),
        ([a, b], n) => format!("{a}, {b} and {n} more to {LAST_YEAR}"),
        _ => String::new(),
    };
    let Some((day, t)) = clash.nights.first() else {
        return (String::new(), String::new());
    };
    let before = t.local_before().format("%H:%M");
    let after = t.local_after().format("%H:%M");
    let on = plural_day(day.weekday());
    match clash.kind {
        Kind::Gap => {
            let shifted =
                day.and_time(m.time) + chrono::Duration::seconds(i64::from(t.to - t.from));
            (
                format!(
                    "{time} on {on} does not exist in {zone} on {dates}: the clocks go forward from {before} to {after}"
                ),
                format!(
                    "calendar apps differ on those nights: RFC 5545 3.3.5 reads the time with the offset before the change, so {}, as Google Calendar, Apple Calendar and Outlook typically show it; 3.3.10 says to leave the meeting out; ical.js and vobject show it {gap} early, and libical shows the week after {gap} late; tell members in `notes`, add those dates to `skip`, or move the meeting out of {before}-{after}",
                    shifted.format("%H:%M"),
                    gap = minutes(t.to - t.from),
                ),
            )
        }
        Kind::Overlap => (
            format!(
                "{time} on {on} happens twice in {zone} on {dates}: the clocks go back from {before} to {after}"
            ),
            format!(
                "calendar apps differ on those nights: RFC 5545 3.3.5 means the first {time}, before the clocks go back, and most apps show that; libical and ical.js (Thunderbird, Evolution, GNOME Calendar) show the second, {} later; tell members in `notes`, or move the meeting out of {after}-{before}",
                minutes(t.from - t.to)
            ),
        ),
    }
}

fn minutes(seconds: i32) -> String {
    match seconds / 60 {
        60 => "an hour".to_string(),
        n => format!("{n} minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn meeting(tz: Tz, day: Weekday, time: &str) -> Meeting {
        let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap_or(NaiveTime::MIN);
        Meeting {
            slug: "m".into(),
            name: "M".into(),
            days: vec![day],
            time,
            end_time: time,
            types: Vec::new(),
            location: None,
            online: None,
            region: Vec::new(),
            group: None,
            notes: None,
            translations: Default::default(),
            timezone: tz,
            status: Status::Active,
            closed_until: None,
            recurrence: Recurrence::Weekly,
            skip: Vec::new(),
            contact_email: None,
            updated: None,
            updated_time: None,
            place: None,
            source: String::new(),
        }
    }

    #[test]
    fn london_small_hours_on_sundays_clash_every_spring_and_autumn() {
        let m = meeting(Tz::Europe__London, Weekday::Sun, "01:30");
        let c = clashes(&m);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, Kind::Gap);
        assert_eq!(c[0].nights.len(), 15); // 2026 to 2040
        assert_eq!(
            c[0].nights[0].0,
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        );
        assert_eq!(c[1].kind, Kind::Overlap);
        assert_eq!(
            c[1].nights[1].0,
            NaiveDate::from_ymd_opt(2027, 10, 31).unwrap()
        );
        // An hour later is in neither: 02:00 exists once in March, and 02:00 in October
        // is the moment the clocks go back, after the repeated hour.
        assert!(clashes(&meeting(Tz::Europe__London, Weekday::Sun, "02:00")).is_empty());
        assert!(clashes(&meeting(Tz::Europe__London, Weekday::Sat, "01:30")).is_empty());
        assert!(clashes(&meeting(Tz::Asia__Kolkata, Weekday::Sun, "01:30")).is_empty());
    }

    #[test]
    fn a_window_across_midnight_is_seen_on_both_dates() {
        // Santiago goes back from Sunday 00:00 to Saturday 23:00 in April.
        let sat = meeting(Tz::America__Santiago, Weekday::Sat, "23:30");
        let c = clashes(&sat);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, Kind::Overlap);
        assert_eq!(c[0].nights[0].0.weekday(), Weekday::Sat);
        // Cairo goes forward from Friday 00:00 to 01:00 in April.
        let fri = meeting(Tz::Africa__Cairo, Weekday::Fri, "00:30");
        assert_eq!(clashes(&fri)[0].kind, Kind::Gap);
    }

    #[test]
    fn skipped_and_closed_nights_do_not_count() {
        let mut m = meeting(Tz::Europe__London, Weekday::Sun, "01:30");
        m.skip = vec![NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()];
        m.closed_until = NaiveDate::from_ymd_opt(2030, 1, 1);
        m.status = Status::TemporarilyClosed;
        let c = clashes(&m);
        assert_eq!(
            c[0].nights[0].0,
            NaiveDate::from_ymd_opt(2030, 3, 31).unwrap()
        );
        m.status = Status::Inactive;
        assert!(clashes(&m).is_empty());
    }
}
