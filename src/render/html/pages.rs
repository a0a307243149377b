//! The one list of the site's pages, [`all`]. HTML rendering writes each of them (the file
//! is [`Job::dir`]'s), the sitemap lists them ([`sitemap_dirs`]) and incremental rebuilds
//! pick among them ([`wanted`]) and remove what is no longer among them ([`gone_pages`]), so
//! the three cannot disagree about which pages the site has.

use std::collections::HashSet;

use chrono::Weekday;

use crate::model::Site;
use crate::model::schedule::WEEK;
use crate::render::incremental::Dirty;
use crate::render::urls;

/// One page of the site, as the renderer makes it.
pub(crate) enum Job<'a> {
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

/// Every page of the site in one language (each language has the same pages).
pub(crate) fn all(site: &Site) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job> = vec![
        Job::Home,
        Job::NotFound,
        Job::Days,
        Job::Regions,
        Job::Locations,
        Job::Types,
        Job::Find,
    ];
    jobs.extend((0..site.meetings.len()).map(Job::Meeting));
    jobs.extend(WEEK.iter().map(|d| Job::Day(*d)));
    jobs.extend(site.regions.iter().map(|rg| Job::Region(&rg.path)));
    // Only a place people go to has a page (not an approximate area).
    jobs.extend(site.places().map(|(i, _)| Job::Location(i)));
    jobs.extend(site.used_types().into_iter().map(Job::Type));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// The folder of each page the sitemap lists, sorted: every page but the 404 page, which is
/// served at any address that has nothing and has none of its own.
pub(crate) fn sitemap_dirs(site: &Site) -> Vec<String> {
    let mut dirs: Vec<String> = all(site)
        .iter()
        .filter(|j| !matches!(j, Job::NotFound))
        .map(|j| j.dir(site))
        .collect();
    dirs.sort();
    dirs
}

impl Job<'_> {
    /// The page's folder inside the site (`meetings/x/`, empty for the home page); `404`
    /// for the not-found page, written as `404.html`.
    pub(crate) fn dir(&self, site: &Site) -> String {
        match self {
            Job::Home => String::new(),
            Job::NotFound => "404".into(),
            Job::Days => "days/".into(),
            Job::Regions => "regions/".into(),
            Job::Locations => "locations/".into(),
            Job::Types => "types/".into(),
            Job::Find => "find/".into(),
            Job::Meeting(i) => urls::meeting(&site.meetings[*i].slug),
            Job::Day(d) => urls::day(*d),
            Job::Region(path) => urls::region(path),
            Job::Location(i) => urls::location(&site.locations[*i].slug),
            Job::Type(code) => urls::type_page(&type_slug(site, code)),
            Job::Page(i) => urls::page(&site.pages[*i].path),
        }
    }
}

/// A type's page is named by its slug; a code the type table lacks names its own page.
pub(super) fn type_slug(site: &Site, code: &str) -> String {
    site.types
        .get(code)
        .map_or(code.to_string(), |t| t.slug.clone())
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
/// location or type no meeting uses any more, a deleted page, an approximate area): each
/// dirty thing's page that is not among [`all`].
pub(super) fn gone_pages(site: &Site, d: &Dirty) -> Vec<String> {
    let mut candidates: Vec<String> = Vec::new();
    candidates.extend(d.meetings.iter().map(|slug| urls::meeting(slug)));
    candidates.extend(d.regions.iter().map(|path| urls::region(path)));
    candidates.extend(d.locations.iter().map(|slug| urls::location(slug)));
    candidates.extend(
        d.types
            .iter()
            .map(|code| urls::type_page(&type_slug(site, code))),
    );
    candidates.extend(d.pages.iter().map(|path| urls::page(path)));
    let pages: HashSet<String> = all(site).iter().map(|j| j.dir(site)).collect();
    candidates
        .into_iter()
        .filter(|dir| !pages.contains(dir))
        .map(|dir| urls::index_file(&dir))
        .collect()
}
