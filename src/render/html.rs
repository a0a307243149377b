//! HTML pages: one small context per page, rendered with the theme's templates in parallel.
//!
//! Each meeting's entry in a list is rendered once (template `partials/meeting_item.html`) and
//! reused in every list it appears in, so list pages only carry finished HTML snippets.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Timelike, Weekday};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::i18n::Strings;
use super::i18n::format;
use super::ical;
use super::incremental::{Dirty, Scope};
use super::markdown;
use super::search_index;
use super::theme::Theme;
use super::urls;
use super::{Body, Output, Part, Sink};
use crate::diagnostics::{Diagnostic, Diagnostics, Error};
use crate::model::schedule::{WEEK, day_key, day_number};
use crate::model::{Location, Meeting, Site, Status};

#[derive(Serialize)]
struct Link {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    /// Prefix of every link to a page (`/`, `/meetings/`; `/es/` for Spanish on a bilingual
    /// site).
    base: &'a str,
    /// Where the assets and the whole-site files are (`/` or `/meetings/`), in every
    /// language.
    root: &'a str,
    feedback_email: Option<&'a str>,
    /// Markdown pages for the menu, by weight.
    pages: Vec<Link>,
    /// Every weekday, Sunday first, with how many meetings it has.
    days: Vec<Link>,
    meeting_count: usize,
    /// The site's IANA zone (a chrono-tz name: letters, `/`, `_`, `+`, `-`, safe in a script):
    /// what "today" means for lists grouped by weekday.
    timezone: &'a str,
}

#[derive(Serialize)]
struct TypeCtx {
    code: String,
    name: String,
    url: String,
    description: Option<String>,
    /// A site's own type, not in the Meeting Guide list: its code is shown so feed readers
    /// can map it.
    custom: bool,
}

/// What the meeting list entry template sees.
#[derive(Serialize)]
struct ItemCtx<'a> {
    name: &'a str,
    url: String,
    time: String,
    end_time: String,
    /// The meeting's time zone in words, when it differs from the site's.
    timezone: Option<String>,
    days: Vec<String>,
    /// "Every day", "Monday to Friday", or the days joined in words.
    days_in_words: String,
    recurrence: Option<String>,
    attendance: &'static str,
    attendance_label: String,
    location: Option<&'a str>,
    city: Option<&'a str>,
    region: Option<&'a str>,
    types: Vec<TypeCtx>,
    closed: bool,
    closed_until: Option<String>,
    /// Online details, so a list offers Join and Call without opening the meeting's page.
    join_url: Option<&'a str>,
    phone_url: Option<String>,
    /// What only paper shows (the print stylesheet), where nothing can be tapped: the street
    /// address, the join address without its scheme and the phone number as dialled.
    street: Option<&'a str>,
    join_short: Option<&'a str>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct DayGroup {
    key: &'static str,
    name: String,
    url: String,
    count: usize,
    /// A placeholder the template prints where the day's list entries go
    /// (`partials/meeting_item.html`, one per meeting). [`Schedule::splice`] puts the entries in
    /// after rendering, so each stays one shared string however many lists show it.
    items_html: String,
}

/// Start of a placeholder for list entries. No text of a site can contain it: YAML (records,
/// site.yaml, translations) forbids the NUL character and Markdown rendering replaces it. A
/// placeholder whose number names no group is left as it is.
const ITEMS_MARK: &str = "\0lantern-items:";

/// Meetings grouped by weekday, and the meetings behind each group's placeholder.
#[derive(Default)]
struct Schedule {
    days: Vec<DayGroup>,
    groups: Vec<Vec<usize>>,
}

impl Schedule {
    /// Replaces each placeholder in a rendered page with its meetings' entries. The page
    /// becomes pieces: the template's text and the shared entries.
    fn splice(&self, page: Output, items: &[Arc<str>]) -> Output {
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

#[derive(Serialize)]
struct LocationCtx {
    name: String,
    url: String,
    address: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    formatted_address: String,
    /// "Springfield, IL 62701".
    locality: String,
    notes: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    directions_url: String,
    geo_url: Option<String>,
    region: Vec<Link>,
    timezone: Option<String>,
}

#[derive(Serialize)]
struct OnlineCtx<'a> {
    url: Option<&'a str>,
    notes: Option<&'a str>,
    phone: Option<&'a str>,
    phone_url: Option<String>,
    /// The number to call, for reading; `phone_then` is what to dial once connected.
    phone_number: Option<String>,
    phone_then: Option<String>,
    phone_notes: Option<&'a str>,
}

#[derive(Serialize)]
struct MeetingCtx<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    day_times: Vec<String>,
    days: Vec<Link>,
    time: String,
    end_time: String,
    ends_next_day: bool,
    timezone: &'a str,
    /// "Chicago time".
    timezone_words: String,
    timezone_differs: bool,
    recurrence: Option<String>,
    skip: Vec<String>,
    types: Vec<TypeCtx>,
    attendance: &'static str,
    attendance_label: String,
    status: &'static str,
    closed_until: Option<String>,
    location: Option<LocationCtx>,
    online: Option<OnlineCtx<'a>>,
    region: Vec<Link>,
    group: Option<&'a str>,
    notes_html: Option<String>,
    contact_email: Option<&'a str>,
    updated: Option<String>,
    edit_url: Option<String>,
    feedback_url: Option<String>,
    /// schema.org JSON-LD for the page head, already safe inside a script element.
    json_ld: String,
}

/// Each meeting's rendered list entry by slug, kept between incremental renders: one map per
/// language of the site.
#[derive(Default)]
pub(crate) struct ItemCache(Vec<Items>);

/// One language's list entries by slug.
#[derive(Default)]
pub(crate) struct Items(HashMap<String, Arc<str>>);

impl ItemCache {
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// Keeps a map for each of `n` languages (a change of languages is a full render).
    pub(crate) fn editions(&mut self, n: usize) {
        self.0.resize_with(n, Items::default);
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Items> {
        self.0.iter_mut()
    }
}

/// A language of the site, for the language switch and `hreflang` alternates.
#[derive(Clone, Debug)]
pub(crate) struct Language {
    /// The tag (`es`, `pt-BR`).
    pub(crate) code: String,
    /// Its folder: empty for the default language, `es/` for another.
    pub(crate) prefix: String,
    /// Its name in itself ("Español"), the translation key `language_name`.
    pub(crate) name: String,
}

/// This page in one language, for the switch and the `hreflang` links in the head.
#[derive(Serialize)]
struct Alternate<'a> {
    lang: &'a str,
    name: &'a str,
    /// Inside the site (`/es/meetings/x/`), for the switch.
    url: String,
    /// Absolute, as `hreflang` links must be.
    href: String,
    current: bool,
}

/// Renders the pages `scope` names, reusing unchanged meetings' list entries from `cache`,
/// and returns the pages of the previous model that are gone (scoped renders only). On an
/// error the cache may hold entries of the failed model: clear it before the next call.
pub(crate) fn render_scoped(
    site: &Site,
    theme: &mut Theme,
    sink: &dyn Sink,
    scope: &Scope,
    cache: &mut Items,
    languages: &[Language],
) -> Result<Vec<String>, Error> {
    let dirty = match scope {
        Scope::All => {
            cache.0.clear();
            None
        }
        Scope::Dirty(d) => Some(d),
    };
    let strings = theme.strings.clone();
    let s = &strings;
    let base = site.config.base_path();
    let globals = SiteCtx {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        language: &site.config.language,
        base_url: &site.config.base_url,
        base: &base,
        root: site.config.root_path(),
        feedback_email: site.config.feedback_email.as_deref(),
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                name: p.title.clone(),
                url: format!("{base}{}", urls::page(&p.path)),
                count: 0,
            })
            .collect(),
        days: WEEK
            .iter()
            .map(|d| Link {
                name: format::day_name(*d, s),
                url: format!("{base}{}", urls::day(*d)),
                count: site.meetings.iter().filter(|m| m.days.contains(d)).count(),
            })
            .collect(),
        meeting_count: site.meetings.len(),
        timezone: site.config.timezone.name(),
    };
    theme.tera.global_context().insert("site", &globals);
    theme.tera.global_context().insert("t", &strings.0);
    let theme: &Theme = theme;
    let r = Renderer {
        site,
        theme,
        s,
        base: &base,
        region_paths: site
            .regions
            .iter()
            .map(|rg| (rg.names.as_slice(), rg.path.as_str()))
            .collect(),
        home_country: site.home_country(),
        languages,
    };

    // Each meeting's list entry, rendered once (and kept while the meeting is unchanged).
    let items: Vec<Arc<str>> = site
        .meetings
        .par_iter()
        .map(|m| {
            if let Some(d) = dirty
                && !d.meetings.contains(&m.slug)
                && let Some(html) = cache.0.get(&m.slug)
            {
                return Ok(html.clone());
            }
            r.render("partials/meeting_item.html", |c| c.insert("m", &r.item(m)))
                .map(Arc::from)
        })
        .collect::<Result<_, _>>()
        .map_err(|d| Diagnostics(vec![d]))?;
    match dirty {
        // Only changed meetings' entries differ (and removed meetings are among them).
        Some(d) => {
            for slug in &d.meetings {
                cache.0.remove(slug);
            }
            for (m, html) in site.meetings.iter().zip(&items) {
                if d.meetings.contains(&m.slug) {
                    cache.0.insert(m.slug.clone(), html.clone());
                }
            }
        }
        None => {
            cache.0 = site
                .meetings
                .iter()
                .zip(&items)
                .map(|(m, html)| (m.slug.clone(), html.clone()))
                .collect();
        }
    }
    // Sort key of each meeting within a day: time, then name, then slug.
    let mut order: Vec<usize> = (0..site.meetings.len()).collect();
    order.sort_by_cached_key(|i| {
        let m = &site.meetings[*i];
        (m.time, m.name.to_lowercase(), m.slug.clone())
    });
    let mut rank = vec![0usize; order.len()];
    for (pos, i) in order.iter().enumerate() {
        rank[*i] = pos;
    }
    // Which meetings each location and type lists, computed once rather than per page.
    let by_location = site.meetings_by_place();
    let by_type = site.meetings_by_type();
    let all: Vec<usize> = (0..site.meetings.len()).collect();
    let lists = Lists {
        items: &items,
        rank: &rank,
        all: &all,
        by_location: &by_location,
        by_type: &by_type,
    };

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
    let mut gone = Vec::new();
    if let Some(d) = dirty {
        jobs.retain(|j| wanted(site, j, d));
        gone = gone_pages(site, d);
    }

    // Every page is rendered even when some fail, so all template problems are reported.
    let failures: Vec<Error> = jobs
        .par_iter()
        .filter_map(|j| match r.job(j, &lists) {
            Ok(o) => sink.emit(o).err(),
            Err(d) => Some(Error::Input(Diagnostics(vec![d]))),
        })
        .collect();
    let mut diags = Diagnostics::default();
    for f in failures {
        match f {
            Error::Input(d) => diags.extend(d),
            other => return Err(other),
        }
    }
    if diags.is_empty() {
        Ok(gone)
    } else {
        Err(Error::Input(diags.sorted()))
    }
}

/// Whether a scoped render must redo this page.
fn wanted(site: &Site, job: &Job, d: &Dirty) -> bool {
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
fn gone_pages(site: &Site, d: &Dirty) -> Vec<String> {
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

enum Job<'a> {
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

struct Lists<'a> {
    items: &'a [Arc<str>],
    rank: &'a [usize],
    all: &'a [usize],
    by_location: &'a [Vec<usize>],
    by_type: &'a BTreeMap<&'a str, Vec<usize>>,
}

impl Lists<'_> {
    /// Meetings grouped by weekday (Sunday first), each day sorted by time. `listing` says
    /// which days a meeting is listed under (see `Listing`).
    fn schedule(
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

/// Which days a list shows a meeting under.
/// The most entries (meeting-days) the home and finder pages list as the week's schedule;
/// a larger site's pages link the day pages instead, which keeps them near 100 KB (an entry
/// is about 550 bytes of HTML).
const HOME_WEEK_LIMIT: usize = 300;

#[derive(Clone, Copy)]
enum Listing {
    /// Under each of its days: the home page's week.
    Week,
    /// Once, under its first day, its other days named in the entry: the pages of a region,
    /// a location or a type, whose counts are meetings, not meeting times.
    Once,
    /// Only under this day: the day's page.
    Day(chrono::Weekday),
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    s: &'a Strings,
    base: &'a str,
    /// Each region's path by its names, so breadcrumbs need not slugify names on every page.
    region_paths: HashMap<&'a [String], &'a str>,
    /// Addresses in this country do not name it.
    home_country: Option<&'a str>,
    /// Every language of the site; one means no switch.
    languages: &'a [Language],
}

impl<'a> Renderer<'a> {
    fn render(
        &self,
        template: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<String, Diagnostic> {
        let mut c = Context::new();
        fill(&mut c);
        self.theme
            .tera
            .render(template, &c)
            .map_err(|e| self.theme.error(&e))
    }

    fn page(
        &self,
        dir: &str,
        template: &str,
        title: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<Output, Diagnostic> {
        let html = self.render(template, |c| {
            c.insert("page_title", title);
            // The 404 page is served at any address that has nothing: it has no address of
            // its own to name.
            let canonical = if dir == "404" {
                String::new()
            } else {
                self.site.config.url(dir)
            };
            c.insert("canonical", &canonical);
            c.insert("current", &format!("{}{dir}", self.base));
            c.insert("alternates", &self.alternates(dir));
            fill(c);
        })?;
        let path = if dir == "404" {
            "404.html".to_string()
        } else {
            urls::index_file(dir)
        };
        Ok(Output::text(path, html))
    }

    /// The page at `dir` in each language of the site, when it has more than one.
    fn alternates(&self, dir: &str) -> Vec<Alternate<'a>> {
        if self.languages.len() < 2 || dir == "404" {
            return Vec::new();
        }
        let cfg = &self.site.config;
        self.languages
            .iter()
            .map(|l| Alternate {
                lang: &l.code,
                name: &l.name,
                url: format!("{}{}{dir}", cfg.root_path(), l.prefix),
                href: cfg.root_url(&format!("{}{dir}", l.prefix)),
                current: l.code == cfg.language,
            })
            .collect()
    }

    fn job(&self, job: &Job, lists: &Lists) -> Result<Output, Diagnostic> {
        let site = self.site;
        let s = self.s;
        let all = lists.all;
        match job {
            // Both pages carry the finder over the week's list: what a visitor without
            // JavaScript reads, and the place the finder's results take, so nothing moves.
            Job::Home | Job::Find => {
                // One entry per meeting-day, as the week's list has.
                let entries: usize = all.iter().map(|i| site.meetings[*i].days.len()).sum();
                // A large directory's whole week would make these pages megabytes long
                // (about 6 MB at 10,000 meetings): they link the days instead, each a page
                // of its own, and the finder shows the meetings in the list's place.
                let by_day = entries > HOME_WEEK_LIMIT;
                let sched = if by_day {
                    Schedule::default()
                } else {
                    lists.schedule(site, all, Listing::Week, s, self.base)
                };
                let home = matches!(job, Job::Home);
                let (dir, template, title) = if home {
                    ("", "index.html", site.config.title.as_str())
                } else {
                    ("find/", "find.html", s.get("finder_title"))
                };
                self.page(dir, template, title, |c| {
                    // What the list says before the finder takes over, on one line as the
                    // finder's count is, so nothing moves when it does.
                    c.insert("finder_count", &s.count("finder_week_count", entries));
                    c.insert("schedule", &sched.days);
                    c.insert("week_by_day", &by_day);
                    c.insert("regions", &self.region_links(&site.regions.roots));
                    c.insert("types", &self.type_links(lists));
                    c.insert("finder", &self.finder(lists));
                    if home {
                        c.insert("feeds", &ical::links(site, ""));
                        let print = site
                            .config
                            .print
                            .site
                            .then(|| urls::schedule(&site.config.base_path()));
                        c.insert("print", &print);
                    } else {
                        // The page's h1 names the finder; its section needs no heading.
                        c.insert("finder_heading_is_h1", &true);
                    }
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::NotFound => self.page("404", "404.html", s.get("not_found_title"), |_| {}),
            Job::Days => self.page("days/", "days.html", s.get("days_title"), |_| {}),
            Job::Regions => self.page("regions/", "regions.html", s.get("regions_title"), |c| {
                c.insert("regions", &self.region_tree(&site.regions.roots));
            }),
            Job::Locations => self.page(
                "locations/",
                "locations.html",
                s.get("locations_title"),
                |c| {
                    let mut locs: Vec<(&Location, usize)> = site
                        .places()
                        .map(|(i, l)| (l, lists.by_location[i].len()))
                        .collect();
                    locs.sort_by(|a, b| {
                        (a.0.name.to_lowercase(), &a.0.slug)
                            .cmp(&(b.0.name.to_lowercase(), &b.0.slug))
                    });
                    let list: Vec<_> = locs
                        .into_iter()
                        .map(|(l, n)| (self.location(l), n))
                        .map(|(l, n)| serde_json::json!({"location": l, "count": n}))
                        .collect();
                    c.insert("locations", &list);
                },
            ),
            Job::Types => self.page("types/", "types.html", s.get("types_title"), |c| {
                c.insert("types", &self.type_links(lists));
            }),
            Job::Meeting(i) => {
                let m = &site.meetings[*i];
                let ctx = self.meeting(m);
                self.page(&urls::meeting(&m.slug), "meeting.html", &m.name, |c| {
                    c.insert("meeting", &ctx);
                    // A temporarily closed meeting has no next dates to show.
                    if m.status != Status::TemporarilyClosed {
                        c.insert("clock", &self.clock(m));
                    }
                    c.insert("feeds", &ical::links(site, &urls::meeting(&m.slug)));
                })
            }
            Job::Day(d) => {
                let on_day: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|i| site.meetings[*i].days.contains(d))
                    .collect();
                let name = format::day_name(*d, s);
                let sched = lists.schedule(site, &on_day, Listing::Day(*d), s, self.base);
                self.page(&urls::day(*d), "day.html", &name, |c| {
                    c.insert("day", &serde_json::json!({"key": day_key(*d), "name": name, "count": on_day.len()}));
                    c.insert("schedule", &sched.days);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Region(path) => {
                let Some(rg) = site.regions.get(path) else {
                    return Err(Diagnostic::new(
                        "regions",
                        Default::default(),
                        format!("internal: region {path} missing"),
                    ));
                };
                let sched = lists.schedule(site, &rg.meetings, Listing::Once, s, self.base);
                self.page(&urls::region(path), "region.html", &rg.name, |c| {
                    c.insert(
                        "region",
                        &serde_json::json!({
                            "name": rg.name,
                            "count": rg.meetings.len(),
                            "breadcrumbs": self.region_breadcrumbs(&rg.names),
                            "children": self.region_links(&rg.children),
                        }),
                    );
                    c.insert("schedule", &sched.days);
                    c.insert("feeds", &ical::links(site, &urls::region(path)));
                    // The regions `print:` names have a printed schedule (src/render/pdf/).
                    let print = site.config.print.region(rg).then(|| {
                        urls::schedule(&format!(
                            "{}{}",
                            site.config.base_path(),
                            urls::region(path)
                        ))
                    });
                    c.insert("print", &print);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Location(i) => {
                let l = &site.locations[*i];
                let ms: &[usize] = &lists.by_location[*i];
                let sched = lists.schedule(site, ms, Listing::Once, s, self.base);
                self.page(&urls::location(&l.slug), "location.html", &l.name, |c| {
                    c.insert("location", &self.location(l));
                    c.insert("feeds", &ical::links(site, &urls::location(&l.slug)));
                    c.insert("count", &ms.len());
                    c.insert("schedule", &sched.days);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Type(code) => {
                let t = self.type_ctx(code);
                let ms: &[usize] = lists.by_type.get(code).map_or(&[], Vec::as_slice);
                let slug = site
                    .types
                    .get(code)
                    .map_or(code.to_string(), |t| t.slug.clone());
                let sched = lists.schedule(site, ms, Listing::Once, s, self.base);
                self.page(&urls::type_page(&slug), "type.html", &t.name, |c| {
                    c.insert("type", &t);
                    c.insert("feeds", &ical::links(site, &urls::type_page(&slug)));
                    c.insert("count", &ms.len());
                    c.insert("schedule", &sched.days);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let (content, own_heading) = markdown::page(&p.body);
                self.page(&urls::page(&p.path), "page.html", &p.title, |c| {
                    c.insert(
                        "page",
                        &serde_json::json!({
                            "title": p.title,
                            "description": p.description,
                            "content": content,
                            "own_heading": own_heading,
                        }),
                    );
                })
            }
        }
    }

    /// What the finder form needs: its choices, and the strings and settings for its script.
    fn finder(&self, lists: &Lists) -> serde_json::Value {
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
    fn clock(&self, m: &Meeting) -> String {
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

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn type_ctx(&self, code: &str) -> TypeCtx {
        let t = self.site.types.get(code);
        TypeCtx {
            code: code.to_string(),
            name: t.map_or(code.to_string(), |t| t.name.clone()),
            url: self.url(&urls::type_page(
                &t.map_or(code.to_string(), |t| t.slug.clone()),
            )),
            description: t
                .and_then(|t| t.description.clone())
                .or_else(|| self.s.0.get(&format!("type_description_{code}")).cloned()),
            custom: t.is_some_and(|t| t.custom),
        }
    }

    fn type_links(&self, lists: &Lists) -> Vec<serde_json::Value> {
        let mut list: Vec<(TypeCtx, usize)> = lists
            .by_type
            .iter()
            .map(|(code, ms)| (self.type_ctx(code), ms.len()))
            .collect();
        list.sort_by(|a, b| {
            (a.0.name.to_lowercase(), &a.0.code).cmp(&(b.0.name.to_lowercase(), &b.0.code))
        });
        list.into_iter()
            .map(|(t, n)| serde_json::json!({"type": t, "count": n}))
            .collect()
    }

    fn region_links(&self, paths: &[String]) -> Vec<Link> {
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

    fn region_tree(&self, paths: &[String]) -> Vec<serde_json::Value> {
        paths
            .iter()
            .filter_map(|p| self.site.regions.get(p))
            .map(|rg| {
                serde_json::json!({
                    "name": rg.name,
                    "url": self.url(&urls::region(&rg.path)),
                    "count": rg.meetings.len(),
                    "children": self.region_tree(&rg.children),
                })
            })
            .collect()
    }

    fn region_breadcrumbs(&self, names: &[String]) -> Vec<Link> {
        (1..=names.len())
            .map(|n| {
                let path = match self.region_paths.get(&names[..n]) {
                    Some(path) => urls::region(path),
                    // A location's own regions, where its meetings say otherwise.
                    None => urls::region(&crate::model::region::path_of(&names[..n])),
                };
                Link {
                    name: names[n - 1].clone(),
                    url: self.url(&path),
                    count: 0,
                }
            })
            .collect()
    }

    fn item(&self, m: &'a Meeting) -> ItemCtx<'a> {
        // Lists name only a place to go, never an approximate area.
        let loc = self.site.place_of(m);
        ItemCtx {
            name: &m.name,
            url: self.url(&urls::meeting(&m.slug)),
            time: format::time(m.time, self.s),
            end_time: format::time(m.end_time, self.s),
            timezone: (m.timezone != self.site.config.timezone)
                .then(|| format::zone_in_words(m.timezone.name(), self.s)),
            days: m
                .days
                .iter()
                .map(|d| format::day_name(*d, self.s))
                .collect(),
            days_in_words: format::days_in_words(&m.days, self.s),
            recurrence: format::recurrence(m, self.s),
            attendance: m.attendance().key(),
            attendance_label: self
                .s
                .get(&format!("attendance_{}", m.attendance().key()))
                .to_string(),
            location: loc.map(|l| l.name.as_str()),
            city: loc.and_then(|l| l.city.as_deref()),
            region: m.region.last().map(String::as_str),
            types: m.types.iter().map(|c| self.type_ctx(c)).collect(),
            closed: m.status == Status::TemporarilyClosed,
            closed_until: m.closed_until.map(|d| format::date(d, self.s)),
            join_url: m.online.as_ref().and_then(|o| o.url.as_deref()),
            phone_url: m
                .online
                .as_ref()
                .and_then(|o| o.phone.as_deref())
                .map(urls::tel),
            street: loc.and_then(|l| l.address.as_deref()),
            join_short: m
                .online
                .as_ref()
                .and_then(|o| o.url.as_deref())
                .map(urls::without_scheme),
            phone: m
                .online
                .as_ref()
                .and_then(|o| o.phone.as_deref())
                .map(|p| format::phone_parts(p).0),
        }
    }

    fn location(&self, l: &Location) -> LocationCtx {
        let formatted = l.formatted_address();
        // Directions to the place (the visitor's start is asked for there), not a map pin.
        let directions_url = match l.coordinates() {
            Some((lat, lon)) => {
                format!("https://www.openstreetmap.org/directions?from=&to={lat}%2C{lon}")
            }
            None => format!(
                "https://www.openstreetmap.org/directions?from=&to={}",
                utf8_percent_encode(&formatted, NON_ALPHANUMERIC)
            ),
        };
        let country = l
            .country
            .clone()
            .filter(|c| Some(c.trim()) != self.home_country);
        LocationCtx {
            name: l.name.clone(),
            url: self.url(&urls::location(&l.slug)),
            address: l.address.clone(),
            city: l.city.clone(),
            state: l.state.clone(),
            postal_code: l.postal_code.clone(),
            country,
            formatted_address: formatted,
            locality: l.locality(),
            notes: l.notes.clone(),
            latitude: l.latitude,
            longitude: l.longitude,
            directions_url,
            geo_url: l.coordinates().map(|(lat, lon)| format!("geo:{lat},{lon}")),
            region: self.region_breadcrumbs(&l.region),
            timezone: l.timezone.map(|t| t.name().to_string()),
        }
    }

    fn meeting(&self, m: &'a Meeting) -> MeetingCtx<'a> {
        let s = self.s;
        let cfg = &self.site.config;
        MeetingCtx {
            name: &m.name,
            slug: &m.slug,
            url: self.url(&urls::meeting(&m.slug)),
            day_times: m
                .days
                .iter()
                .map(|d| format::day_time(*d, m.time, s))
                .collect(),
            days: m
                .days
                .iter()
                .map(|d| Link {
                    name: format::day_name(*d, s),
                    url: self.url(&urls::day(*d)),
                    count: 0,
                })
                .collect(),
            time: format::time(m.time, s),
            end_time: format::time(m.end_time, s),
            ends_next_day: m.ends_next_day(),
            timezone: m.timezone.name(),
            timezone_words: format::zone_in_words(m.timezone.name(), s),
            timezone_differs: m.timezone != cfg.timezone,
            recurrence: format::recurrence(m, s),
            skip: m.skip.iter().map(|d| format::date(*d, s)).collect(),
            types: m.types.iter().map(|c| self.type_ctx(c)).collect(),
            attendance: m.attendance().key(),
            attendance_label: s
                .get(&format!("attendance_{}", m.attendance().key()))
                .to_string(),
            status: match m.status {
                Status::TemporarilyClosed => "temporarily-closed",
                _ => "active",
            },
            closed_until: m.closed_until.map(|d| format::date(d, s)),
            location: self.site.place_of(m).map(|l| self.location(l)),
            json_ld: super::jsonld::meeting(self.site, m),
            online: m.online.as_ref().map(|o| OnlineCtx {
                url: o.url.as_deref(),
                notes: o.notes.as_deref(),
                phone: o.phone.as_deref(),
                phone_url: o.phone.as_deref().map(urls::tel),
                phone_number: o.phone.as_deref().map(|p| format::phone_parts(p).0),
                phone_then: o.phone.as_deref().and_then(|p| format::phone_parts(p).1),
                phone_notes: o.phone_notes.as_deref(),
            }),
            region: self.region_breadcrumbs(&m.region),
            group: m.group.as_deref(),
            notes_html: m.notes.as_deref().map(markdown::record),
            contact_email: m.contact_email.as_deref(),
            updated: m.updated.map(|d| format::date(d, s)),
            edit_url: cfg
                .edit_url
                .as_ref()
                .map(|u| u.replace("{path}", &m.source)),
            feedback_url: cfg.feedback_email.as_ref().map(|e| {
                let subject = s
                    .get("feedback_subject")
                    .replace("{name}", &m.name)
                    .replace("{url}", &cfg.url(&urls::meeting(&m.slug)));
                format!(
                    "mailto:{e}?subject={}",
                    utf8_percent_encode(&subject, NON_ALPHANUMERIC)
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_puts_each_group_of_entries_at_its_placeholder() {
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
