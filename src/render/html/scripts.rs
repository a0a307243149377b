//! What the pages' scripts are given: the finder form's choices and the settings and
//! strings of `finder.js`, and the schedule `meeting.js` lists next dates from.

use chrono::Timelike;

use super::Renderer;
use super::lists::Lists;
use crate::model::Meeting;
use crate::model::schedule::{WEEK, day_key, day_number};
use crate::render::i18n::format;
use crate::render::search_index;

impl<'a> Renderer<'a> {
    /// What the finder form needs: its choices, and the strings and settings for its script.
    pub(super) fn finder(&self, lists: &Lists) -> serde_json::Value {
        let site = self.site;
        let keys = search_index::region_keys(site);
        let regions: Vec<_> = search_index::region_order(site)
            .into_iter()
            .filter_map(|(path, depth)| {
                let rg = site.regions.get(path)?;
                Some(serde_json::json!({
                    "key": keys.get(path).map_or(path, String::as_str),
                    "name": rg.name,
                    "depth": depth,
                    "indent": "\u{a0}\u{a0}".repeat(depth),
                    "count": rg.meetings.len(),
                }))
            })
            .collect();
        let types: Vec<_> = self
            .type_links(lists)
            .into_iter()
            .filter_map(|x| {
                let code = x["type"]["code"].as_str()?;
                let slug = site.types.get(code).map_or(code, |t| t.slug.as_str());
                (!search_index::ATTENDANCE_KEYS.contains(&slug)).then(|| {
                    serde_json::json!({"slug": slug, "name": x["type"]["name"], "count": x["count"]})
                })
            })
            .collect();
        // Only the strings the script shows, so the page stays small.
        let mut strings = serde_json::Map::new();
        for (k, v) in &self.s.0 {
            if k.starts_with("finder_")
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
            {
                strings.insert(k.clone(), serde_json::Value::String(v.clone()));
            }
        }
        let config = serde_json::json!({
            "index": self.url(search_index::PATH),
            "lang": site.config.language,
            "siteZone": site.config.timezone.name(),
            "strings": strings,
        });
        // Inside <script>, "</script" must not appear; `<` only occurs within JSON strings.
        let config = config.to_string().replace('<', "\\u003c");
        let days: Vec<_> = WEEK
            .iter()
            .map(|d| serde_json::json!({"key": day_key(*d), "name": format::day_name(*d, self.s)}))
            .collect();
        serde_json::json!({
            "days": days,
            "regions": regions,
            "types": types,
            "config": config,
            "script": format!("{}assets/finder.js", self.site.config.root_path()),
            "style": format!("{}assets/finder.css", self.site.config.root_path()),
        })
    }

    /// What `meeting.js` needs to list a meeting's next dates in the visitor's browser: its
    /// days, time, zone and rule, and the few strings it shows.
    pub(super) fn clock(&self, m: &Meeting) -> String {
        let mut strings = serde_json::Map::new();
        for k in ["am", "pm", "time_format", "upcoming_your_time"] {
            strings.insert(k.to_string(), self.s.get(k).into());
        }
        let clock = serde_json::json!({
            "lang": self.site.config.language,
            "zone": m.timezone.name(),
            "days": m.days.iter().map(|d| day_number(*d)).collect::<Vec<_>>(),
            "start": m.time.hour() * 60 + m.time.minute(),
            "end": m.end_time.hour() * 60 + m.end_time.minute(),
            "rule": search_index::rule(m),
            "skip": m.skip.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "strings": strings,
        });
        // Inside <script>, "</script" must not appear; `<` only occurs within JSON strings.
        clock.to_string().replace('<', "\\u003c")
    }
}
