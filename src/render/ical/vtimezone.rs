//! VTIMEZONE definitions derived at build time from the IANA data compiled into chrono-tz.
//!
//! Every IANA zone gets a definition; the TZID is always the IANA name. Two forms:
//!
//! - **Yearly rules**, the form Outlook (and Exchange behind many other clients) reads: one
//!   STANDARD and one DAYLIGHT observance, each recurring on "the nth (or last) weekday of a
//!   month at a local time". We look at what the zone does from [`FIRST_YEAR`] to
//!   [`LAST_YEAR`], check that the changes follow one such rule each way, and write that rule
//!   from 1970 on (Python vobject takes a zone without a change between 2000 and 2020 for UTC).
//!   A zone without changes in the window is a single STANDARD observance from 1970 with an
//!   RDATE equal to its DTSTART (PyPI `ical` ignores an observance without RRULE or RDATE).
//! - **Exact transitions**, for zones whose changes no yearly rule expresses (Morocco's
//!   Ramadan changes, Chile's "first Sunday on or after the 2nd", Israel's "Friday before the
//!   last Sunday"...): one observance per offset pair and direction, DTSTART at its first
//!   change from [`FIRST_YEAR`] on and an RDATE for every later change up to the end of
//!   [`LAST_YEAR`] (RFC 5545 3.6.5), after a STANDARD observance that holds the offset in
//!   force from 1970 to the first change. What Outlook makes of this form is in
//!   `docs/calendar.md`.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::{OffsetName, Tz};
use ics::components::Property;
use ics::{Daylight, Standard, TimeZone};

/// The first year whose offset changes are examined (and the first year of the exact form).
/// It is the year before the feeds' anchor date, so that every event's first occurrence
/// follows the onsets that matter to it.
pub(crate) const FIRST_YEAR: i32 = 2025;
/// The last year examined: the yearly rules are checked against the IANA data up to its end,
/// and the exact form lists every change up to its end.
pub(crate) const LAST_YEAR: i32 = 2040;
/// The year every definition starts in.
pub(crate) const HISTORY_YEAR: i32 = 1970;

/// A yearly rule: the `nth` (1..=4, or -1 for last) `weekday` of `month`, at local `time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct YearlyRule {
    pub(crate) month: u32,
    pub(crate) weekday: Weekday,
    pub(crate) nth: i8,
    /// Wall-clock time of the change, in the offset in force before it.
    pub(crate) time: NaiveTime,
}

impl YearlyRule {
    /// The local date-time of the change in `year`.
    pub(crate) fn in_year(&self, year: i32) -> Option<NaiveDateTime> {
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
    pub(crate) fn rrule(&self) -> String {
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
pub(crate) struct Observance {
    pub(crate) daylight: bool,
    /// First onset, local time in `offset_from`.
    pub(crate) start: NaiveDateTime,
    /// Seconds east of UTC.
    pub(crate) offset_from: i32,
    pub(crate) offset_to: i32,
    pub(crate) name: Option<String>,
    /// The yearly rule of the yearly form.
    pub(crate) rule: Option<YearlyRule>,
    /// Onsets after `start` (local time in `offset_from`), one RDATE each. An observance
    /// without a rule and without later onsets repeats `start` here.
    pub(crate) rdates: Vec<NaiveDateTime>,
}

impl Observance {
    /// The UTC instants of this observance's onsets that can be the latest one at a time in
    /// `year`: the rule's onsets in `year` and the year before, or every listed onset.
    #[cfg(test)]
    fn onsets_utc(&self, year: i32) -> Vec<NaiveDateTime> {
        let local: Vec<NaiveDateTime> = match &self.rule {
            Some(r) => (year - 1..=year).filter_map(|y| r.in_year(y)).collect(),
            None => std::iter::once(self.start)
                .chain(self.rdates.iter().copied())
                .collect(),
        };
        local
            .into_iter()
            .filter(|l| *l >= self.start)
            .map(|l| l - Duration::seconds(i64::from(self.offset_from)))
            .collect()
    }
}

/// Which form a definition takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// No offset change in the window: one STANDARD observance.
    Fixed,
    /// One STANDARD and one DAYLIGHT observance with yearly rules.
    Yearly,
    /// Every change listed; `reason` says why no yearly rule fits.
    Exact { reason: String },
}

/// A zone's definition as the feeds write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZoneDef {
    pub(crate) tzid: &'static str,
    pub(crate) form: Form,
    pub(crate) observances: Vec<Observance>,
}

/// A change of UTC offset found in the IANA data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Transition {
    /// UTC instant of the change.
    pub(crate) at: NaiveDateTime,
    /// Offsets before and after, seconds east of UTC.
    pub(crate) from: i32,
    pub(crate) to: i32,
}

impl Transition {
    /// The wall-clock time of the change, in the offset in force before it.
    pub(crate) fn local_before(&self) -> NaiveDateTime {
        self.at + Duration::seconds(i64::from(self.from))
    }

    /// The wall-clock time of the change, in the offset in force after it.
    pub(crate) fn local_after(&self) -> NaiveDateTime {
        self.at + Duration::seconds(i64::from(self.to))
    }
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

/// Midnight of 1 January of `year`.
pub(crate) fn year_start(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::MIN)
}

/// Every offset change in `[from, to)` (UTC), found day by day and then to the second. Zones
/// change offset at most once a day, so a daily step cannot miss a change. (chrono-tz has no
/// public list of transitions.)
pub(crate) fn transitions(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<Transition> {
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

/// The offset changes of `tz` from [`FIRST_YEAR`] to the end of [`LAST_YEAR`].
pub(crate) fn window_transitions(tz: Tz) -> Vec<Transition> {
    transitions(tz, year_start(FIRST_YEAR), year_start(LAST_YEAR + 1))
}

/// Derives the definition of `tz` from its IANA data. Every zone has one.
pub(crate) fn derive(tz: Tz) -> ZoneDef {
    let tzid = tz.name();
    let changes = window_transitions(tz);
    let Some(first) = changes.first() else {
        let start = year_start(HISTORY_YEAR);
        let off = offset(tz, year_start(FIRST_YEAR));
        return ZoneDef {
            tzid,
            form: Form::Fixed,
            observances: vec![Observance {
                daylight: false,
                start,
                offset_from: off,
                offset_to: off,
                name: name_at(tz, year_start(FIRST_YEAR)),
                rule: None,
                rdates: vec![start],
            }],
        };
    };
    match yearly(tz, &changes) {
        Ok(observances) => ZoneDef {
            tzid,
            form: Form::Yearly,
            observances,
        },
        Err(reason) => {
            let start = year_start(HISTORY_YEAR);
            // The offset in force before the window, from 1970: readers that look at earlier
            // years (vobject compares 2000-2020 with UTC) see the zone's own offset.
            let mut observances = vec![Observance {
                daylight: false,
                start,
                offset_from: first.from,
                offset_to: first.from,
                name: name_at(tz, first.at - Duration::seconds(1)),
                rule: None,
                rdates: vec![start],
            }];
            for c in &changes {
                let local = c.local_before();
                match observances
                    .iter_mut()
                    .skip(1)
                    .find(|o| (o.offset_from, o.offset_to) == (c.from, c.to))
                {
                    Some(o) => o.rdates.push(local),
                    None => observances.push(Observance {
                        // As in the yearly form, the larger offset is daylight time.
                        daylight: c.to > c.from,
                        start: local,
                        offset_from: c.from,
                        offset_to: c.to,
                        name: name_at(tz, c.at),
                        rule: None,
                        rdates: Vec::new(),
                    }),
                }
            }
            for o in &mut observances {
                if o.rdates.is_empty() {
                    o.rdates.push(o.start);
                }
            }
            ZoneDef {
                tzid,
                form: Form::Exact { reason },
                observances,
            }
        }
    }
}

/// The yearly-rule form of a zone with `changes` in the window, or why there is none.
fn yearly(tz: Tz, changes: &[Transition]) -> Result<Vec<Observance>, String> {
    let years = (LAST_YEAR - FIRST_YEAR + 1) as usize;
    if changes.len() != 2 * years {
        return Err(format!(
            "it changes its UTC offset {} times between {FIRST_YEAR} and {LAST_YEAR}, not twice \
             a year",
            changes.len()
        ));
    }
    let mut observances = Vec::with_capacity(2);
    for daylight in [true, false] {
        // Daylight time is the larger offset; that also holds for zones such as Europe/Dublin
        // whose IANA data calls winter time "negative daylight saving".
        let ours: Vec<&Transition> = changes
            .iter()
            .filter(|c| (c.to > c.from) == daylight)
            .collect();
        let kind = if daylight { "daylight" } else { "standard" };
        let Some(first) = ours.first().copied().filter(|_| ours.len() == years) else {
            return Err(format!(
                "it does not change to {kind} time exactly once a year"
            ));
        };
        let l0 = first.local_before();
        for c in &ours {
            if (c.from, c.to) != (first.from, first.to) {
                return Err(format!(
                    "its offsets change on {} UTC (from {} to {}, earlier from {} to {})",
                    c.at.format("%Y-%m-%d %H:%M"),
                    offset_text(c.from),
                    offset_text(c.to),
                    offset_text(first.from),
                    offset_text(first.to)
                ));
            }
            let l = c.local_before();
            if l.month() != l0.month() || l.weekday() != l0.weekday() || l.time() != l0.time() {
                return Err(format!(
                    "its change on {} (local time) does not follow the rule of its change on {}",
                    l.format("%Y-%m-%d %H:%M"),
                    l0.format("%Y-%m-%d %H:%M")
                ));
            }
        }
        let nth_of = |d: NaiveDateTime| (d.day0() / 7 + 1) as i8;
        let is_last = |d: NaiveDateTime| (d.date() + Duration::days(7)).month() != d.month();
        let nth = if ours.iter().all(|c| nth_of(c.local_before()) == nth_of(l0)) && nth_of(l0) <= 4
        {
            nth_of(l0)
        } else if ours.iter().all(|c| is_last(c.local_before())) {
            -1
        } else {
            return Err(format!(
                "its changes to {kind} time fall on different weeks of {} (e.g. {} and {})",
                l0.format("%B"),
                l0.format("%Y-%m-%d"),
                ours.iter()
                    .map(|c| c.local_before())
                    .find(|l| nth_of(*l) != nth_of(l0))
                    .unwrap_or(l0)
                    .format("%Y-%m-%d"),
            ));
        };
        let rule = YearlyRule {
            month: l0.month(),
            weekday: l0.weekday(),
            nth,
            time: l0.time(),
        };
        observances.push(Observance {
            daylight,
            // The rule from 1970 on, as Google's feeds write it: see the module comment.
            start: rule.in_year(HISTORY_YEAR).unwrap_or(l0),
            offset_from: first.from,
            offset_to: first.to,
            name: name_at(tz, first.at),
            rule: Some(rule),
            rdates: Vec::new(),
        });
    }
    // The rules must reproduce every change found, to the second.
    let mut predicted: Vec<(NaiveDateTime, i32)> = observances
        .iter()
        .filter_map(|o| o.rule.map(|r| (o, r)))
        .flat_map(|(o, r)| {
            (FIRST_YEAR..=LAST_YEAR).filter_map(move |y| {
                r.in_year(y)
                    .map(|l| (l - Duration::seconds(i64::from(o.offset_from)), o.offset_to))
            })
        })
        .collect();
    predicted.sort();
    let found: Vec<(NaiveDateTime, i32)> = changes.iter().map(|c| (c.at, c.to)).collect();
    if predicted != found {
        return Err("its yearly rules do not reproduce every change".to_string());
    }
    Ok(observances)
}

impl ZoneDef {
    /// The UTC offset this definition gives at `utc`, as a calendar client computes it; `None`
    /// before the first onset. Only the tests need it: they check that every definition gives
    /// IANA's offset at every instant around its changes.
    #[cfg(test)]
    pub(crate) fn offset_at(&self, utc: NaiveDateTime) -> Option<i32> {
        let y = utc.year();
        self.observances
            .iter()
            .flat_map(|o| o.onsets_utc(y).into_iter().map(|t| (t, o.offset_to)))
            .filter(|(t, _)| *t <= utc)
            .max()
            .map(|(_, off)| off)
    }

    /// The VTIMEZONE component, built with the `ics` crate.
    pub(crate) fn component(&self) -> TimeZone<'static> {
        let stamp = |t: &NaiveDateTime| t.format("%Y%m%dT%H%M%S").to_string();
        let mut tz: Option<TimeZone<'static>> = None;
        for o in &self.observances {
            let start = stamp(&o.start);
            let mut props: Vec<Property<'static>> = Vec::new();
            if let Some(r) = &o.rule {
                props.push(Property::new("RRULE", r.rrule()));
            }
            // One RDATE per line: every reader of the suite takes that form.
            props.extend(o.rdates.iter().map(|d| Property::new("RDATE", stamp(d))));
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
pub(crate) fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(def: &ZoneDef) -> Vec<String> {
        def.observances
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}->{} {}{}",
                    if o.daylight { "D" } else { "S" },
                    o.start.format("%Y%m%dT%H%M%S"),
                    offset_text(o.offset_from),
                    offset_text(o.offset_to),
                    o.rule.map(|r| r.rrule()).unwrap_or_default(),
                    o.rdates
                        .iter()
                        .map(|d| format!(" R{}", d.format("%Y%m%dT%H%M%S")))
                        .collect::<String>()
                )
            })
            .collect()
    }

    #[test]
    fn known_rules_start_in_1970() {
        use chrono_tz::*;
        let ny = derive(America::New_York);
        assert_eq!(ny.form, Form::Yearly);
        assert_eq!(
            rules(&ny),
            [
                "D 19700308T020000 -0500->-0400 FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "S 19701101T020000 -0400->-0500 FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
            ]
        );
        let london = derive(Europe::London);
        assert_eq!(
            rules(&london),
            [
                "D 19700329T010000 +0000->+0100 FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "S 19701025T020000 +0100->+0000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
            ]
        );
        let lhi = derive(Australia::Lord_Howe);
        assert_eq!(
            rules(&lhi),
            [
                "D 19701004T020000 +1030->+1100 FREQ=YEARLY;BYMONTH=10;BYDAY=1SU",
                "S 19700405T020000 +1100->+1030 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"
            ]
        );
        // Without daylight saving time: one observance whose RDATE repeats its DTSTART.
        let ktm = derive(Asia::Kathmandu);
        assert_eq!(ktm.form, Form::Fixed);
        assert_eq!(
            rules(&ktm),
            ["S 19700101T000000 +0545->+0545  R19700101T000000"]
        );
        assert_eq!(offset_text(-12_600), "-0330");
    }

    #[test]
    fn irregular_zones_list_every_change() {
        let def = derive(chrono_tz::America::Santiago);
        assert!(matches!(def.form, Form::Exact { .. }), "{:?}", def.form);
        let r = rules(&def);
        // The offset before the first change from 1970, then one observance per direction.
        assert_eq!(r[0], "S 19700101T000000 -0300->-0300  R19700101T000000");
        assert_eq!(r.len(), 3, "{r:#?}");
        // Chile: first Sunday on or after 2 April at 24:00 (-03), first Sunday on or after
        // 2 September at 24:00 (-04); 2030-09-01 is a Sunday, so the change is on the 8th.
        assert!(
            r[1].starts_with("S 20250406T000000 -0300->-0400  R20260405T000000"),
            "{}",
            r[1]
        );
        assert!(
            r[2].starts_with("D 20250907T000000 -0400->-0300 "),
            "{}",
            r[2]
        );
        assert!(r[2].contains(" R20300908T000000"), "{}", r[2]);
        assert!(r[2].ends_with(" R20400902T000000"), "{}", r[2]);

        let casa = derive(chrono_tz::Africa::Casablanca);
        let Form::Exact { reason } = &casa.form else {
            panic!("{:?}", casa.form)
        };
        assert!(reason.contains("not twice a year"), "{reason}");
        // +01 all year except during Ramadan (+00): 2 changes a year.
        let r = rules(&casa);
        assert_eq!(r[0], "S 19700101T000000 +0100->+0100  R19700101T000000");
        assert_eq!(r.len(), 3, "{r:#?}");
        let lists: usize = casa.observances[1..]
            .iter()
            .map(|o| o.rdates.len() + 1)
            .sum();
        assert_eq!(
            lists,
            window_transitions(chrono_tz::Africa::Casablanca).len()
        );
    }

    /// Every zone in the IANA data gets a definition that agrees with it: checked hour by hour
    /// for the zones below, and around every change and at month starts for all of them (the
    /// integration tests compare the written VTIMEZONE of every zone hour by hour).
    #[test]
    fn every_zone_agrees_with_iana() {
        use chrono_tz::*;
        for tz in [
            America::Santiago,
            Africa::Casablanca,
            Asia::Jerusalem,
            Europe::Dublin,
            Australia::Lord_Howe,
        ] {
            let def = derive(tz);
            let mut t = year_start(FIRST_YEAR + 1);
            while t < year_start(LAST_YEAR + 1) {
                assert_eq!(def.offset_at(t), Some(offset(tz, t)), "{tz} at {t} UTC");
                t += Duration::hours(1);
            }
        }
        let mut exact = Vec::new();
        for tz in TZ_VARIANTS {
            let def = derive(tz);
            if matches!(def.form, Form::Exact { .. }) {
                exact.push(tz.name());
            }
            let mut points: Vec<NaiveDateTime> = window_transitions(tz)
                .iter()
                .flat_map(|c| [c.at - Duration::seconds(1), c.at])
                .collect();
            for y in FIRST_YEAR + 1..=LAST_YEAR {
                points.extend((1..=12).filter_map(|m| {
                    NaiveDate::from_ymd_opt(y, m, 1).map(|d| d.and_time(NaiveTime::MIN))
                }));
            }
            for t in points.into_iter().filter(|t| *t >= year_start(FIRST_YEAR)) {
                assert_eq!(def.offset_at(t), Some(offset(tz, t)), "{tz} at {t} UTC");
            }
        }
        for tz in [
            "Africa/Casablanca",
            "America/Santiago",
            "Asia/Jerusalem",
            "Africa/Cairo",
        ] {
            assert!(exact.contains(&tz), "{tz} not in {exact:?}");
        }
        assert!(!exact.contains(&"America/New_York"));
    }
}
