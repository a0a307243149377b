//! Incremental rendering for `lantern serve`: which pages an edit changes.
//!
//! `diff` compares the last good model with the new one and names the HTML pages whose inputs
//! differ: a changed meeting's own page and every list it is (or was) on (its days, regions,
//! location and types, the home page and the overviews). Anything every page shows (site
//! settings, the type table, the page menu, the day counts) changes everything, so `diff` asks
//! for a full render then.
//!
//! Hook for other outputs: outputs made from the whole model (calendar feeds, sitemap,
//! Meeting Guide JSON, CSV, search index) come from [`crate::render::feeds`] and are rendered
//! again on every rebuild (`serve` does it right after sending the reload); assets and static
//! files are re-listed by [`crate::render::render_scoped`]. A new whole-site output only needs
//! adding to [`crate::render::site_outputs`]; giving it a scope of its own is an
//! optimisation.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Weekday;

use crate::model::region::path_of;
use crate::model::{Meeting, Site};

/// What a render must produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every page.
    All,
    /// Only these pages (every whole-site output is still rendered).
    Dirty(Dirty),
}

/// The HTML pages an edit touches, by what they show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Dirty {
    /// Slugs of meetings whose page or list entry changed (or that were added or removed).
    pub(crate) meetings: BTreeSet<String>,
    pub(crate) days: HashSet<Weekday>,
    /// Region paths (`county/city`).
    pub(crate) regions: BTreeSet<String>,
    /// Location slugs.
    pub(crate) locations: BTreeSet<String>,
    /// Type codes.
    pub(crate) types: BTreeSet<String>,
    /// Markdown page paths.
    pub(crate) pages: BTreeSet<String>,
    /// The home page (it lists every meeting).
    pub(crate) home: bool,
    /// The overviews of days, regions, locations and types (names and counts): only when a
    /// meeting came, went or moved between them, or a location changed.
    pub(crate) days_index: bool,
    pub(crate) regions_index: bool,
    pub(crate) locations_index: bool,
    pub(crate) types_index: bool,
}

impl Dirty {
    fn mark(&mut self, site: &Site, m: &Meeting) {
        self.meetings.insert(m.slug.clone());
        self.days.extend(m.days.iter().copied());
        for depth in 1..=m.region.len() {
            self.regions.insert(path_of(&m.region[..depth]));
        }
        if let Some(l) = site.location_of(m) {
            self.locations.insert(l.slug.clone());
        }
        self.types.extend(m.types.iter().cloned());
        self.home = true;
    }

    /// A meeting came or went: every count may change.
    fn all_indexes(&mut self) {
        self.days_index = true;
        self.regions_index = true;
        self.locations_index = true;
        self.types_index = true;
    }
}

/// The pages to render again after the model changed from `old` to `new`.
pub(crate) fn diff(old: &Site, new: &Site) -> Scope {
    if old.config != new.config
        || old.types != new.types
        || globals(old) != globals(new)
        || menu(old) != menu(new)
    {
        return Scope::All;
    }
    let mut dirty = Dirty::default();

    // Locations whose record changed: their pages, and every meeting that shows them.
    let mut changed_locations: BTreeSet<String> = BTreeSet::new();
    let old_locs: HashMap<&str, _> = old.locations.iter().map(|l| (l.slug.as_str(), l)).collect();
    let new_locs: HashMap<&str, _> = new.locations.iter().map(|l| (l.slug.as_str(), l)).collect();
    for (slug, l) in &new_locs {
        if old_locs.get(slug) != Some(l) {
            changed_locations.insert(slug.to_string());
        }
    }
    for slug in old_locs.keys() {
        if !new_locs.contains_key(slug) {
            changed_locations.insert(slug.to_string());
        }
    }
    if !changed_locations.is_empty() {
        dirty.locations_index = true;
        dirty.locations.extend(changed_locations.iter().cloned());
    }

    // Both lists are sorted by slug (the model guarantees it): walk them side by side.
    let (mut i, mut j) = (0, 0);
    while i < old.meetings.len() || j < new.meetings.len() {
        let (o, m) = (old.meetings.get(i), new.meetings.get(j));
        match (o, m) {
            (Some(o), Some(m)) if o.slug == m.slug => {
                let slug_now = loc_slug(new, m);
                // The derived equality also compares the location's index, which shifts when
                // locations come or go; that only costs a few extra pages.
                let same = o == m
                    && loc_slug(old, o) == slug_now
                    && slug_now.is_none_or(|s| !changed_locations.contains(s));
                if !same {
                    dirty.mark(old, o);
                    dirty.mark(new, m);
                    dirty.days_index |= o.days != m.days;
                    dirty.regions_index |= o.region != m.region;
                    dirty.locations_index |= loc_slug(old, o) != slug_now;
                    dirty.types_index |= o.types != m.types;
                }
                i += 1;
                j += 1;
            }
            (Some(o), Some(m)) if o.slug < m.slug => {
                dirty.mark(old, o);
                dirty.all_indexes();
                i += 1;
            }
            (Some(o), None) => {
                dirty.mark(old, o);
                dirty.all_indexes();
                i += 1;
            }
            (_, Some(m)) => {
                dirty.mark(new, m);
                dirty.all_indexes();
                j += 1;
            }
            (None, None) => break,
        }
    }

    let old_pages: HashMap<&str, _> = old.pages.iter().map(|p| (p.path.as_str(), p)).collect();
    for p in &new.pages {
        if old_pages.get(p.path.as_str()) != Some(&p) {
            dirty.pages.insert(p.path.clone());
        }
    }
    for p in &old.pages {
        if !new.pages.iter().any(|n| n.path == p.path) {
            dirty.pages.insert(p.path.clone());
        }
    }
    Scope::Dirty(dirty)
}

fn loc_slug<'a>(site: &'a Site, m: &Meeting) -> Option<&'a str> {
    site.location_of(m).map(|l| l.slug.as_str())
}

/// What the templates' `site` value holds besides the settings: the number of
/// meetings and the meetings per day.
fn globals(site: &Site) -> (usize, [usize; 7]) {
    let mut per_day = [0; 7];
    for m in &site.meetings {
        for d in &m.days {
            per_day[d.num_days_from_sunday() as usize] += 1;
        }
    }
    (site.meetings.len(), per_day)
}

/// The page menu shown on every page.
fn menu(site: &Site) -> Vec<(&str, &str, i64)> {
    site.pages
        .iter()
        .map(|p| (p.title.as_str(), p.path.as_str(), p.weight))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::load_site;
    use std::path::Path;

    fn small() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/small");
        load_site(&root, None).unwrap()
    }

    #[test]
    fn same_site_touches_nothing() {
        let s = small();
        assert_eq!(diff(&s, &s.clone()), Scope::Dirty(Dirty::default()));
    }

    #[test]
    fn a_changed_meeting_dirties_its_lists_only() {
        let old = small();
        let mut new = old.clone();
        let i = new
            .meetings
            .iter()
            .position(|m| m.location.is_some())
            .unwrap();
        new.meetings[i].notes = Some("Changed notes".into());
        let Scope::Dirty(d) = diff(&old, &new) else {
            panic!("expected a scoped render");
        };
        let m = &new.meetings[i];
        assert_eq!(d.meetings, BTreeSet::from([m.slug.clone()]));
        assert_eq!(d.days, m.days.iter().copied().collect());
        assert_eq!(
            d.locations,
            BTreeSet::from([new.location_of(m).unwrap().slug.clone()])
        );
        assert_eq!(d.types, m.types.iter().cloned().collect());
        assert!(d.home);
        // Same days, regions, location and types: the overviews' counts are unchanged.
        assert!(!d.days_index && !d.regions_index && !d.locations_index && !d.types_index);
        assert!(d.pages.is_empty());
    }

    #[test]
    fn a_changed_location_dirties_its_meetings() {
        let old = small();
        let mut new = old.clone();
        new.locations[0].notes = Some("Use the side door".into());
        let Scope::Dirty(d) = diff(&old, &new) else {
            panic!("expected a scoped render");
        };
        let at: BTreeSet<String> = new
            .meetings
            .iter()
            .filter(|m| m.location == Some(0))
            .map(|m| m.slug.clone())
            .collect();
        assert!(!at.is_empty());
        assert_eq!(d.meetings, at);
    }

    #[test]
    fn settings_and_day_counts_change_everything() {
        let old = small();
        let mut new = old.clone();
        new.config.title = "Another title".into();
        assert_eq!(diff(&old, &new), Scope::All);
        let mut new = old.clone();
        new.meetings.pop();
        assert_eq!(diff(&old, &new), Scope::All);
    }
}
