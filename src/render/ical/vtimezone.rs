//! VTIMEZONE definitions derived at build time from the IANA data compiled into chrono-tz.
//!
//! Outlook (and Exchange behind many other clients) only understands a VTIMEZONE made of one
//! STANDARD and one DAYLIGHT observance, each recurring yearly on "the nth (or last) weekday of
//! a month at a local time". So instead of copying the zone's history, we look at what the zone
//! actually does over a window of years (every UTC offset change from [`FIRST_YEAR`] to
//! [`LAST_YEAR`]), check that the changes follow one such rule each, and write that rule. A zone
//! whose changes do not follow a fixed rule in the window (Morocco's Ramadan changes, a country
//! dropping daylight saving time) cannot be described that way, and we say so instead of writing
//! a definition that would put meetings at the wrong hour.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::{OffsetName, Tz};
use ics::components::Property;
use ics::{Daylight, Standard, TimeZone};

/// The first year whose offset changes are examined. It is the year before the feeds' anchor
/// date, so that every event's first occurrence follows an onset of the definition.
pub const FIRST_YEAR: i32 = 2025;
/// The last year examined. The definition is checked against the IANA data up to its end.
pub const LAST_YEAR: i32 = 2040;

/// A yearly rule: the `nth` (1..=4, or -1 for last) `weekday` of `month`, at local `time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearlyRule {
    pub month: u32,
    pub weekday: Weekday,
    pub nth: i8,
    /// Wall-clock time of the change, in the offset in force before it.
    pub time: NaiveTime,
}

impl YearlyRule {
    /// The local date-time of the change in `year`.
    pub fn in_year(&self, year: i32) -> Option<NaiveDateTime> {
        let date = if self.nth > 0 {
            NaiveDate::from_weekday_of_month_opt(year, self.month, self.weekday, self.nth as u8)?
        } else {
            let (ny, nm) = if self.month == 12 {
                (year + 1, 1)
            } else {
                (year, self.month + 1)
            };
            let mut d = NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?;
            while d.weekday() != self.weekday {
                d = d.pred_opt()?;
            }
            d
        };
        Some(date.and_time(self.time))
    }

    /// `FREQ=YEARLY;BYMONTH=3;BYDAY=2SU`.
    pub fn rrule(&self) -> String {
        format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.nth,
            super::byday(self.weekday)
        )
    }
}

/// One STANDARD or DAYLIGHT sub-component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observance {
    pub daylight: bool,
    /// First onset, local time in `offset_from`.
    pub start: NaiveDateTime,
    /// Seconds east of UTC.
    pub offset_from: i32,
    pub offset_to: i32,
    pub name: Option<String>,
    /// `None` for the single observance of a zone without changes.
    pub rule: Option<YearlyRule>,
}

impl Observance {
    /// The UTC instant of this observance's onset in `year` (or its only onset).
    fn onset_utc(&self, year: i32) -> Option<NaiveDateTime> {
        let local = match &self.rule {
            Some(r) => r.in_year(year)?,
            None => self.start,
        };
        (local >= self.start).then(|| local - Duration::seconds(i64::from(self.offset_from)))
    }
}

/// A zone's definition as the feeds write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneDef {
    pub tzid: &'static str,
    pub observances: Vec<Observance>,
}

/// Why a zone cannot be written as a yearly-rule VTIMEZONE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unexpressible {
    pub tzid: &'static str,
    pub reason: String,
}

/// A change of UTC offset found in the IANA data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Transition {
    /// UTC instant of the change.
    at: NaiveDateTime,
    from: i32,
    to: i32,
}

fn offset(tz: Tz, utc: NaiveDateTime) -> i32 {
    use chrono::Offset;
    use chrono::TimeZone as _;
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

fn name_at(tz: Tz, utc: NaiveDateTime) -> Option<String> {
    use chrono::TimeZone as _;
    tz.offset_from_utc_datetime(&utc)
        .abbreviation()
        .map(str::to_string)
}

fn year_start(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::MIN)
}

/// Every offset change in `[from, to)`, found day by day and then to the second. Zones change
/// offset at most once a day, so a daily step cannot miss a change.
fn transitions(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<Transition> {
    let mut out = Vec::new();
    let mut t = from;
    let mut off = offset(tz, t);
    while t < to {
        let next = t + Duration::days(1);
        let next_off = offset(tz, next);
        if next_off != off {
            let (mut lo, mut hi) = (0i64, 86_400i64);
            // Invariant: offset at t+lo is `off`, at t+hi it is not.
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if offset(tz, t + Duration::seconds(mid)) == off {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let at = t + Duration::seconds(hi);
            out.push(Transition {
                at,
                from: off,
                to: offset(tz, at),
            });
        }
        off = next_off;
        t = next;
    }
    out
}

/// Derives the definition of `tz` from its IANA data, or explains why it cannot be written.
pub fn derive(tz: Tz) -> Result<ZoneDef, Unexpressible> {
    let tzid = tz.name();
    let fail = |reason: String| Unexpressible { tzid, reason };
    let start = year_start(FIRST_YEAR);
    let end = year_start(LAST_YEAR + 1);
    let changes = transitions(tz, start, end);
    if changes.is_empty() {
        let off = offset(tz, start);
        return Ok(ZoneDef {
            tzid,
            observances: vec![Observance {
                daylight: false,
                start: year_start(1970),
                offset_from: off,
                offset_to: off,
                name: name_at(tz, start),
                rule: None,
            }],
        });
    }
    let years = (LAST_YEAR - FIRST_YEAR + 1) as usize;
    if changes.len() != 2 * years {
        let first = changes[0];
        return Err(fail(format!(
            "it changes its UTC offset {} times between {FIRST_YEAR} and {LAST_YEAR} (first on \
             {} UTC, from {} to {}), not twice a year by a fixed rule",
            changes.len(),
            first.at.format("%Y-%m-%d %H:%M"),
            offset_text(first.from),
            offset_text(first.to)
        )));
    }
    let mut observances = Vec::with_capacity(2);
    for daylight in [true, false] {
        // Daylight time is the larger offset; that also holds for zones such as Europe/Dublin
        // whose IANA data calls winter time "negative daylight saving".
        let ours: Vec<&Transition> = changes
            .iter()
            .filter(|c| (c.to > c.from) == daylight)
            .collect();
        if ours.len() != years {
            return Err(fail(format!(
                "it does not change to {} time exactly once a year between {FIRST_YEAR} and \
                 {LAST_YEAR}",
                if daylight { "daylight" } else { "standard" }
            )));
        }
        let first = ours[0];
        let local = |c: &Transition| c.at + Duration::seconds(i64::from(c.from));
        let l0 = local(first);
        for c in &ours {
            if (c.from, c.to) != (first.from, first.to) {
                return Err(fail(format!(
                    "its offsets change on {} UTC (from {} to {}, earlier from {} to {})",
                    c.at.format("%Y-%m-%d %H:%M"),
                    offset_text(c.from),
                    offset_text(c.to),
                    offset_text(first.from),
                    offset_text(first.to)
                )));
            }
            let l = local(c);
            if l.month() != l0.month() || l.weekday() != l0.weekday() || l.time() != l0.time() {
                return Err(fail(format!(
                    "its change on {} (local time) does not follow the rule of its change on {}",
                    l.format("%Y-%m-%d %H:%M"),
                    l0.format("%Y-%m-%d %H:%M")
                )));
            }
        }
        let nth_of = |d: NaiveDateTime| (d.day0() / 7 + 1) as i8;
        let is_last = |d: NaiveDateTime| (d.date() + Duration::days(7)).month() != d.month();
        let nth = if ours.iter().all(|c| nth_of(local(c)) == nth_of(l0)) && nth_of(l0) <= 4 {
            nth_of(l0)
        } else if ours.iter().all(|c| is_last(local(c))) {
            -1
        } else {
            return Err(fail(format!(
                "its changes to {} time fall on different weeks of {} (e.g. {} and {}), neither \
                 the same nth nor the last {:?} of the month",
                if daylight { "daylight" } else { "standard" },
                l0.format("%B"),
                l0.format("%Y-%m-%d"),
                ours.iter()
                    .map(|c| local(c))
                    .find(|l| nth_of(*l) != nth_of(l0))
                    .unwrap_or(l0)
                    .format("%Y-%m-%d"),
                l0.weekday()
            )));
        };
        let rule = YearlyRule {
            month: l0.month(),
            weekday: l0.weekday(),
            nth,
            time: l0.time(),
        };
        observances.push(Observance {
            daylight,
            start: l0,
            offset_from: first.from,
            offset_to: first.to,
            name: name_at(tz, first.at),
            rule: Some(rule),
        });
    }
    // Daylight first, as most published definitions do; order has no meaning in RFC 5545.
    let def = ZoneDef { tzid, observances };
    // The rule must reproduce every change found, to the second.
    let mut predicted: Vec<(NaiveDateTime, i32)> = def
        .observances
        .iter()
        .flat_map(|o| {
            (FIRST_YEAR..=LAST_YEAR).filter_map(move |y| o.onset_utc(y).map(|t| (t, o.offset_to)))
        })
        .collect();
    predicted.sort();
    let found: Vec<(NaiveDateTime, i32)> = changes.iter().map(|c| (c.at, c.to)).collect();
    if predicted != found {
        return Err(fail(
            "its yearly rules do not reproduce every change in the IANA data".to_string(),
        ));
    }
    Ok(def)
}

impl ZoneDef {
    /// The UTC offset this definition gives at `utc`, as a calendar client computes it; `None`
    /// before the first onset.
    pub fn offset_at(&self, utc: NaiveDateTime) -> Option<i32> {
        let y = utc.year();
        self.observances
            .iter()
            .flat_map(|o| {
                (y - 1..=y).filter_map(move |yy| o.onset_utc(yy).map(|t| (t, o.offset_to)))
            })
            .filter(|(t, _)| *t <= utc)
            .max()
            .map(|(_, off)| off)
    }

    /// The VTIMEZONE component, built with the `ics` crate.
    pub fn component(&self) -> TimeZone<'static> {
        let mut tz: Option<TimeZone<'static>> = None;
        for o in &self.observances {
            let start = o.start.format("%Y%m%dT%H%M%S").to_string();
            let mut props: Vec<Property<'static>> = Vec::new();
            if let Some(r) = &o.rule {
                props.push(Property::new("RRULE", r.rrule()));
            }
            if let Some(n) = &o.name {
                props.push(Property::new("TZNAME", super::fold::text(n)));
            }
            let (from, to) = (offset_text(o.offset_from), offset_text(o.offset_to));
            if o.daylight {
                let mut d = Daylight::new(start, from, to);
                for p in props {
                    d.push(p);
                }
                match &mut tz {
                    Some(t) => t.add_daylight(d),
                    None => tz = Some(TimeZone::daylight(self.tzid, d)),
                }
            } else {
                let mut s = Standard::new(start, from, to);
                for p in props {
                    s.push(p);
                }
                match &mut tz {
                    Some(t) => t.add_standard(s),
                    None => tz = Some(TimeZone::standard(self.tzid, s)),
                }
            }
        }
        tz.unwrap_or_else(|| {
            TimeZone::standard(
                self.tzid,
                Standard::new("19700101T000000", "+0000", "+0000"),
            )
        })
    }
}

/// `+0530`, `-0330`, or with seconds when the offset has them.
pub fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The UTC offset of `tz` at `utc`, in seconds (for tests and the bench's checks).
pub fn iana_offset(tz: Tz, utc: DateTime<Utc>) -> i32 {
    offset(tz, utc.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares the derived definition with the IANA data every hour of the window.
    fn hour_by_hour(tz: Tz) -> Result<ZoneDef, Unexpressible> {
        let def = derive(tz)?;
        let mut t = year_start(FIRST_YEAR + 1);
        let end = year_start(LAST_YEAR + 1);
        let mut checked = 0;
        while t < end {
            assert_eq!(
                def.offset_at(t),
                Some(offset(tz, t)),
                "{} at {t} UTC",
                tz.name()
            );
            t += Duration::hours(1);
            checked += 1;
        }
        assert!(checked > 5 * 365 * 24);
        Ok(def)
    }

    fn rules(def: &ZoneDef) -> Vec<String> {
        def.observances
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}->{} {}",
                    if o.daylight { "D" } else { "S" },
                    o.start.format("%Y%m%dT%H%M%S"),
                    offset_text(o.offset_from),
                    offset_text(o.offset_to),
                    o.rule.map(|r| r.rrule()).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn zones_agree_with_iana_hour_by_hour() {
        use chrono_tz::*;
        for tz in [
            America::New_York,
            America::Chicago,
            America::Los_Angeles,
            Europe::London,
            Europe::Dublin,
            Europe::Berlin,
            Australia::Sydney,
            Pacific::Auckland,
            Asia::Kolkata,
            Asia::Kathmandu,
            Australia::Lord_Howe,
            America::St_Johns,
            America::Sao_Paulo,
            Asia::Tokyo,
            UTC,
            Pacific::Chatham,
            Australia::Adelaide,
        ] {
            if let Err(e) = hour_by_hour(tz) {
                panic!("{}: {}", e.tzid, e.reason);
            }
        }
    }

    #[test]
    fn known_rules() {
        use chrono_tz::*;
        let ny = derive(America::New_York).unwrap();
        assert_eq!(
            rules(&ny),
            [
                "D 20250309T020000 -0500->-0400 FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "S 20251102T020000 -0400->-0500 FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
            ]
        );
        let london = derive(Europe::London).unwrap();
        assert_eq!(
            rules(&london),
            [
                "D 20250330T010000 +0000->+0100 FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "S 20251026T020000 +0100->+0000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
            ]
        );
        let lhi = derive(Australia::Lord_Howe).unwrap();
        assert_eq!(
            rules(&lhi),
            [
                "D 20251005T020000 +1030->+1100 FREQ=YEARLY;BYMONTH=10;BYDAY=1SU",
                "S 20250406T020000 +1100->+1030 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"
            ]
        );
        let ktm = derive(Asia::Kathmandu).unwrap();
        assert_eq!(rules(&ktm), ["S 19700101T000000 +0545->+0545 "]);
        assert_eq!(offset_text(-12_600), "-0330");
    }

    #[test]
    fn irregular_zones_are_refused_with_a_reason() {
        let err = derive(chrono_tz::Africa::Casablanca).unwrap_err();
        assert_eq!(err.tzid, "Africa/Casablanca");
        assert!(err.reason.contains("not twice a year") || err.reason.contains("rule"));
    }

    /// Every zone in the IANA data is either written correctly or refused: never wrong.
    #[test]
    fn every_zone_is_right_or_refused() {
        let mut refused = 0;
        for tz in chrono_tz::TZ_VARIANTS {
            let Ok(def) = derive(tz) else {
                refused += 1;
                continue;
            };
            // Check around every change and at month starts, which is where a wrong rule shows.
            for y in FIRST_YEAR + 1..=LAST_YEAR {
                for m in 1..=12 {
                    for d in [1, 8, 15, 22, 29] {
                        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                            for h in [0, 6, 12, 18] {
                                let t = date.and_hms_opt(h, 0, 0).unwrap_or_default();
                                assert_eq!(def.offset_at(t), Some(offset(tz, t)), "{tz} {t}");
                            }
                        }
                    }
                }
            }
        }
        assert!(
            refused < chrono_tz::TZ_VARIANTS.len() / 4,
            "{refused} refused"
        );
    }
}
