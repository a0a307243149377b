//! Lists of meetings and of the things that group them: the meetings of a page grouped by
//! weekday (with the placeholder protocol that shares each meeting's rendered entry between
//! lists), and the region and type lists of the overviews and the finder.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::Renderer;
use super::contexts::{Link, RegionNode, TypeCount};
use crate::model::Site;
use crate::model::schedule::{WEEK, day_key};
use crate::render::i18n::{Strings, format};
use crate::render::{Body, Output, Part, urls};

#[derive(Serialize)]
pub(super) struct DayGroup {
    pub(super) key: &'static str,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
    /// A placeholder the template prints where the day's list entries go
    /// (`partials/meeting_item.html`, one per meeting). [`Schedule::splice`] puts the entries in
    /// after rendering, so each stays one shared string however many lists show it.
    pub(super) items_html: String,
}

/// Start of a placeholder for list entries. No text of a site can contain it: YAML (records,
/// site.yaml, translations) forbids the NUL character and Markdown rendering replaces it. A
/// placeholder whose number names no group is left as it is.
pub(super) const ITEMS_MARK: &str = "\0lantern-items:";

/// Meetings grouped by weekday, and the meetings behind each group's placeholder.
#[derive(Default)]
pub(super) struct Schedule {
    pub(super) days: Vec<DayGroup>,
    pub(super) groups: Vec<Vec<usize>>,
}

impl Schedule {
    /// Replaces each placeholder in a rendered page with its meetings' entries. The page
    /// becomes pieces: the template's text and the shared entries.
    pub(super) fn splice(&self, page: Output, items: &[Arc<str>]) -> Output {
        let Body::Bytes(bytes) = page.body else {
            return page;
        };
        let html = match String::from_utf8(bytes) {
            Ok(html) => html,
            Err(e) => {
                return Output {
                    path: page.path,
                    body: Body::Bytes(e.into_bytes()),
                };
            }
        };
        let mut parts = Vec::new();
        let mut text_from = 0;
        let mut search_from = 0;
        while let Some(found) = html[search_from..].find(ITEMS_MARK) {
            let start = search_from + found;
            let number_from = start + ITEMS_MARK.len();
            let group = html[number_from..].find('\0').and_then(|len| {
                let k: usize = html[number_from..number_from + len].parse().ok()?;
                Some((self.groups.get(k)?, number_from + len + 1))
            });
            let Some((group, end)) = group else {
                search_from = number_from;
                continue;
            };
            parts.push(Part::Owned(html[text_from..start].to_string()));
            parts.extend(group.iter().map(|i| Part::Shared(items[*i].clone())));
            text_from = end;
            search_from = end;
        }
        parts.push(Part::Owned(html[text_from..].to_string()));
        Output {
            path: page.path,
            body: Body::Parts(parts),
        }
    }
}

pub(super) struct Lists<'a> {
    pub(super) items: &'a [Arc<str>],
    pub(super) rank: &'a [usize],
    pub(super) all: &'a [usize],
    pub(super) by_location: &'a [Vec<usize>],
    pub(super) by_type: &'a BTreeMap<&'a str, Vec<usize>>,
}

impl Lists<'_> {
    /// Meetings grouped by weekday (Sunday first), each day sorted by time. `listing` says
    /// which days a meeting is listed under (see `Listing`).
    pub(super) fn schedule(
        &self,
        site: &Site,
        meetings: &[usize],
        listing: Listing,
        s: &Strings,
        base: &str,
    ) -> Schedule {
        let mut days = Vec::new();
        let mut groups = Vec::new();
        for d in WEEK {
            let listed = |days: &[chrono::Weekday]| match listing {
                Listing::Week => days.contains(&d),
                Listing::Once => days.first() == Some(&d),
                Listing::Day(only) => d == only && days.contains(&d),
            };
            let mut on_day: Vec<usize> = meetings
                .iter()
                .copied()
                .filter(|i| listed(&site.meetings[*i].days))
                .collect();
            if on_day.is_empty() {
                continue;
            }
            on_day.sort_by_key(|i| self.rank[*i]);
            days.push(DayGroup {
                key: day_key(d),
                name: format::day_name(d, s),
                url: format!("{base}{}", urls::day(d)),
                count: on_day.len(),
                items_html: format!("{ITEMS_MARK}{}\0", groups.len()),
            });
            groups.push(on_day);
        }
        Schedule { days, groups }
    }
}

/// The most entries (meeting-days) the home and finder pages list as the week's schedule;
/// a larger site's pages link the day pages instead, which keeps them near 100 KB (an entry
/// is about 550 bytes of HTML).
pub(super) const HOME_WEEK_LIMIT: usize = 300;

/// Which days a list shows a meeting under.
#[derive(Clone, Copy)]
pub(super) enum Listing {
    /// Under each of its days: the home page's week.
    Week,
    /// Once, under its first day, its other days named in the entry: the pages of a region,
    /// a location or a type, whose counts are meetings, not meeting times.
    Once,
    /// Only under this day: the day's page.
    Day(chrono::Weekday),
}

impl<'a> Renderer<'a> {
    /// Every type a meeting has, by name, with how many meetings have it.
    pub(super) fn type_links(&self, lists: &Lists) -> Vec<TypeCount> {
        let mut list: Vec<TypeCount> = lists
            .by_type
            .iter()
            .map(|(code, ms)| TypeCount {
                ty: self.type_ctx(code),
                count: ms.len(),
            })
            .collect();
        list.sort_by(|a, b| {
            (a.ty.name.to_lowercase(), &a.ty.code).cmp(&(b.ty.name.to_lowercase(), &b.ty.code))
        });
        list
    }

    pub(super) fn region_links(&self, paths: &[String]) -> Vec<Link> {
        paths
            .iter()
            .filter_map(|p| self.site.regions.get(p))
            .map(|rg| Link {
                name: rg.name.clone(),
                url: self.url(&urls::region(&rg.path)),
                count: rg.meetings.len(),
            })
            .collect()
    }

    pub(super) fn region_tree(&self, paths: &[String]) -> Vec<RegionNode> {
        paths
            .iter()
            .filter_map(|p| self.site.regions.get(p))
            .map(|rg| RegionNode {
                name: rg.name.clone(),
                url: self.url(&urls::region(&rg.path)),
                count: rg.meetings.len(),
                children: self.region_tree(&rg.children),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn splice_puts_each_group_of_entries_at_its_placeholder() {
        let items: Vec<Arc<str>> = ["<li>a</li>", "<li>b</li>", "<li>c</li>"]
            .into_iter()
            .map(Arc::from)
            .collect();
        let sched = Schedule {
            days: Vec::new(),
            groups: vec![vec![2, 0], vec![1]],
        };
        let mark = |k: usize| format!("{ITEMS_MARK}{k}\0");
        let html = format!(
            "<h2>Mon</h2><ul>{}</ul><h2>Tue</h2><ul>{}</ul>{ITEMS_MARK}9\0 end",
            mark(0),
            mark(1)
        );
        let out = sched.splice(Output::text("x/index.html", html), &items);
        assert!(matches!(out.body, Body::Parts(_)));
        let text = String::from_utf8(out.body.to_bytes().unwrap()).unwrap();
        // A placeholder that names no group is left as it is.
        assert_eq!(
            text,
            format!(
                "<h2>Mon</h2><ul><li>c</li><li>a</li></ul><h2>Tue</h2><ul><li>b</li></ul>{ITEMS_MARK}9\0 end"
            )
        );
    }
}
