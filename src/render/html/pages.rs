//! The site's pages as jobs for the renderer, and which of them an incremental rebuild
//! redoes ([`wanted`]) or removes ([`gone_pages`]).

use chrono::Weekday;

use crate::model::Site;
use crate::render::incremental::Dirty;
use crate::render::urls;

/// One page of the site, as the renderer makes it.
pub(super) enum Job<'a> {
    Home,
    NotFound,
    Days,
    Regions,
    Locations,
    Types,
    Find,
    Meeting(usize),
    Day(Weekday),
    Region(&'a str),
    Location(usize),
    Type(&'a str),
    Page(usize),
}

/// Whether a scoped render must redo this page.
pub(super) fn wanted(site: &Site, job: &Job, d: &Dirty) -> bool {
    match job {
        // The finder lists every meeting too.
        Job::Home | Job::Find => d.home,
        Job::Days => d.days_index,
        Job::Regions => d.regions_index,
        Job::Locations => d.locations_index,
        Job::Types => d.types_index,
        // Shows only what every page shows; a change there is a full render.
        Job::NotFound => false,
        Job::Meeting(i) => d.meetings.contains(&site.meetings[*i].slug),
        Job::Day(day) => d.days.contains(day),
        Job::Region(p) => d.regions.contains(*p),
        Job::Location(i) => d.locations.contains(&site.locations[*i].slug),
        Job::Type(code) => d.types.contains(*code),
        Job::Page(i) => d.pages.contains(&site.pages[*i].path),
    }
}

/// The pages of dirty things that the site no longer has (a removed meeting, a region,
/// location or type no meeting uses any more, a deleted page).
pub(super) fn gone_pages(site: &Site, d: &Dirty) -> Vec<String> {
    let mut gone = Vec::new();
    for slug in &d.meetings {
        if site
            .meetings
            .binary_search_by(|m| m.slug.as_str().cmp(slug))
            .is_err()
        {
            gone.push(urls::meeting(slug));
        }
    }
    for path in &d.regions {
        if site.regions.get(path).is_none() {
            gone.push(urls::region(path));
        }
    }
    for slug in &d.locations {
        // An approximate area has no page either.
        let has_page = site
            .locations
            .binary_search_by(|l| l.slug.as_str().cmp(slug))
            .is_ok_and(|i| site.locations[i].is_place());
        if !has_page {
            gone.push(urls::location(slug));
        }
    }
    let used = site.used_types();
    for code in &d.types {
        if used.binary_search(&code.as_str()).is_err() {
            let slug = site
                .types
                .get(code)
                .map_or(code.to_string(), |t| t.slug.clone());
            gone.push(urls::type_page(&slug));
        }
    }
    for path in &d.pages {
        if !site.pages.iter().any(|p| &p.path == path) {
            gone.push(urls::page(path));
        }
    }
    gone.iter().map(|dir| urls::index_file(dir)).collect()
}
