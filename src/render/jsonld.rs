//! schema.org structured data for meeting pages: an `Event` with a repeating `Schedule`, a
//! `Place` (with `PostalAddress` and `GeoCoordinates`) for in-person meetings and a
//! `VirtualLocation` for online ones, so search engines can show when and where a meeting is.

use crate::model::schedule::hhmm;
use serde::Serialize;

use super::meeting_guide::plain_text;
use super::urls;
use crate::model::schedule::english_day_name;
use crate::model::{Attendance, Meeting, Recurrence, Site, Status};

/// The JSON-LD of a meeting page, escaped so it can sit inside `<script>` as it is.
pub(crate) fn meeting(site: &Site, m: &Meeting) -> String {
    script_safe(serde_json::to_string(&event(site, m)).unwrap_or_else(|_| "{}".into()))
}

// The structs below serialize their fields in the order they are declared: alphabetical, as
// schema.org's examples and most validators print them, with `@` keys first.

/// The `Event` object.
#[derive(Serialize)]
pub(crate) struct Event<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(rename = "eventAttendanceMode")]
    attendance_mode: &'static str,
    #[serde(rename = "eventSchedule")]
    schedule: Schedule,
    #[serde(rename = "eventStatus")]
    status: &'static str,
    #[serde(rename = "isAccessibleForFree")]
    free: bool,
    location: OneOrMore<Place<'a>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<Organization<'a>>,
    url: String,
}

#[derive(Serialize)]
struct Schedule {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "byDay")]
    by_day: Vec<String>,
    #[serde(rename = "byMonthWeek", skip_serializing_if = "Option::is_none")]
    by_month_week: Option<Vec<i8>>,
    #[serde(rename = "endTime")]
    end_time: String,
    #[serde(rename = "exceptDate", skip_serializing_if = "Vec::is_empty")]
    except_date: Vec<String>,
    #[serde(rename = "repeatFrequency")]
    repeat_frequency: &'static str,
    #[serde(rename = "scheduleTimezone")]
    timezone: &'static str,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "startTime")]
    start_time: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OneOrMore<T> {
    One(T),
    More(Vec<T>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Place<'a> {
    Physical(PhysicalPlace<'a>),
    Virtual(VirtualLocation<'a>),
}

#[derive(Serialize)]
struct PhysicalPlace<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: PostalAddress<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
    name: &'a str,
}

#[derive(Serialize)]
struct PostalAddress<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry", skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(rename = "addressLocality", skip_serializing_if = "Option::is_none")]
    locality: Option<&'a str>,
    #[serde(rename = "addressRegion", skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(rename = "postalCode", skip_serializing_if = "Option::is_none")]
    postal_code: Option<&'a str>,
    #[serde(rename = "streetAddress", skip_serializing_if = "Option::is_none")]
    street: Option<&'a str>,
}

#[derive(Serialize)]
struct Geo {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct VirtualLocation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The `Event` object of a meeting.
pub(crate) fn event<'a>(site: &'a Site, m: &'a Meeting) -> Event<'a> {
    let cfg = &site.config;
    let date = |d: &chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let schedule = Schedule {
        kind: "Schedule",
        by_day: m
            .days
            .iter()
            .map(|d| format!("https://schema.org/{}", english_day_name(*d)))
            .collect(),
        by_month_week: match &m.recurrence {
            Recurrence::Monthly(weeks) => Some(weeks.clone()),
            _ => None,
        },
        end_time: hhmm(m.end_time),
        except_date: m.skip.iter().map(date).collect(),
        repeat_frequency: match &m.recurrence {
            Recurrence::Weekly => "P1W",
            Recurrence::Biweekly(_) => "P2W",
            Recurrence::Monthly(_) => "P1M",
        },
        timezone: m.timezone.name(),
        start_date: match &m.recurrence {
            Recurrence::Biweekly(from) => Some(date(from)),
            _ => None,
        },
        start_time: hhmm(m.time),
    };

    let attendance = m.attendance();
    let mut places = Vec::new();
    if let Some(l) = site.place_of(m) {
        places.push(Place::Physical(PhysicalPlace {
            kind: "Place",
            address: PostalAddress {
                kind: "PostalAddress",
                country: l.country.as_deref(),
                locality: l.city.as_deref(),
                region: l.state.as_deref(),
                postal_code: l.postal_code.as_deref(),
                street: l.address.as_deref(),
            },
            geo: l.coordinates().map(|(latitude, longitude)| Geo {
                kind: "GeoCoordinates",
                latitude,
                longitude,
            }),
            name: &l.name,
        }));
    }
    if let Some(o) = &m.online {
        places.push(Place::Virtual(VirtualLocation {
            kind: "VirtualLocation",
            name: o.phone.as_ref().map(|p| format!("Phone {p}")),
            url: o.url.as_deref(),
        }));
    }
    let location = match places.len() {
        1 => OneOrMore::One(places.remove(0)),
        _ => OneOrMore::More(places),
    };

    Event {
        context: "https://schema.org",
        kind: "Event",
        description: m.notes.as_deref().map(plain_text).filter(|n| !n.is_empty()),
        attendance_mode: match attendance {
            Attendance::InPerson => "https://schema.org/OfflineEventAttendanceMode",
            Attendance::Online => "https://schema.org/OnlineEventAttendanceMode",
            Attendance::Hybrid => "https://schema.org/MixedEventAttendanceMode",
        },
        schedule,
        status: match m.status {
            // Closed for now, to resume later without a date: schema.org's "postponed".
            Status::TemporarilyClosed => "https://schema.org/EventPostponed",
            _ => "https://schema.org/EventScheduled",
        },
        free: true,
        location,
        name: &m.name,
        organizer: cfg.entity.name.as_deref().map(|name| Organization {
            kind: "Organization",
            name,
            url: cfg.entity.url.as_deref(),
        }),
        url: cfg.url(&urls::meeting(&m.slug)),
    }
}

/// Makes JSON safe inside an HTML `<script>` element: `<`, `>` and `&` only ever occur inside
/// JSON strings, where their `\u` escapes mean the same, so `</script>` can never appear.
pub(crate) fn script_safe(json: String) -> String {
    // In UTF-8, U+2028 and U+2029 start with the byte 0xE2 (like some other characters, which
    // then take the careful path below): text without it and without markup needs no change.
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line and paragraph separators end a line in older JavaScript parsers.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_markup_and_stays_json() {
        let raw = serde_json::to_string(&serde_json::json!({"n": "</script><b>&amp;"})).unwrap();
        let safe = script_safe(raw);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["n"], "</script><b>&amp;");
    }
}
