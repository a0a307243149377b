//! `/meetings.json`, the Meeting Guide API feed (code4recovery's `spec`) that the Meeting Guide
//! app, TSML UI and the 12 Step Meeting List plugin read, and `/types.json`, the list of type
//! codes the feed uses with their names, so readers can map the site's custom types.
//!
//! The spec knows only weekly meetings. Monthly and every-other-week meetings are still listed,
//! since leaving them out would hide real meetings from the apps: their schedule in words
//! ("The 1st and 3rd Monday of each month") opens their `notes`, as lists kept in the 12 Step
//! Meeting List plugin do. Online and hybrid attendance are not types in the spec; readers work
//! them out from `conference_url`/`conference_phone` and `approximate`.

use crate::model::schedule::hhmm;
use chrono::Timelike;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::i18n::Strings;
use super::{Body, Output, urls};
use crate::model::schedule::day_number;
use crate::model::{Meeting, Site, Status};

/// What a mailto subject escapes: slugs' own characters stay readable.
const SUBJECT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-');

/// The type code for a temporarily closed meeting.
pub const TEMPORARILY_CLOSED: &str = "TC";

/// One meeting as the spec lays it out. Field order is fixed so the file is stable.
#[derive(Clone, Debug, Serialize)]
pub struct FeedMeeting {
    pub name: String,
    pub slug: String,
    /// 0 = Sunday. Always one day: a meeting on several days is one record per day, since
    /// TSML UI loses records whose `day` is an array.
    pub day: u32,
    pub time: String,
    pub end_time: String,
    pub timezone: String,
    pub types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_region: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference_url_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference_phone_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// A label, never a person's name: the group's name, else the meeting's. TSML UI shows a
    /// contact's e-mail only under a name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_1_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_1_email: Option<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_url: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feedback_emails: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_email: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entity_feedback_emails: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_phone: Option<String>,
    /// The spec's example calls the entity's home page `entity_url`, its field list
    /// `entity_website_url`; both are written so either reader finds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_website_url: Option<String>,
}

/// A meeting's notes as plain text, opened by its schedule in words when it is not weekly.
pub fn feed_notes(m: &Meeting, strings: &Strings) -> Option<String> {
    let notes = m.notes.as_deref().map(plain_text).filter(|n| !n.is_empty());
    match (super::i18n::format::recurrence(m, strings), notes) {
        (Some(when), Some(notes)) => Some(format!("{when}.\n\n{notes}")),
        (Some(when), None) => Some(format!("{when}.")),
        (None, notes) => notes,
    }
}

/// `/meetings.json` and `/types.json`.
pub fn render(site: &Site, strings: &Strings) -> Vec<Output> {
    let mut feed: Vec<FeedMeeting> = Vec::with_capacity(site.meetings.len());
    // Every published meeting (inactive ones never reach `site.meetings`).
    for m in &site.meetings {
        feed.extend(meeting_days(site, m, strings));
    }
    // Sized up front: the feed of a large site is tens of megabytes, and growing a buffer
    // that big step by step copies it many times.
    let mut json = Vec::with_capacity(feed.len() * 1024);
    if serde_json::to_writer(&mut json, &feed).is_err() {
        json = b"[]".to_vec();
    }
    json.push(b'\n');
    vec![
        Output {
            path: "meetings.json".into(),
            body: Body::Bytes(json),
        },
        Output::text("types.json", types_json(site, &feed)),
    ]
}

/// `updated` as the spec writes it: UTC `YYYY-MM-DD HH:MM:SS` (midnight when only a date is known).
pub fn updated_utc(m: &Meeting) -> Option<String> {
    m.updated.map(|d| {
        let t = m.updated_time.unwrap_or_default();
        format!(
            "{} {:02}:{:02}:{:02}",
            d.format("%Y-%m-%d"),
            t.hour(),
            t.minute(),
            t.second()
        )
    })
}

/// The slug of one day's record of a meeting: the meeting's own slug when it meets on one day,
/// else `<slug>_<day>` with the day's three-letter English abbreviation (`monday-night_wed`).
/// Meeting slugs never hold `_`, so a per-day slug cannot be another meeting's slug. These
/// slugs are public (apps link to them): keep the form.
pub fn day_slug(m: &Meeting, day: chrono::Weekday) -> String {
    if m.days.len() <= 1 {
        m.slug.clone()
    } else {
        format!(
            "{}_{}",
            m.slug,
            crate::model::schedule::day_key(day)
                .get(..3)
                .unwrap_or_default()
        )
    }
}

/// The feed records of one meeting, one per day it meets, Sunday first.
pub fn meeting_days<'a>(
    site: &'a Site,
    m: &'a Meeting,
    strings: &'a Strings,
) -> impl Iterator<Item = FeedMeeting> + 'a {
    let first = meeting(site, m, strings);
    let rest: Vec<FeedMeeting> = m
        .days
        .iter()
        .skip(1)
        .map(|d| FeedMeeting {
            slug: day_slug(m, *d),
            day: day_number(*d),
            ..first.clone()
        })
        .collect();
    let mut first = first;
    if let Some(d) = m.days.first() {
        first.slug = day_slug(m, *d);
        first.day = day_number(*d);
    }
    std::iter::once(first).chain(rest)
}

/// The only characters the spec allows in `conference_phone`: digits, `+`, `,`, `*` and `#`
/// (commas are pauses). Spaces, dashes and brackets people write for reading are dropped.
pub fn dial_string(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '+' | ',' | '*' | '#'))
        .collect()
}

/// The feed entry of one meeting, on its first day (`meeting_days` makes one per day).
fn meeting(site: &Site, m: &Meeting, strings: &Strings) -> FeedMeeting {
    let cfg = &site.config;
    let loc = site.location_of(m);
    let day = m.days.first().map_or(0, |d| day_number(*d));
    let mut types = m.types.clone();
    if m.status == Status::TemporarilyClosed && !types.iter().any(|t| t == TEMPORARILY_CLOSED) {
        types.push(TEMPORARILY_CLOSED.to_string());
    }
    // The 12 Step Meeting List plugin and TSML UI know a two-level tree (a region and its
    // sub-regions). The first two levels of the path give one tree across the whole feed: a
    // sub_region always sits under the same region, whatever the depth of each meeting's path.
    let (region, sub_region) = (m.region.first().cloned(), m.region.get(1).cloned());
    let formatted = loc.map(|l| l.formatted_address()).filter(|f| !f.is_empty());
    // An online meeting with no location of its own gets the site's area as an approximate
    // location, as the spec's FAQ asks ("Chicago, IL, USA").
    let area = site.service_area_of(m);
    let formatted = formatted.or_else(|| area.map(str::to_string));
    let online = m.online.as_ref();
    let entity_name = cfg.entity.name.clone();
    // The spec requires `entity` whenever another entity field is present.
    let entity = |v: &Option<String>| entity_name.as_ref().and(v.clone());
    let feedback: Vec<String> = cfg.feedback_email.iter().cloned().collect();
    FeedMeeting {
        name: m.name.clone(),
        slug: m.slug.clone(),
        day,
        time: hhmm(m.time),
        end_time: hhmm(m.end_time),
        timezone: m.timezone.name().to_string(),
        types,
        notes: feed_notes(m, strings),
        // An approximate place has no name of its own worth showing when it is its address.
        location: loc
            .filter(|l| !(l.approximate && Some(&l.name) == formatted.as_ref()))
            .map(|l| l.name.clone()),
        location_notes: loc.and_then(|l| l.notes.clone()),
        formatted_address: formatted.clone(),
        address: loc.and_then(|l| l.address.clone()),
        city: loc.and_then(|l| l.city.clone()),
        state: loc.and_then(|l| l.state.clone()),
        postal_code: loc.and_then(|l| l.postal_code.clone()),
        country: loc.and_then(|l| l.country.clone()),
        latitude: loc.and_then(|l| l.latitude),
        longitude: loc.and_then(|l| l.longitude),
        approximate: loc
            .map(|l| if l.approximate { "yes" } else { "no" })
            .or(area.map(|_| "yes")),
        region,
        sub_region,
        regions: m.region.clone(),
        conference_url: online.and_then(|o| o.url.clone()),
        conference_url_notes: online.and_then(|o| o.notes.clone()),
        conference_phone: online
            .and_then(|o| o.phone.as_deref())
            .map(dial_string)
            .filter(|p| !p.is_empty()),
        conference_phone_notes: online.and_then(|o| o.phone_notes.clone()),
        group: m.group.clone(),
        contact_1_name: m
            .contact_email
            .as_ref()
            .map(|_| m.group.clone().unwrap_or_else(|| m.name.clone())),
        contact_1_email: m.contact_email.clone(),
        url: cfg.url(&urls::meeting(&m.slug)),
        edit_url: cfg
            .edit_url
            .as_ref()
            .map(|u| u.replace("{path}", &m.source)),
        feedback_url: cfg.feedback_email.as_ref().map(|e| {
            format!(
                "mailto:{e}?subject={}",
                utf8_percent_encode(&m.slug, SUBJECT)
            )
        }),
        feedback_emails: feedback.clone(),
        updated: updated_utc(m),
        entity: entity_name.clone(),
        entity_email: entity(&cfg.entity.email),
        entity_feedback_emails: if entity_name.is_some() {
            feedback
        } else {
            Vec::new()
        },
        entity_location: entity(&cfg.entity.location),
        entity_phone: entity(&cfg.entity.phone),
        entity_url: entity(&cfg.entity.url),
        entity_website_url: entity(&cfg.entity.url),
    }
}

#[derive(Serialize)]
struct TypeEntry<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// Defined by this site, not by the Meeting Guide specification.
    custom: bool,
}

/// Every type code the feed uses plus every custom type of the site, with names.
fn types_json(site: &Site, feed: &[FeedMeeting]) -> String {
    let mut codes: Vec<&str> = feed
        .iter()
        .flat_map(|m| m.types.iter().map(String::as_str))
        .chain(
            site.types
                .iter()
                .filter(|t| t.custom)
                .map(|t| t.code.as_str()),
        )
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let list: Vec<TypeEntry> = codes
        .into_iter()
        .map(|c| {
            let t = site.types.get(c);
            TypeEntry {
                code: c,
                name: t.map_or(c, |t| t.name.as_str()),
                description: t.and_then(|t| t.description.as_deref()),
                custom: t.is_some_and(|t| t.custom),
            }
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    json.push('\n');
    json
}

/// The plain text of Markdown notes, as the spec wants (`notes` is plain text): formatting
/// marks go, a link keeps its address in brackets, paragraphs stay apart.
///
/// Smart punctuation is off so that text which was plain to begin with comes back unchanged,
/// which the importers rely on.
pub fn plain_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut links: Vec<String> = Vec::new();
    let mut link_text_start = Vec::new();
    let mut list_depth = 0usize;
    for e in Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if list_depth == 1 && !out.is_empty() {
                    paragraph_break(&mut out);
                }
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    paragraph_break(&mut out);
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
                link_text_start.push(out.len());
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let url = links.pop().unwrap_or_default();
                let start = link_text_start.pop().unwrap_or(out.len());
                let text = out.get(start..).unwrap_or_default();
                let bare = url.strip_prefix("mailto:").unwrap_or(&url);
                // Only addresses a reader can safely follow are passed on.
                let lower = url.to_ascii_lowercase();
                let safe = ["http://", "https://", "mailto:", "tel:"]
                    .iter()
                    .any(|p| lower.starts_with(p));
                if safe && text != url && text != bare {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock)
                if list_depth == 0 =>
            {
                paragraph_break(&mut out)
            }
            Event::End(TagEnd::TableCell) => out.push('\t'),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn paragraph_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() {
        return;
    }
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_plain_text() {
        for s in [
            "Ring buzzer. It's on the 2nd floor.",
            "Line one\nline two\n\nSecond paragraph \"quoted\"",
            "Enter by the side door (east).",
            "Café – niño, 東京",
        ] {
            assert_eq!(plain_text(s), s);
        }
    }

    #[test]
    fn plain_text_drops_marks_and_keeps_link_addresses() {
        assert_eq!(
            plain_text("**Bold** and [the map](https://x.org/m)\n\n- one\n- two\n\nEnd"),
            "Bold and the map (https://x.org/m)\n\n- one\n- two\n\nEnd"
        );
        assert_eq!(plain_text("<https://x.org>"), "https://x.org");
        assert_eq!(plain_text("Hi <b>x</b>"), "Hi <b>x</b>");
        assert_eq!(plain_text("[click](javascript:alert(1))"), "click");
    }
}
