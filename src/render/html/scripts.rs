//! What the pages' scripts are given: the finder form's choices and the settings and
//! strings of `finder.js`, and the schedule `meeting.js` lists next dates from.

use std::collections::BTreeMap;

use chrono::Timelike;
use serde::Serialize;

use super::Renderer;
use super::lists::Lists;
use crate::model::Meeting;
use crate::model::schedule::{WEEK, day_key, day_number};
use crate::render::i18n::format;
use crate::render::search_index;

/// What the finder form and its script are given (`partials/finder.html`).
#[derive(Serialize)]
pub(super) struct FinderCtx {
    pub(super) days: Vec<FinderDay>,
    pub(super) regions: Vec<FinderRegion>,
    pub(super) types: Vec<FinderType>,
    /// [`FinderConfig`] as JSON, safe inside a script element.
    pub(super) config: String,
    pub(super) script: String,
    pub(super) style: String,
}

#[derive(Serialize)]
pub(super) struct FinderDay {
    pub(super) key: &'static str,
    pub(super) name: String,
}

/// A region of the finder's choice, in tree order.
#[derive(Serialize)]
pub(super) struct FinderRegion {
    /// What the search index calls it.
    pub(super) key: String,
    pub(super) name: String,
    pub(super) depth: usize,
    /// Non-breaking spaces, two per level.
    pub(super) indent: String,
    pub(super) count: usize,
}

/// A type of the finder's choices (the attendance modes have their own).
#[derive(Serialize)]
pub(super) struct FinderType {
    pub(super) slug: String,
    pub(super) name: String,
    pub(super) count: usize,
}

/// The settings of `finder.js`. Fields in the order of their names: the JSON is part of
/// every page that has the finder.
#[derive(Serialize)]
struct FinderConfig<'a> {
    index: String,
    lang: &'a str,
    #[serde(rename = "siteZone")]
    site_zone: &'a str,
    strings: BTreeMap<&'a str, &'a str>,
}

/// What `meeting.js` needs to list a meeting's next dates. Fields in the order of their
/// names, as the JSON on the page has them.
#[derive(Serialize)]
struct Clock<'a> {
    /// Weekday numbers, Sunday 0.
    days: Vec<u32>,
    /// Minutes after midnight.
    end: u32,
    lang: &'a str,
    rule: serde_json::Value,
    skip: Vec<String>,
    start: u32,
    strings: BTreeMap<&'a str, &'a str>,
    zone: &'a str,
}

/// Inside `<script>`, `"</script"` must not appear; `<` only occurs within JSON strings.
fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

impl<'a> Renderer<'a> {
    /// What the finder form needs: its choices, and the strings and settings for its script.
    pub(super) fn finder(&self, lists: &Lists) -> FinderCtx {
        let site = self.site;
        let keys = search_index::region_keys(site);
        let regions = search_index::region_order(site)
            .into_iter()
            .filter_map(|(path, depth)| {
                let rg = site.regions.get(path)?;
                Some(FinderRegion {
                    key: keys.get(path).map_or(path, String::as_str).to_string(),
                    name: rg.name.clone(),
                    depth,
                    indent: "\u{a0}\u{a0}".repeat(depth),
                    count: rg.meetings.len(),
                })
            })
            .collect();
        let types = self
            .type_links(lists)
            .into_iter()
            .filter_map(|x| {
                let code = x.ty.code.as_str();
                let slug = site.types.get(code).map_or(code, |t| t.slug.as_str());
                (!search_index::ATTENDANCE_KEYS.contains(&slug)).then(|| FinderType {
                    slug: slug.to_string(),
                    name: x.ty.name,
                    count: x.count,
                })
            })
            .collect();
        // Only the strings the script shows, so the page stays small.
        let strings = self
            .s
            .0
            .iter()
            .filter(|(k, _)| {
                k.starts_with("finder_")
                    || k.starts_with("attendance_")
                    || matches!(
                        k.as_str(),
                        "am" | "pm"
                            | "time_format"
                            | "sunday"
                            | "monday"
                            | "tuesday"
                            | "wednesday"
                            | "thursday"
                            | "friday"
                            | "saturday"
                            | "closed_banner"
                            | "action_join"
                            | "action_call"
                            | "time_zone_in_words"
                    )
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let config = FinderConfig {
            index: self.url(search_index::PATH),
            lang: &site.config.language,
            site_zone: site.config.timezone.name(),
            strings,
        };
        let days = WEEK
            .iter()
            .map(|d| FinderDay {
                key: day_key(*d),
                name: format::day_name(*d, self.s),
            })
            .collect();
        FinderCtx {
            days,
            regions,
            types,
            config: script_json(&config),
            script: format!("{}assets/finder.js", site.config.root_path()),
            style: format!("{}assets/finder.css", site.config.root_path()),
        }
    }

    /// What `meeting.js` needs to list a meeting's next dates in the visitor's browser: its
    /// days, time, zone and rule, and the few strings it shows.
    pub(super) fn clock(&self, m: &Meeting) -> String {
        let strings = ["am", "pm", "time_format", "upcoming_your_time"]
            .into_iter()
            .map(|k| (k, self.s.get(k)))
            .collect();
        script_json(&Clock {
            days: m.days.iter().map(|d| day_number(*d)).collect(),
            end: m.end_time.hour() * 60 + m.end_time.minute(),
            lang: &self.site.config.language,
            rule: search_index::rule(m),
            skip: m.skip.iter().map(ToString::to_string).collect(),
            start: m.time.hour() * 60 + m.time.minute(),
            strings,
            zone: m.timezone.name(),
        })
    }
}
