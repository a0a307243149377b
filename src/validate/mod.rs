//! Stage 2, validate: check the raw records and build the model.
//!
//! Every problem in every file is collected; the model is returned only when there are none.

pub(crate) mod clock;
pub(crate) mod fields;
mod meetings;

pub(crate) use meetings::MAX_SLUG;

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::load::records::{OneOrMany, RawLocation, RawPrint, RawSite};
use crate::load::{RawInput, RawPage, Sourced};
use crate::model::{
    Entity, Field, Location, MeetingType, Page, PageTranslation, Paper, Print, PrintRegions,
    RegionTree, Site, SiteConfig, Status, Translations, TypeTable, types::DERIVED_CODES,
};
use fields::{Checker, pos};

pub(crate) use fields::is_slug;

/// Paths the generator owns; a page may not take them.
pub(crate) const RESERVED_PATHS: &[&str] = &[
    "meetings",
    "days",
    "regions",
    "locations",
    "types",
    "find",
    "index",
    "404",
    "sitemap",
    "robots",
    "assets",
    "static",
    "calendar",
    "search",
];

/// Checks everything and builds the site, or returns every problem found.
pub(crate) fn validate(input: RawInput, diags: Diagnostics) -> Result<Site, Diagnostics> {
    let site = validate_ref(&input, diags);
    // Freeing a large site's records one by one takes a while and nothing waits for it. (If
    // no thread can be started, the records are freed here when the closure is dropped.)
    let _ = std::thread::Builder::new().spawn(move || drop(input));
    site
}

/// `validate` for raw input that is kept afterwards (`lantern serve` keeps it between edits
/// and re-parses only the files that change).
pub(crate) fn validate_ref(input: &RawInput, mut diags: Diagnostics) -> Result<Site, Diagnostics> {
    let mut found = Vec::new();

    let config = input.site.as_ref().and_then(|s| site_config(s, &mut found));
    let language = config
        .as_ref()
        .map_or("en", |c| c.language.as_str())
        .to_string();
    let languages: Vec<String> = config
        .as_ref()
        .map_or_else(|| vec![language.clone()], |c| c.languages.clone());
    let mut types = TypeTable::builtin(&language);
    if let Some(site) = &input.site {
        custom_types(site, &mut types, &mut found);
    }
    let default_tz = config.as_ref().map_or(Tz::UTC, |c| c.timezone);

    let mut locations: BTreeMap<String, (Location, Pos)> = BTreeMap::new();
    let mut broken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for l in &input.locations {
        let stem = std::path::Path::new(&l.path)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut c = Checker {
            path: &l.path,
            diags: &mut found,
            languages: &languages,
        };
        if !c.slug(&stem, Pos::new(1, 1), "the location file name") {
            continue;
        }
        let Some(loc) = location(&mut c, &stem, &l.record) else {
            // Its own problems are reported; meetings using it should not add "no location".
            broken.insert(stem);
            continue;
        };
        if let Some((other, _)) = locations.get(&stem) {
            let other = other.source.clone();
            c.error(
                Pos::new(1, 1),
                format!("two locations have the slug `{stem}`"),
                format!("the other one is {other}; rename one of the files"),
            );
            continue;
        }
        locations.insert(stem, (loc, Pos::new(1, 1)));
    }

    let built = meetings::build(
        &input.meetings,
        &types,
        &mut locations,
        &broken,
        default_tz,
        &languages,
        &mut found,
    );
    let pages = pages(&input.pages, &languages, &mut found);

    diags.extend(Diagnostics(found));
    let (mut warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diags.0.into_iter().partition(|d| d.warning);
    let config = match config {
        Some(c) if errors.is_empty() => c,
        // Warnings too: every problem at once, so nothing surprises the editor later.
        _ => return Err(Diagnostics(errors.into_iter().chain(warnings).collect()).sorted()),
    };

    // Keep only the locations that published meetings use, and point meetings at them.
    let mut meetings = built.published;
    let used: std::collections::BTreeSet<&str> =
        meetings.iter().filter_map(|m| m.1.as_deref()).collect();
    let published_locations: Vec<Location> = locations
        .into_iter()
        .filter(|(slug, _)| used.contains(slug.as_str()))
        .map(|(_, (l, _))| l)
        .collect();
    let index: BTreeMap<&str, usize> = published_locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.slug.as_str(), i))
        .collect();
    let mut final_meetings = Vec::with_capacity(meetings.len());
    for (mut m, loc) in meetings.drain(..) {
        m.location = loc.as_deref().and_then(|s| index.get(s).copied());
        m.place = m
            .location
            .filter(|i| published_locations.get(*i).is_some_and(Location::is_place));
        final_meetings.push(m);
    }
    final_meetings.sort_by(|a, b| a.slug.cmp(&b.slug));
    let unplaced = final_meetings
        .iter()
        .filter(|m| m.location.is_none() && m.online.is_some())
        .count();
    if unplaced > 0
        && config.service_area.is_none()
        && let Some(site) = &input.site
    {
        let what = if unplaced == 1 {
            "1 online meeting has".to_string()
        } else {
            format!("{unplaced} online meetings have")
        };
        warnings.push(
            Diagnostic::warning(
                &site.path,
                Pos::new(1, 1),
                format!("{what} no location and the site has no `service_area`"),
            )
            .with_hint("TSML UI and the 12 Step Meeting List plugin leave out meetings without any place; add the area the site serves, e.g. `service_area: Chicago, IL, USA`, and the Meeting Guide feed gives it to them as an approximate location"),
        );
    }

    // Only types that some published meeting uses get a page; all stay known to the feeds.
    let regions = RegionTree::build(&final_meetings);
    let mut static_files = input.static_files.clone();
    static_files.sort();
    Ok(Site {
        config,
        types,
        meetings: final_meetings,
        locations: published_locations,
        regions,
        pages,
        static_files,
        inactive: built.inactive,
        warnings: Diagnostics(warnings).sorted(),
    })
}

fn site_config(s: &Sourced<RawSite>, diags: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let r = &s.record;
    let mut c = Checker {
        path: &s.path,
        diags,
        languages: &[],
    };
    let before = c.diags.len();
    let title = c.text("title", &r.title);
    let base_url = c
        .base_url(&r.base_url)
        .map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let timezone = c.timezone(&r.timezone);
    let mut code = |l: &crate::load::records::S<String>| {
        let v = l.value.trim().to_string();
        // A BCP 47 tag (`es`, `es-MX`, `pt-BR`), the form browsers, `html lang` and the
        // plural rules read. ICU's parser also takes `_` between subtags; browsers do not.
        if v.parse::<icu_locale_core::Locale>().is_err() || v.contains('_') {
            c.error(
                pos(l),
                format!("`{v}` is not a language code"),
                "use a code such as en, es, fr, pt, or with a country es-MX, fr-CA, pt-BR",
            );
        }
        v
    };
    let mut languages: Vec<String> = match (&r.language, &r.languages) {
        (Some(l), None) => vec![code(l)],
        (None, Some(list)) => list.value.iter().map(&mut code).collect(),
        (None, None) => vec!["en".to_string()],
        (Some(_), Some(given)) => {
            let list: Vec<String> = given.value.iter().map(&mut code).collect();
            c.error(
                pos(given),
                "`language` and `languages` are both set",
                "keep one: `languages: [en, es]` publishes the site in each, the first at /",
            );
            list
        }
    };
    if let Some(list) = &r.languages {
        if languages.is_empty() {
            c.error(
                pos(list),
                "`languages` is empty",
                "name the site's languages, the default first: `languages: [en, es]`",
            );
            languages.push("en".to_string());
        }
        let mut seen = std::collections::BTreeSet::new();
        for (l, v) in list.value.iter().zip(&languages) {
            // `es` and `ES` would share one folder.
            if !seen.insert(v.to_ascii_lowercase()) {
                c.error(
                    pos(l),
                    format!("`{v}` is listed twice in `languages`"),
                    "list each language once",
                );
            }
        }
    }
    let language = languages[0].clone();
    let theme = match &r.theme {
        Some(t) => {
            let v = t.value.trim().to_string();
            c.slug(&v, pos(t), "the theme name");
            v
        }
        None => "default".into(),
    };
    let edit_url = r.edit_url.as_ref().and_then(|e| {
        let u = c.http_url("edit_url", e)?;
        if !u.contains("{path}") {
            c.error(pos(e), "`edit_url` has no `{path}` in it", "Lantern replaces {path} with the record's file, e.g. https://github.com/org/repo/edit/main/{path}");
            return None;
        }
        Some(u)
    });
    let feedback_email = r
        .feedback_email
        .as_ref()
        .and_then(|e| c.email("feedback_email", e));
    let feed_refresh_hours = match &r.feed_refresh_hours {
        Some(h) if h.value == 0 || h.value > 24 * 7 => {
            c.error(
                pos(h),
                "`feed_refresh_hours` must be between 1 and 168",
                "12 suits most lists",
            );
            12
        }
        Some(h) => h.value,
        None => 12,
    };
    if let Some(e) = &r.entity
        && e.name.as_deref().is_none_or(|n| n.trim().is_empty())
        && (e.email.is_some() || e.phone.is_some() || e.location.is_some() || e.url.is_some())
    {
        c.error(
            Pos::new(1, 1),
            "`entity` has details but no `name`",
            "the Meeting Guide feed needs the publishing group's name with its other details: add `name:` under `entity:`",
        );
    }
    let entity = r
        .entity
        .as_ref()
        .map(|e| Entity {
            name: e.name.clone(),
            email: e.email.clone(),
            phone: e.phone.clone(),
            location: e.location.clone(),
            url: e.url.clone(),
        })
        .unwrap_or_default();
    let description = c.opt_text(&r.description);
    let service_area = c.opt_text(&r.service_area);
    let print = r
        .print
        .as_ref()
        .map_or_else(Print::default, |p| print(&mut c, p));
    if c.failed_since(before) {
        return None;
    }
    Some(SiteConfig {
        title: title?,
        base_url: base_url?,
        language,
        languages,
        prefix: String::new(),
        timezone: timezone?,
        theme,
        description,
        edit_url,
        feedback_email,
        feed_refresh_hours,
        service_area,
        entity,
        print,
    })
}

/// The `print:` block; anything unset keeps its default.
fn print(c: &mut Checker, block: &crate::load::records::S<RawPrint>) -> Print {
    let p = &block.value;
    let mut out = Print::default();
    if let Some(site) = &p.site {
        out.site = site.value;
    }
    if let Some(r) = &p.regions {
        match r.value.trim().to_ascii_lowercase().as_str() {
            "top" => out.regions = PrintRegions::Top,
            "all" => out.regions = PrintRegions::All,
            "none" => out.regions = PrintRegions::None,
            other => c.error(
                pos(r),
                format!("`regions` under `print` is `{other}`, which is not one of top, all, none"),
                "`top` prints a schedule for each top-level region (the default), `all` for every region, `none` for none",
            ),
        }
    }
    if let Some(paper) = &p.paper {
        match paper.value.trim().to_ascii_lowercase().as_str() {
            "letter" => out.paper = Some(Paper::Letter),
            "a4" => out.paper = Some(Paper::A4),
            other => c.error(
                pos(paper),
                format!("`paper` under `print` is `{other}`, which is not a paper Lantern prints on"),
                "use `letter` (8.5 x 11 in) or `a4`; without `paper`, the locations' country chooses",
            ),
        }
    }
    out
}

fn custom_types(s: &Sourced<RawSite>, types: &mut TypeTable, diags: &mut Vec<Diagnostic>) {
    let mut c = Checker {
        path: &s.path,
        diags,
        languages: &[],
    };
    for t in &s.record.types {
        let code = t.value.code.value.trim();
        let ok = !code.is_empty()
            && code.len() <= 10
            && code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
        if !ok {
            c.error(
                pos(&t.value.code),
                format!(
                    "type code `{code}` may only contain letters, digits and hyphens (at most 10)"
                ),
                "use a short code such as PARK",
            );
            continue;
        }
        if DERIVED_CODES.contains(&code) || types.get(code).is_some_and(|t| !t.custom) {
            c.error(
                pos(&t.value.code),
                format!("type code `{code}` is already a Meeting Guide type"),
                "choose another code for your own type",
            );
            continue;
        }
        if types.contains(code) {
            c.error(
                pos(&t.value.code),
                format!("type code `{code}` is defined twice"),
                "remove one of the two definitions",
            );
            continue;
        }
        let Some(name) = c.text("name", &t.value.name) else {
            continue;
        };
        types.insert(MeetingType {
            code: code.to_string(),
            slug: crate::model::url_slug(&name),
            name,
            description: t.value.description.clone().map(|d| d.trim().to_string()),
            custom: true,
        });
    }
}

/// Checks a location record (from its own file or inline in a meeting).
pub(crate) fn location(c: &mut Checker, slug: &str, r: &RawLocation) -> Option<Location> {
    let before = c.diags.len();
    let mut translations = Translations::default();
    let name = c.names(&r.name, &mut translations);
    let latitude = r.latitude.as_ref().and_then(|v| {
        if (-90.0..=90.0).contains(&v.value) {
            Some(v.value)
        } else {
            c.error(
                pos(v),
                format!("latitude {} is out of range", v.value),
                "latitude is between -90 and 90; check that latitude and longitude are not swapped",
            );
            None
        }
    });
    let longitude = r.longitude.as_ref().and_then(|v| {
        if (-180.0..=180.0).contains(&v.value) {
            Some(v.value)
        } else {
            c.error(
                pos(v),
                format!("longitude {} is out of range", v.value),
                "longitude is between -180 and 180",
            );
            None
        }
    });
    match (&r.latitude, &r.longitude) {
        (Some(v), None) => c.error(
            pos(v),
            "`latitude` is set without `longitude`",
            "give both or neither",
        ),
        (None, Some(v)) => c.error(
            pos(v),
            "`longitude` is set without `latitude`",
            "give both or neither",
        ),
        _ => {}
    }
    let timezone = r.timezone.as_ref().and_then(|t| c.timezone(t));
    let region = r
        .region
        .as_ref()
        .map(|rg| region_names(c, rg))
        .unwrap_or_default();
    if c.failed_since(before) {
        return None;
    }
    Some(Location {
        slug: slug.to_string(),
        name: name?,
        address: c.opt_text(&r.address),
        city: c.opt_text(&r.city),
        state: c.opt_text(&r.state),
        postal_code: c.opt_text(&r.postal_code),
        country: c.opt_text(&r.country),
        region,
        latitude,
        longitude,
        timezone,
        notes: c.notes("notes", &r.notes, Field::Notes, &mut translations),
        translations,
        approximate: r.approximate.as_ref().is_some_and(|a| a.value),
        source: c.path.to_string(),
    })
}

pub(crate) fn region_names(
    c: &mut Checker,
    rg: &serde_saphyr::Spanned<OneOrMany<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (n, at) in OneOrMany::items(rg) {
        let name = n.trim();
        if !fields::is_region_name(name) {
            c.error(
                Pos::from_saphyr(at),
                format!("region name `{name}` has no letters or digits"),
                "give the region a readable name",
            );
        } else {
            out.push(name.to_string());
        }
    }
    if rg.value.0.is_empty() {
        c.error(
            pos(rg),
            "`region` is an empty list",
            "list regions general to specific, e.g. [Sangamon County, Springfield]",
        );
    }
    if out.len() > MAX_REGION_LEVELS {
        c.error(
            pos(rg),
            format!(
                "`region` has {} levels; Lantern shows at most {MAX_REGION_LEVELS}",
                out.len()
            ),
            "list only the regions a visitor would look under, general to specific, e.g. [Sangamon County, Springfield, Downtown]",
        );
        out.truncate(MAX_REGION_LEVELS);
    }
    out
}

/// The deepest region path: country, state, county, city, district and neighbourhood leave
/// room to spare, and every level is a page, a breadcrumb step and a nested list.
pub(crate) const MAX_REGION_LEVELS: usize = 8;

fn pages(raw: &[RawPage], languages: &[String], diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut out: Vec<Page> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    // Pages in another language of the site, by the path of the page they translate.
    let mut translated: Vec<(String, PageTranslation)> = Vec::new();
    for p in raw {
        let mut c = Checker {
            path: &p.path,
            diags,
            languages,
        };
        if p.front.draft == Some(true) {
            continue;
        }
        let Some(title) = c.text("title", &p.front.title) else {
            continue;
        };
        // `newcomers.es.md` is the Spanish `newcomers.md`.
        if let Some((stem, code)) = p.stem.rsplit_once('.')
            && !code.contains('/')
        {
            let language = languages
                .iter()
                .skip(1)
                .find(|l| l.eq_ignore_ascii_case(code));
            match language {
                Some(language) => translated.push((
                    stem.to_string(),
                    PageTranslation {
                        language: language.clone(),
                        title,
                        body: p.body.clone(),
                        description: p.front.description.clone(),
                        source: p.path.clone(),
                    },
                )),
                None if languages.first().is_some_and(|d| d.eq_ignore_ascii_case(code)) => c.error(
                    Pos::new(1, 1),
                    format!("`{code}` is the site's default language, whose pages have no language in their name"),
                    format!("rename the file to `{}.md`", stem.rsplit('/').next().unwrap_or(stem)),
                ),
                None => c.error(
                    Pos::new(1, 1),
                    format!("the page is in `{code}`, which is not a language of the site"),
                    format!(
                        "the site is in {}; add `{code}` to `languages:` in content/site.yaml, or rename the file",
                        languages.join(", ")
                    ),
                ),
            }
            continue;
        }
        let segments: Vec<&str> = p.stem.split('/').collect();
        let mut ok = true;
        for s in &segments {
            if !is_slug(s) {
                c.error(Pos::new(1, 1), format!("the page file name `{s}` may only contain lowercase letters a-z, digits and hyphens"), format!("rename it to `{}.md`", fields::suggest_slug(s)));
                ok = false;
            }
        }
        if let Some(first) = segments.first().filter(|f| RESERVED_PATHS.contains(f)) {
            c.error(
                Pos::new(1, 1),
                format!("the page path `/{first}/` is used by Lantern's own pages"),
                "rename the page file",
            );
            ok = false;
        }
        if !ok {
            continue;
        }
        if let Some(other) = seen.insert(p.stem.clone(), p.path.clone()) {
            c.error(
                Pos::new(1, 1),
                format!("two pages have the path `/{}/`", p.stem),
                format!("the other one is {other}"),
            );
            continue;
        }
        out.push(Page {
            title,
            path: p.stem.clone(),
            weight: p.front.weight.unwrap_or(0),
            body: p.body.clone(),
            description: p.front.description.clone(),
            source: p.path.clone(),
            translations: Vec::new(),
        });
    }
    for (stem, t) in translated {
        match out.iter_mut().find(|p| p.path == stem) {
            Some(page) if page.translations.iter().any(|o| o.language == t.language) => {
                diags.push(Diagnostic::new(
                    &t.source,
                    Pos::new(1, 1),
                    format!("the page `/{stem}/` has two files in `{}`", t.language),
                ));
            }
            Some(page) => page.translations.push(t),
            None => diags.push(
                Diagnostic::new(
                    &t.source,
                    Pos::new(1, 1),
                    format!("this page translates `{stem}.md`, which the site does not have"),
                )
                .with_hint(format!(
                    "add `{stem}.md` in the default language `{}`; every page is there first",
                    languages.first().map_or("en", String::as_str)
                )),
            ),
        }
    }
    out.sort_by(|a, b| (a.weight, &a.title, &a.path).cmp(&(b.weight, &b.title, &b.path)));
    out
}

/// Whether a status string is one Lantern knows.
pub(crate) fn parse_status(s: &str) -> Option<Status> {
    match s.trim() {
        "active" => Some(Status::Active),
        "temporarily-closed" => Some(Status::TemporarilyClosed),
        "inactive" => Some(Status::Inactive),
        _ => None,
    }
}
