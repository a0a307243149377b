//! When a meeting happens: weekdays, wall-clock times and the recurrence pattern.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

/// Weekdays in the order a meeting list shows them (Sunday first, as Meeting Guide numbers them).
pub const WEEK: [Weekday; 7] = [
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
];

/// The lowercase English name used in records and URLs (`monday`).
pub fn day_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The English name with a capital (`Monday`), whatever the site's language: the `Day`
/// column of the 12 Step Meeting List CSV, schema.org's day names and Lantern's own messages.
/// (Pages show the translated name, [`crate::render::i18n::format::day_name`].)
pub(crate) fn english_day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub(crate) fn parse_day(s: &str) -> Option<Weekday> {
    WEEK.into_iter()
        .find(|d| day_key(*d).eq_ignore_ascii_case(s.trim()))
}

/// Meeting Guide's day number: 0 = Sunday ... 6 = Saturday.
pub(crate) fn day_number(day: Weekday) -> u32 {
    day.num_days_from_sunday()
}

/// `19:00`: the 24-hour form the feeds and records use.
pub(crate) fn hhmm(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Parses a strict 24-hour `HH:MM` (`7:00` and `19:00:00` are refused, so records stay uniform).
pub(crate) fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let h: u32 = s[..2].parse().ok()?;
    let m: u32 = s[3..].parse().ok()?;
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Reads a time the way people write one, for imports and for the hint on a mistyped record:
/// `19:00`, `7:00`, `19:00:00`, `1900`, `7:00 PM`, `7 pm`, `7:30 p.m.`, `12:30 AM`. Seconds are
/// dropped. This is the only loose time reader: records themselves must use [`parse_hhmm`].
pub(crate) fn parse_loose_time(s: &str) -> Option<NaiveTime> {
    // Works on characters, never byte offsets: the text comes from files and may hold anything.
    let lower: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let (rest, pm) = if let Some(r) = lower.strip_suffix("pm") {
        (r, Some(true))
    } else if let Some(r) = lower.strip_suffix("am") {
        (r, Some(false))
    } else {
        (lower.as_str(), None)
    };
    let number = |part: &str, min: usize, max: usize| -> Option<u32> {
        let n = part.chars().count();
        if n < min || n > max || !part.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let (h, m) = match parts.as_slice() {
        [h, m] => (number(h, 1, 2)?, number(m, 2, 2)?),
        [h, m, sec] => {
            if number(sec, 2, 2)? > 59 {
                return None;
            }
            (number(h, 1, 2)?, number(m, 2, 2)?)
        }
        // `7`, `19`, `700`, `1900`: every character is an ASCII digit, so it splits by value.
        [whole] => {
            let n = number(whole, 1, 4)?;
            if whole.chars().count() <= 2 {
                (n, 0)
            } else {
                (n / 100, n % 100)
            }
        }
        _ => return None,
    };
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) if h != 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (the Meeting Guide `updated` form, in UTC).
pub(crate) fn parse_date_time(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let s = s.trim();
    if let Some(d) = parse_date(s) {
        return Some((d, None));
    }
    let dt = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()?;
    Some((dt.date(), Some(dt.time())))
}

/// How often a meeting happens on its weekday(s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recurrence {
    /// Every week.
    Weekly,
    /// Only on these weeks of the month: 1..=5, or -1 for the last.
    Monthly(Vec<i8>),
    /// Every other week, counting from this date (which falls on the meeting's day).
    Biweekly(NaiveDate),
}

impl Recurrence {
    /// Whether the meeting happens on `date` (which is assumed to fall on one of its weekdays).
    pub(crate) fn occurs_on(&self, date: NaiveDate) -> bool {
        match self {
            Recurrence::Weekly => true,
            Recurrence::Monthly(weeks) => {
                let nth = (date.day0() / 7 + 1) as i8;
                let is_last = date
                    .checked_add_days(chrono::Days::new(7))
                    .is_none_or(|d| d.month() != date.month());
                weeks.iter().any(|w| *w == nth || (*w == -1 && is_last))
            }
            Recurrence::Biweekly(from) => {
                let days = (date - *from).num_days();
                days.rem_euclid(14) < 7
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhmm_is_strict() {
        assert_eq!(parse_hhmm("19:00"), NaiveTime::from_hms_opt(19, 0, 0));
        assert_eq!(parse_hhmm("00:30"), NaiveTime::from_hms_opt(0, 30, 0));
        for bad in ["7:00", "24:00", "19:60", "19:00:00", "1900", "ab:cd", ""] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn loose_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        for (text, want) in [
            ("19:00", t(19, 0)),
            ("7:05", t(7, 5)),
            ("7:00", t(7, 0)),
            ("19:00:00", t(19, 0)),
            ("1900", t(19, 0)),
            ("700", t(7, 0)),
            ("7", t(7, 0)),
            ("6:00 PM", t(18, 0)),
            ("12:00 PM", t(12, 0)),
            ("12:30 am", t(0, 30)),
            ("12am", t(0, 0)),
            ("7pm", t(19, 0)),
            ("7 p.m.", t(19, 0)),
            ("7:30 p.m.", t(19, 30)),
            ("25:00", None),
            ("24:00", None),
            ("19:60", None),
            ("19:00:60", None),
            ("13:00 PM", None),
            ("0 am", None),
            ("7:5", None),
            ("12345", None),
            ("noon", None),
            ("evening", None),
            ("", None),
            // Multi-byte characters where a byte-offset parser would cut one in half.
            ("🕖", None),
            ("7€", None),
            ("8€", None),
            ("€€", None),
            ("1€:00", None),
            ("19:0€", None),
            ("٧:٠٠", None),
        ] {
            assert_eq!(parse_loose_time(text), want, "{text:?}");
        }
    }

    #[test]
    fn monthly_weeks() {
        let first_and_third = Recurrence::Monthly(vec![1, 3]);
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(first_and_third.occurs_on(d(2026, 11, 2)));
        assert!(!first_and_third.occurs_on(d(2026, 11, 9)));
        assert!(first_and_third.occurs_on(d(2026, 11, 16)));
        let last = Recurrence::Monthly(vec![-1]);
        assert!(last.occurs_on(d(2026, 11, 30)));
        assert!(!last.occurs_on(d(2026, 11, 23)));
    }

    #[test]
    fn day_names_are_the_keys_with_a_capital() {
        for d in WEEK {
            let (name, key) = (english_day_name(d), day_key(d));
            assert_eq!(name.to_lowercase(), key);
            assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
            assert_eq!(parse_day(name), Some(d));
        }
    }

    #[test]
    fn biweekly_counts_from_start() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let r = Recurrence::Biweekly(d(2026, 1, 5));
        assert!(r.occurs_on(d(2026, 1, 5)));
        assert!(!r.occurs_on(d(2026, 1, 12)));
        assert!(r.occurs_on(d(2026, 1, 19)));
        assert!(r.occurs_on(d(2025, 12, 22)));
    }
}
