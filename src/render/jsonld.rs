//! schema.org structured data for meeting pages: an `Event` with a repeating `Schedule`, a
//! `Place` (with `PostalAddress` and `GeoCoordinates`) for in-person meetings and a
//! `VirtualLocation` for online ones, so search engines can show when and where a meeting is.

use chrono::{Timelike, Weekday};
use serde_json::{Value, json};

use super::meeting_guide::plain_text;
use super::urls;
use crate::model::{Attendance, Meeting, Recurrence, Site, Status};

/// The JSON-LD of a meeting page, escaped so it can sit inside `<script>` as it is.
pub fn meeting(site: &Site, m: &Meeting) -> String {
    script_safe(&serde_json::to_string(&event(site, m)).unwrap_or_else(|_| "{}".into()))
}

/// The `Event` object.
pub fn event(site: &Site, m: &Meeting) -> Value {
    let cfg = &site.config;
    let mut schedule = json!({
        "@type": "Schedule",
        "byDay": m.days.iter().map(|d| format!("https://schema.org/{}", day_name(*d))).collect::<Vec<_>>(),
        "startTime": hhmm(m.time),
        "endTime": hhmm(m.end_time),
        "scheduleTimezone": m.timezone.name(),
        "repeatFrequency": match &m.recurrence {
            Recurrence::Weekly => "P1W",
            Recurrence::Biweekly(_) => "P2W",
            Recurrence::Monthly(_) => "P1M",
        },
    });
    match &m.recurrence {
        Recurrence::Biweekly(from) => {
            schedule["startDate"] = json!(from.format("%Y-%m-%d").to_string());
        }
        Recurrence::Monthly(weeks) => {
            schedule["byMonthWeek"] = json!(weeks);
        }
        Recurrence::Weekly => {}
    }
    if !m.skip.is_empty() {
        schedule["exceptDate"] = json!(
            m.skip
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect::<Vec<_>>()
        );
    }

    let attendance = m.attendance();
    let mut places = Vec::new();
    if attendance != Attendance::Online
        && let Some(l) = site.location_of(m)
    {
        let mut address = json!({"@type": "PostalAddress"});
        for (key, v) in [
            ("streetAddress", &l.address),
            ("addressLocality", &l.city),
            ("addressRegion", &l.state),
            ("postalCode", &l.postal_code),
            ("addressCountry", &l.country),
        ] {
            if let Some(v) = v {
                address[key] = json!(v);
            }
        }
        let mut place = json!({"@type": "Place", "name": l.name, "address": address});
        if let Some((lat, lon)) = l.coordinates() {
            place["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
        }
        places.push(place);
    }
    if let Some(o) = &m.online {
        let mut virt = json!({"@type": "VirtualLocation"});
        if let Some(u) = &o.url {
            virt["url"] = json!(u);
        }
        if let Some(p) = &o.phone {
            virt["name"] = json!(format!("Phone {p}"));
        }
        places.push(virt);
    }
    let location = match places.len() {
        1 => places.remove(0),
        _ => Value::Array(places),
    };

    let mut event = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": m.name,
        "url": cfg.url(&urls::meeting(&m.slug)),
        "eventSchedule": schedule,
        "eventAttendanceMode": match attendance {
            Attendance::InPerson => "https://schema.org/OfflineEventAttendanceMode",
            Attendance::Online => "https://schema.org/OnlineEventAttendanceMode",
            Attendance::Hybrid => "https://schema.org/MixedEventAttendanceMode",
        },
        "eventStatus": match m.status {
            // Closed for now, to resume later without a date: schema.org's "postponed".
            Status::TemporarilyClosed => "https://schema.org/EventPostponed",
            _ => "https://schema.org/EventScheduled",
        },
        "isAccessibleForFree": true,
        "location": location,
    });
    if let Some(n) = m.notes.as_deref().map(plain_text).filter(|n| !n.is_empty()) {
        event["description"] = json!(n);
    }
    if let Some(name) = &cfg.entity.name {
        let mut org = json!({"@type": "Organization", "name": name});
        if let Some(u) = &cfg.entity.url {
            org["url"] = json!(u);
        }
        event["organizer"] = org;
    }
    event
}

/// Makes JSON safe inside an HTML `<script>` element: `<`, `>` and `&` only ever occur inside
/// JSON strings, where their `\u` escapes mean the same, so `</script>` can never appear.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
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

fn hhmm(t: chrono::NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_markup_and_stays_json() {
        let raw = serde_json::to_string(&json!({"n": "</script><b>&amp;"})).unwrap();
        let safe = script_safe(&raw);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["n"], "</script><b>&amp;");
    }
}
