//! Times, dates and schedules in words, in the site's language (with its [`super::Strings`]).

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};

use super::Strings;
use crate::model::schedule::day_key;
use crate::model::{Meeting, Recurrence};

/// The weekday as a heading or menu shows it: "Monday", "Lunes".
pub(crate) fn day_name(day: Weekday, s: &Strings) -> String {
    s.get(day_key(day)).to_string()
}

/// The weekday inside a sentence: "Monday", "lunes" (CLDR's form, unless the site's own
/// translations name the day differently).
fn day_in_text(day: Weekday, s: &Strings) -> String {
    let heading = day_name(day, s);
    s.1.weekdays()
        .map(|names| &names[day.num_days_from_sunday() as usize])
        .filter(|name| super::capitalised(name) == heading)
        .map_or(heading.clone(), String::clone)
}

/// "7:00 pm" (12-hour languages) or "19:00".
pub(crate) fn time(t: NaiveTime, s: &Strings) -> String {
    if s.get("time_format") == "24h" {
        return format!("{:02}:{:02}", t.hour(), t.minute());
    }
    let (pm, h) = t.hour12();
    format!(
        "{h}:{:02} {}",
        t.minute(),
        if pm { s.get("pm") } else { s.get("am") }
    )
}

/// "Monday, 7:00 pm".
pub(crate) fn day_time(day: Weekday, t: NaiveTime, s: &Strings) -> String {
    s.get("day_time")
        .replace("{day}", &day_name(day, s))
        .replace("{time}", &time(t, s))
}

/// "January 15, 2027", "15 de enero de 2027": CLDR's long date of the site's language.
pub(crate) fn date(d: NaiveDate, s: &Strings) -> String {
    s.1.date(d)
}

/// Joins "a", "b", "c" as "a, b and c".
pub(crate) fn join_words(items: &[String], s: &Strings) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), s.get("and")),
    }
}

/// A meeting's weekdays in words: "Every day", "Monday to Friday", else "Monday, Wednesday
/// and Friday". `days` is sorted Sunday first without repeats (the model's order).
pub(crate) fn days_in_words(days: &[Weekday], s: &Strings) -> String {
    use Weekday::*;
    match days {
        [Sun, Mon, Tue, Wed, Thu, Fri, Sat] => s.get("days_every").to_string(),
        [Mon, Tue, Wed, Thu, Fri] => s.get("days_mon_to_fri").to_string(),
        // A list that starts a line: "Lunes, miércoles y viernes".
        _ => super::capitalised(&join_words(
            &days.iter().map(|d| day_in_text(*d, s)).collect::<Vec<_>>(),
            s,
        )),
    }
}

/// How often the meeting happens, in words, or None for a plain weekly meeting.
pub(crate) fn recurrence(m: &Meeting, s: &Strings) -> Option<String> {
    let days = join_words(
        &m.days
            .iter()
            .map(|d| day_in_text(*d, s))
            .collect::<Vec<_>>(),
        s,
    );
    match &m.recurrence {
        Recurrence::Weekly => None,
        Recurrence::Monthly(weeks) => {
            let words: Vec<String> = weeks
                .iter()
                .map(|w| match w {
                    -1 => s.get("week_last").to_string(),
                    n => s.get(&format!("week_{n}")).to_string(),
                })
                .collect();
            Some(
                s.get("monthly_note")
                    .replace("{weeks}", &join_words(&words, s))
                    .replace("{days}", &days),
            )
        }
        Recurrence::Biweekly(from) => Some(
            s.get("biweekly_note")
                .replace("{date}", &date(*from, s))
                .replace("{days}", &days),
        ),
    }
}

/// A zone in words, from its IANA name: `America/Chicago` -> "Chicago time",
/// `America/Argentina/Buenos_Aires` -> "Buenos Aires time". Every zone has such a name, in
/// every language with a `time_zone_in_words` string, without a table of zone names.
pub(crate) fn zone_in_words(zone: &str, s: &Strings) -> String {
    let city = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    s.get("time_zone_in_words").replace("{city}", &city)
}

/// A dial string split for reading: the number to call, and what to dial once connected
/// (after the first `,` pause or `;` wait), without the pauses. "+1 555 0101,,401275318#"
/// reads "+1 555 0101" then "401275318#"; the dial link keeps the whole string.
pub(crate) fn phone_parts(phone: &str) -> (String, Option<String>) {
    match phone.split_once([',', ';']) {
        Some((number, rest)) => {
            // Codes dialled after separate pauses stay apart: "123 456#".
            let then = rest
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (
                number.trim().to_string(),
                (!then.is_empty()).then_some(then),
            )
        }
        None => (phone.trim().to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> Strings {
        crate::render::i18n::builtin_strings("en")
    }

    #[test]
    fn days_in_words_name_the_common_patterns() {
        use Weekday::*;
        let s = strings();
        assert_eq!(
            days_in_words(&[Sun, Mon, Tue, Wed, Thu, Fri, Sat], &s),
            "Every day"
        );
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Thu, Fri], &s),
            "Monday to Friday"
        );
        assert_eq!(
            days_in_words(&[Mon, Wed, Fri], &s),
            "Monday, Wednesday and Friday"
        );
        assert_eq!(days_in_words(&[Tue, Thu], &s), "Tuesday and Thursday");
    }

    #[test]
    fn english_times() {
        let s = strings();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(time(t(19, 0), &s), "7:00 pm");
        assert_eq!(time(t(0, 30), &s), "12:30 am");
        assert_eq!(time(t(12, 0), &s), "12:00 pm");
        assert_eq!(day_time(Weekday::Mon, t(19, 0), &s), "Monday, 7:00 pm");
    }

    #[test]
    fn english_dates() {
        let s = strings();
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(), &s),
            "January 15, 2027"
        );
        assert_eq!(
            join_words(&["a".into(), "b".into(), "c".into()], &s),
            "a, b and c"
        );
    }

    #[test]
    fn other_languages_write_dates_and_days_as_cldr_does() {
        use Weekday::*;
        let d = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let es = crate::render::i18n::builtin_strings("es");
        assert_eq!(date(d, &es), "15 de enero de 2027");
        assert_eq!(
            day_name(Mon, &es),
            "Lunes",
            "a heading starts with a capital"
        );
        assert_eq!(
            days_in_words(&[Mon, Wed, Fri], &es),
            "Lunes, miércoles y viernes"
        );
        let fr = crate::render::i18n::builtin_strings("fr");
        assert_eq!(date(d, &fr), "15 janvier 2027");
        assert_eq!(fr.count("meetings_count", 0), "0 réunion");
        let pt = crate::render::i18n::builtin_strings("pt");
        assert_eq!(date(d, &pt), "15 de janeiro de 2027");
        assert_eq!(day_name(Mon, &pt), "Segunda-feira");
        // A tag with a country reads its language's file and CLDR's data for the country.
        let en_gb = crate::render::i18n::builtin_strings("en-GB");
        assert_eq!(date(d, &en_gb), "15 January 2027");
        assert_eq!(en_gb.count("meetings_count", 1), "1 meeting");
    }

    #[test]
    fn dial_strings_read_as_a_number_and_what_to_dial_then() {
        assert_eq!(
            phone_parts("+1 555 0101,,401275318#"),
            ("+1 555 0101".to_string(), Some("401275318#".to_string()))
        );
        assert_eq!(
            phone_parts("+44 20 7946 0000"),
            ("+44 20 7946 0000".to_string(), None)
        );
        assert_eq!(
            phone_parts("+1 555 0101,,"),
            ("+1 555 0101".to_string(), None)
        );
        assert_eq!(
            phone_parts("+1 555 0101;123,,456#"),
            ("+1 555 0101".to_string(), Some("123 456#".to_string()))
        );
    }
}
