//! The printed schedules: `/schedule.pdf` for the whole site and
//! `/regions/<path>/schedule.pdf` for each top-level region, in each language of the site.
//!
//! This module decides what goes on paper (the entries, in day and time order, and the words
//! around them); [`layout`] sets it in columns on pages with krilla. Everything comes from the
//! model, never from the clock, so two builds give the same bytes.

mod layout;

use chrono::Weekday;

use super::Output;
use super::i18n::Strings;
use super::i18n::format;
use super::urls;
use crate::model::schedule::WEEK;
use crate::model::{Meeting, Paper, Site};

/// One printed schedule before layout: its title lines and its days of entries.
pub(crate) struct Schedule {
    pub(crate) language: String,
    pub(crate) title: String,
    pub(crate) subtitle: Option<String>,
    pub(crate) as_of: Option<String>,
    pub(crate) days: Vec<(String, Vec<Entry>)>,
    /// Code and name of every type the entries use.
    pub(crate) legend: Vec<(String, String)>,
    pub(crate) note: String,
    pub(crate) page_word: String,
    pub(crate) letter: bool,
}

/// One meeting on one day, as printed.
pub(crate) struct Entry {
    pub(crate) time: String,
    pub(crate) name: String,
    /// Location name, street address, or "Online" with the join address and phone.
    pub(crate) lines: Vec<String>,
    pub(crate) types: String,
}

/// Every PDF of one edition of the site (paths without the language prefix): the whole site's
/// and each printed region's, as `print:` in site.yaml asks.
pub(crate) fn render(site: &Site, s: &Strings) -> Vec<Output> {
    let letter = site.paper() == Paper::Letter;
    let all: Vec<usize> = (0..site.meetings.len()).collect();
    let mut jobs = Vec::new();
    if site.config.print.site {
        jobs.push((urls::schedule(""), None, all));
    }
    for region in site.printed_regions() {
        jobs.push((
            urls::schedule(&urls::region(&region.path)),
            Some(region.names.join(" – ")),
            region.meetings.clone(),
        ));
    }
    use rayon::prelude::*;
    jobs.into_par_iter()
        .filter_map(|(path, subtitle, meetings)| {
            let schedule = schedule(site, s, subtitle, &meetings, letter);
            let body = layout::typeset(&schedule)?;
            Some(Output {
                path,
                body: super::Body::Bytes(body),
            })
        })
        .collect()
}

fn schedule(
    site: &Site,
    s: &Strings,
    subtitle: Option<String>,
    meetings: &[usize],
    letter: bool,
) -> Schedule {
    let chosen: Vec<&Meeting> = meetings
        .iter()
        .filter_map(|&i| site.meetings.get(i))
        .collect();
    let as_of = chosen
        .iter()
        .filter_map(|m| m.updated)
        .max()
        .map(|d| s.get("print_as_of").replace("{date}", &format::date(d, s)));
    let mut codes: Vec<&str> = Vec::new();
    let mut days = Vec::new();
    for day in WEEK {
        let mut on_day: Vec<&Meeting> = chosen
            .iter()
            .copied()
            .filter(|m| m.days.contains(&day))
            .collect();
        on_day.sort_by(|a, b| (a.time, &a.name).cmp(&(b.time, &b.name)));
        if on_day.is_empty() {
            continue;
        }
        let entries = on_day
            .iter()
            .map(|m| {
                for c in &m.types {
                    if !codes.contains(&c.as_str()) {
                        codes.push(c);
                    }
                }
                entry(site, s, m, day)
            })
            .collect();
        days.push((format::day_name(day, s), entries));
    }
    codes.sort_unstable();
    let legend = codes
        .iter()
        .map(|c| {
            let name = site.types.get(c).map_or(*c, |t| t.name.as_str());
            (c.to_string(), name.to_string())
        })
        .collect();
    Schedule {
        language: site.config.language.clone(),
        title: site.config.title.clone(),
        subtitle,
        as_of,
        days,
        legend,
        note: s.get("print_open_closed").to_string(),
        page_word: s.get("print_page").to_string(),
        letter,
    }
}

fn entry(site: &Site, s: &Strings, m: &Meeting, _day: Weekday) -> Entry {
    let time = format!(
        "{}–{}",
        format::time(m.time, s),
        format::time(m.end_time, s)
    );
    let mut lines = Vec::new();
    if let Some(place) = site.place_of(m) {
        lines.push(place.name.clone());
        let address = place.formatted_address();
        if !address.is_empty() {
            lines.push(address);
        }
    }
    if let Some(online) = &m.online {
        lines.push(s.get("attendance_online").to_string());
        if let Some(url) = &online.url {
            lines.push(short_url(url));
        }
        if let Some(phone) = &online.phone {
            lines.push(format::phone_parts(phone).0);
        }
    }
    Entry {
        time,
        name: m.name.clone(),
        lines,
        types: m.types.join(" "),
    }
}

/// The join address without its scheme, which nobody types from paper.
fn short_url(url: &str) -> String {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url)
        .to_string()
}
