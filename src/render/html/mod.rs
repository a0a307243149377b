//! HTML pages: one small context per page, rendered with the theme's templates in parallel.
//! Every template also sees `site` and `t` (the site's settings and the strings of its
//! language), made once per render and shared by each page's context; nothing changes the
//! theme, so rendering borrows it (`&Theme`) and languages can share its templates.
//!
//! Each meeting's entry in a list is rendered once (template `partials/meeting_item.html`) and
//! reused in every list it appears in, so list pages only carry finished HTML snippets.
//!
//! What lives where: this file is the entry point ([`render_scoped`]) and the [`Renderer`]
//! that turns each page of [`pages`] into a file; [`contexts`] holds the typed values the
//! templates see; [`lists`] the meeting lists grouped by day and the region and type lists;
//! [`scripts`] what the finder and `meeting.js` are given; [`pages`] the one list of the
//! site's pages, which the sitemap and incremental rebuilds use too.

mod contexts;
mod lists;
pub(crate) mod pages;
mod scripts;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::i18n::Strings;
use super::i18n::format;
use super::ical;
use super::incremental::Scope;
use super::theme::Theme;
use super::{Output, Sink};
use super::{markdown, urls};
use crate::diagnostics::{Diagnostic, Diagnostics, Error};
use crate::model::schedule::{WEEK, day_key};
use crate::model::{Location, Site, Status};
use contexts::{Alternate, DayCtx, Link, LocationCount, PageCtx, RegionCtx, SiteCtx};
use lists::{HOME_WEEK_LIMIT, Listing, Lists, Schedule};
use pages::{Job, gone_pages, wanted};

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

/// Renders the pages `scope` names, reusing unchanged meetings' list entries from `cache`,
/// and returns the pages of the previous model that are gone (scoped renders only). On an
/// error the cache may hold entries of the failed model: clear it before the next call.
pub(crate) fn render_scoped(
    site: &Site,
    theme: &Theme,
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
    let s = &theme.strings;
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
    let r = Renderer {
        site,
        theme,
        s,
        // Made once: each page's context shares them (a tera value's maps are reference
        // counted).
        globals: [
            ("site", tera::Value::from_serializable(&globals)),
            ("t", tera::Value::from_serializable(&s.0)),
        ],
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

    let mut jobs = pages::all(site);
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

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    s: &'a Strings,
    /// What every template sees besides its page's values: the site (`site`) and the
    /// strings of its language (`t`).
    globals: [(&'static str, tera::Value); 2],
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
        for (name, value) in &self.globals {
            c.insert_value(*name, value.clone());
        }
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
        // The page's folder comes from the one list of pages, as the sitemap's do.
        let dir = job.dir(site);
        let dir = dir.as_str();
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
                let (template, title) = if home {
                    ("index.html", site.config.title.as_str())
                } else {
                    ("find.html", s.get("finder_title"))
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
            Job::NotFound => self.page(dir, "404.html", s.get("not_found_title"), |_| {}),
            Job::Days => self.page(dir, "days.html", s.get("days_title"), |_| {}),
            Job::Regions => self.page(dir, "regions.html", s.get("regions_title"), |c| {
                c.insert("regions", &self.region_tree(&site.regions.roots));
            }),
            Job::Locations => self.page(dir, "locations.html", s.get("locations_title"), |c| {
                let mut locs: Vec<(&Location, usize)> = site
                    .places()
                    .map(|(i, l)| (l, lists.by_location[i].len()))
                    .collect();
                locs.sort_by(|a, b| {
                    (a.0.name.to_lowercase(), &a.0.slug).cmp(&(b.0.name.to_lowercase(), &b.0.slug))
                });
                let list: Vec<LocationCount> = locs
                    .into_iter()
                    .map(|(l, count)| LocationCount {
                        location: self.location(l),
                        count,
                    })
                    .collect();
                c.insert("locations", &list);
            }),
            Job::Types => self.page(dir, "types.html", s.get("types_title"), |c| {
                c.insert("types", &self.type_links(lists));
            }),
            Job::Meeting(i) => {
                let m = &site.meetings[*i];
                let ctx = self.meeting(m);
                self.page(dir, "meeting.html", &m.name, |c| {
                    c.insert("meeting", &ctx);
                    // A temporarily closed meeting has no next dates to show.
                    if m.status != Status::TemporarilyClosed {
                        c.insert("clock", &self.clock(m));
                    }
                    c.insert("feeds", &ical::links(site, dir));
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
                self.page(dir, "day.html", &name, |c| {
                    let day = DayCtx {
                        key: day_key(*d),
                        name: name.clone(),
                        count: on_day.len(),
                    };
                    c.insert("day", &day);
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
                self.page(dir, "region.html", &rg.name, |c| {
                    let region = RegionCtx {
                        name: &rg.name,
                        count: rg.meetings.len(),
                        breadcrumbs: self.region_breadcrumbs(&rg.names),
                        children: self.region_links(&rg.children),
                    };
                    c.insert("region", &region);
                    c.insert("schedule", &sched.days);
                    c.insert("feeds", &ical::links(site, dir));
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
                self.page(dir, "location.html", &l.name, |c| {
                    c.insert("location", &self.location(l));
                    c.insert("feeds", &ical::links(site, dir));
                    c.insert("count", &ms.len());
                    c.insert("schedule", &sched.days);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Type(code) => {
                let t = self.type_ctx(code);
                let ms: &[usize] = lists.by_type.get(code).map_or(&[], Vec::as_slice);
                let sched = lists.schedule(site, ms, Listing::Once, s, self.base);
                self.page(dir, "type.html", &t.name, |c| {
                    c.insert("type", &t);
                    c.insert("feeds", &ical::links(site, dir));
                    c.insert("count", &ms.len());
                    c.insert("schedule", &sched.days);
                })
                .map(|page| sched.splice(page, lists.items))
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let (content, own_heading) = markdown::page(&p.body);
                self.page(dir, "page.html", &p.title, |c| {
                    let page = PageCtx {
                        title: &p.title,
                        description: p.description.as_deref(),
                        content,
                        own_heading,
                    };
                    c.insert("page", &page);
                })
            }
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
