//! The validated site: what every renderer reads.
//!
//! A `Site` is only ever built by `validate`, so renderers can rely on its invariants: slugs
//! are unique and URL-safe, every meeting has a location or online details, times parse, and
//! every list is in a deterministic order.

pub mod region;
pub mod schedule;
pub mod types;

use std::path::PathBuf;

/// Longest URL segment Lantern makes from a name (a region, a type, an inline location). A
/// folder name may be at most 255 bytes, and a name can be longer; a long address is also
/// hard to read out or type.
pub(crate) const MAX_SEGMENT: usize = 80;

/// The URL segment for a name: its slug, cut at a hyphen to at most `MAX_SEGMENT` characters
/// (a slug is ASCII, so characters are bytes). Empty when the name has no letters or digits.
pub(crate) fn url_slug(name: &str) -> String {
    let s = slug::slugify(name);
    if s.len() <= MAX_SEGMENT {
        return s;
    }
    let cut = s
        .get(..=MAX_SEGMENT)
        .and_then(|head| head.rfind('-'))
        .filter(|&i| i > MAX_SEGMENT / 2)
        .unwrap_or(MAX_SEGMENT);
    s.get(..cut).unwrap_or_default().to_string()
}

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

pub use region::{Region, RegionTree};
pub use schedule::Recurrence;
pub use types::{MeetingType, TypeTable};

/// Settings from `content/site.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The language of this edition of the site: the default language, or another of
    /// `languages` in [`Site::edition`].
    pub language: String,
    /// Every language the site is published in, the default (at `/`) first.
    pub languages: Vec<String>,
    /// Where this edition's pages live under `base_url`: empty for the default language,
    /// `es/` for Spanish on a bilingual site. Every link and absolute URL of the edition's
    /// pages and feeds starts with it; assets and the whole-site files do not.
    pub prefix: String,
    pub timezone: Tz,
    pub theme: String,
    pub description: Option<String>,
    /// Template with `{path}`, e.g. `https://github.com/org/repo/edit/main/{path}`.
    pub edit_url: Option<String>,
    pub feedback_email: Option<String>,
    /// How often calendar clients should refresh a feed, in hours.
    pub feed_refresh_hours: u32,
    /// The area the site serves ("Marren City, IL, USA"): the approximate location the
    /// Meeting Guide feed gives an online meeting that has none of its own, since TSML UI and
    /// the 12 Step Meeting List plugin drop a meeting without any geographic field.
    pub service_area: Option<String>,
    /// The organisation publishing the list, for the Meeting Guide feed's `entity*` fields.
    pub entity: Entity,
    /// Which printed schedules a build writes (`print:` in site.yaml).
    pub print: Print,
}

/// The `print:` settings: which PDF schedules a build writes, on which paper.
#[derive(Clone, Debug, PartialEq)]
pub struct Print {
    /// `/schedule.pdf`, every meeting of the site.
    pub site: bool,
    pub regions: PrintRegions,
    /// `None`: chosen from the locations' country ([`Site::paper`]).
    pub paper: Option<Paper>,
}

/// Which regions get a printed schedule of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintRegions {
    /// The top-level regions (the default).
    Top,
    /// Every region, nested ones too.
    All,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    Letter,
    A4,
}

/// Countries that use Letter paper; every other country uses A4.
const LETTER_COUNTRIES: [&str; 10] = ["US", "USA", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR"];

impl Paper {
    /// The paper of a site that does not say: Letter where the first location with a country
    /// is in a country that uses it, or where no location names one (most lists using Lantern
    /// are in the US); A4 elsewhere.
    pub(crate) fn for_country(country: Option<&str>) -> Paper {
        match country {
            Some(c)
                if !LETTER_COUNTRIES
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(c.trim())) =>
            {
                Paper::A4
            }
            _ => Paper::Letter,
        }
    }
}

impl Default for Print {
    fn default() -> Self {
        Print {
            site: true,
            regions: PrintRegions::Top,
            paper: None,
        }
    }
}

impl Print {
    /// Whether a region has its own printed schedule.
    pub(crate) fn region(&self, region: &Region) -> bool {
        match self.regions {
            PrintRegions::All => true,
            PrintRegions::Top => region.names.len() == 1,
            PrintRegions::None => false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entity {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
}

impl SiteConfig {
    /// The path part of `base_url` (`/` or `/meetings/`): where the assets and the
    /// whole-site files (meetings.json, the sitemap) are, whatever the language.
    pub(crate) fn root_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// The prefix of links to this edition's pages (`/`, `/meetings/`, `/es/`).
    pub(crate) fn base_path(&self) -> String {
        format!("{}{}", self.root_path(), self.prefix)
    }

    /// The host of `base_url`, used in calendar UIDs.
    pub(crate) fn host(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        after_scheme.split('/').next().unwrap_or(after_scheme)
    }

    /// An absolute URL for a path of this edition such as `meetings/x/`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base_url,
            self.prefix,
            path.trim_start_matches('/')
        )
    }

    /// An absolute URL for a path of the whole site (`sitemap.xml`), in no language's folder.
    pub(crate) fn root_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The folder of `language`'s pages: none for the default language, `es/` for another.
    pub(crate) fn prefix_of(&self, language: &str) -> String {
        if self.languages.first().is_none_or(|d| d == language) {
            String::new()
        } else {
            format!("{}/", language.to_ascii_lowercase())
        }
    }
}

/// A record's texts in the site's other languages, where its editor gave them: which field,
/// in which language, says what. The record's own fields hold the default language's words,
/// which every other language shows where it has none of its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Translations(Vec<(Field, String, String)>);

/// A text field that can be given per language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Notes,
    OnlineNotes,
}

impl Translations {
    pub(crate) fn add(&mut self, field: Field, language: &str, text: String) {
        self.0.push((field, language.to_string(), text));
    }

    /// The field's words in `language`, if the editor gave them.
    pub(crate) fn get(&self, field: Field, language: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, l, _)| *f == field && l == language)
            .map(|(_, _, t)| t.as_str())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether a meeting is listed, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Active,
    TemporarilyClosed,
    /// Kept in the records, never published.
    Inactive,
}

/// How people attend: derived from whether a meeting has a location, online details, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attendance {
    InPerson,
    Online,
    Hybrid,
}

impl Attendance {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Attendance::InPerson => "in_person",
            Attendance::Online => "online",
            Attendance::Hybrid => "hybrid",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Online {
    pub url: Option<String>,
    pub notes: Option<String>,
    pub phone: Option<String>,
    pub phone_notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub slug: String,
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub region: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub timezone: Option<Tz>,
    pub notes: Option<String>,
    /// Its name and notes in the site's other languages.
    pub translations: Translations,
    /// Only a rough area (city, neighbourhood) for an online meeting, never a place to go
    /// (see [`Location::is_place`]).
    pub approximate: bool,
    /// The file it was defined in, relative to the site folder.
    pub source: String,
}

impl Location {
    /// "Springfield, IL 62701": city, then state and postal code, as far as they are set.
    pub(crate) fn locality(&self) -> String {
        let state_zip = [self.state.as_deref(), self.postal_code.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        [self.city.as_deref(), Some(state_zip.as_str())]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "123 Main St, Springfield, IL 62701, US": the parts that are set, in postal order.
    pub fn formatted_address(&self) -> String {
        [
            self.address.clone(),
            Some(self.locality()),
            self.country.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }

    pub(crate) fn coordinates(&self) -> Option<(f64, f64)> {
        Some((self.latitude?, self.longitude?))
    }

    /// Whether people go to this location. The one rule every output follows (pages, lists,
    /// sitemap, JSON-LD, calendar LOCATION and GEO, location feeds, the finder's distances): an
    /// approximate area only says where an online meeting comes from, so nobody is sent there.
    pub(crate) fn is_place(&self) -> bool {
        !self.approximate
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub slug: String,
    pub name: String,
    /// Sorted Sunday first, without repeats.
    pub days: Vec<Weekday>,
    pub time: NaiveTime,
    pub end_time: NaiveTime,
    /// Type codes in the order the record gives them, without repeats.
    pub types: Vec<String>,
    /// Index into `Site::locations`: the record's location, a place or an approximate area.
    pub location: Option<usize>,
    /// Index into `Site::locations` of the place people go to: `location` when it is a place
    /// ([`Location::is_place`]), else none (always none for an online-only meeting). Set with
    /// `location` by validation; read it through [`Site::place_of`].
    pub place: Option<usize>,
    pub online: Option<Online>,
    /// Effective region path, general to specific (the meeting's own or its location's).
    pub region: Vec<String>,
    pub group: Option<String>,
    /// Markdown source.
    pub notes: Option<String>,
    /// Its name, notes and online notes in the site's other languages.
    pub translations: Translations,
    pub timezone: Tz,
    pub status: Status,
    pub closed_until: Option<NaiveDate>,
    pub recurrence: Recurrence,
    pub skip: Vec<NaiveDate>,
    pub contact_email: Option<String>,
    pub updated: Option<NaiveDate>,
    /// The UTC time of day of `updated`, when the record gives one (`2026-11-01 14:32:23`).
    pub updated_time: Option<NaiveTime>,
    /// The file it was defined in, relative to the site folder (`content/meetings/x.yaml`).
    pub source: String,
}

impl Meeting {
    pub(crate) fn attendance(&self) -> Attendance {
        match (self.place.is_some(), self.online.is_some()) {
            (true, true) => Attendance::Hybrid,
            (false, true) => Attendance::Online,
            _ => Attendance::InPerson,
        }
    }

    /// Whether the meeting ends on the day after it starts.
    pub(crate) fn ends_next_day(&self) -> bool {
        self.end_time <= self.time
    }
}

/// A Markdown page from `content/pages/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub title: String,
    /// URL path without slashes around it: `newcomers` or `help/first-meeting`.
    pub path: String,
    pub weight: i64,
    /// Markdown source of the body.
    pub body: String,
    pub description: Option<String>,
    pub source: String,
    /// The page in the site's other languages (`newcomers.es.md` beside `newcomers.md`).
    pub translations: Vec<PageTranslation>,
}

/// A page's own file for one of the site's other languages.
#[derive(Clone, Debug, PartialEq)]
pub struct PageTranslation {
    pub language: String,
    pub title: String,
    pub body: String,
    pub description: Option<String>,
    pub source: String,
}

/// A file copied to the output as it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output path relative to the output folder, `/`-separated.
    pub path: String,
}

/// The whole validated site.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub types: TypeTable,
    /// Published meetings (active and temporarily closed), sorted by slug.
    pub meetings: Vec<Meeting>,
    /// Locations that published meetings use or that have a file, sorted by slug.
    pub locations: Vec<Location>,
    pub regions: RegionTree,
    /// Published pages sorted by weight, then title.
    pub pages: Vec<Page>,
    pub static_files: Vec<StaticFile>,
    /// Where the records kept off the site because they are inactive are
    /// (`path:line:column`).
    pub inactive: Vec<String>,
    /// What `check` and `build` show but that does not stop a build, sorted.
    pub warnings: crate::diagnostics::Diagnostics,
}

impl Site {
    /// The site in each of its languages, the default first: the default is the site itself;
    /// another language is a copy whose pages live under the language's folder (`es/`),
    /// whose type names are in that language, and whose records' texts are the ones given
    /// for it, else the default language's.
    pub(crate) fn editions(&self) -> Vec<std::borrow::Cow<'_, Site>> {
        let mut out = vec![std::borrow::Cow::Borrowed(self)];
        for language in self.config.languages.iter().skip(1) {
            out.push(std::borrow::Cow::Owned(self.edition(language)));
        }
        out
    }

    /// The site as published in `language` (see [`Site::editions`]).
    pub(crate) fn edition(&self, language: &str) -> Site {
        let mut site = self.clone();
        site.config.prefix = self.config.prefix_of(language);
        site.config.language = language.to_string();
        site.types = self.types.in_language(language);
        let text = |t: &Translations, field: Field, own: &mut String| {
            if let Some(words) = t.get(field, language) {
                *own = words.to_string();
            }
        };
        for m in site
            .meetings
            .iter_mut()
            .filter(|m| !m.translations.is_empty())
        {
            text(&m.translations, Field::Name, &mut m.name);
            // Notes may be given in a language only.
            if let Some(notes) = m.translations.get(Field::Notes, language) {
                m.notes = Some(notes.to_string());
            }
            if let Some(online) = &mut m.online
                && let Some(notes) = m.translations.get(Field::OnlineNotes, language)
            {
                online.notes = Some(notes.to_string());
            }
        }
        for l in site
            .locations
            .iter_mut()
            .filter(|l| !l.translations.is_empty())
        {
            text(&l.translations, Field::Name, &mut l.name);
            if let Some(notes) = l.translations.get(Field::Notes, language) {
                l.notes = Some(notes.to_string());
            }
        }
        for p in &mut site.pages {
            if let Some(t) = p.translations.iter().find(|t| t.language == language) {
                p.title = t.title.clone();
                p.body = t.body.clone();
                p.description = t.description.clone();
            }
        }
        site
    }

    /// The meeting's location record, a place or an approximate area: for the Meeting Guide
    /// feed, which says which. Everything that sends people somewhere uses [`Site::place_of`].
    pub(crate) fn location_of(&self, m: &Meeting) -> Option<&Location> {
        m.location.and_then(|i| self.locations.get(i))
    }

    /// The approximate area a feed gives an online meeting that has no location record of its
    /// own: the site's `service_area`. TSML UI and the 12 Step Meeting List plugin drop a
    /// meeting without any geographic field.
    pub(crate) fn service_area_of(&self, m: &Meeting) -> Option<&str> {
        (m.location.is_none() && m.online.is_some())
            .then_some(self.config.service_area.as_deref())
            .flatten()
    }

    /// For each location (by index), the meetings whose place it is, in site order; an
    /// approximate area lists none, as it is no place to go.
    pub(crate) fn meetings_by_place(&self) -> Vec<Vec<usize>> {
        let mut by_place = vec![Vec::new(); self.locations.len()];
        for (i, m) in self.meetings.iter().enumerate() {
            if let Some(list) = m.place.and_then(|l| by_place.get_mut(l)) {
                list.push(i);
            }
        }
        by_place
    }

    /// For each type code some meeting has, its meetings in site order.
    pub(crate) fn meetings_by_type(&self) -> std::collections::BTreeMap<&str, Vec<usize>> {
        let mut by_type = std::collections::BTreeMap::<&str, Vec<usize>>::new();
        for (i, m) in self.meetings.iter().enumerate() {
            // A meeting's codes have no repeats (validation), so each meeting is listed once.
            for code in &m.types {
                by_type.entry(code.as_str()).or_default().push(i);
            }
        }
        by_type
    }

    /// The type codes some published meeting has, in code order: the types with a page and a
    /// feed of their own.
    pub(crate) fn used_types(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .meetings
            .iter()
            .flat_map(|m| m.types.iter().map(String::as_str))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// Where people go for this meeting: its location when that is a place
    /// ([`Location::is_place`]); none for an online-only meeting.
    pub fn place_of(&self, m: &Meeting) -> Option<&Location> {
        m.place.and_then(|i| self.locations.get(i))
    }

    /// The paper of the printed schedules: `print.paper` in site.yaml, else the usual paper
    /// of the first location's country.
    pub(crate) fn paper(&self) -> Paper {
        self.config.print.paper.unwrap_or_else(|| {
            Paper::for_country(self.locations.iter().find_map(|l| l.country.as_deref()))
        })
    }

    /// The regions with a printed schedule of their own, in the tree's order.
    pub(crate) fn printed_regions(&self) -> Vec<&Region> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = self
            .regions
            .roots
            .iter()
            .rev()
            .map(String::as_str)
            .collect();
        while let Some(path) = stack.pop() {
            let Some(region) = self.regions.get(path) else {
                continue;
            };
            if self.config.print.region(region) {
                out.push(region);
            }
            stack.extend(region.children.iter().rev().map(String::as_str));
        }
        out
    }

    /// The locations people go to (each has a page and a calendar feed), with their indexes
    /// into `locations`.
    pub(crate) fn places(&self) -> impl Iterator<Item = (usize, &Location)> {
        self.locations
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_place())
    }

    /// The country most of the site's places are in: addresses there need not name it.
    pub(crate) fn home_country(&self) -> Option<&str> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for l in &self.locations {
            if let Some(c) = l
                .country
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                *counts.entry(c).or_default() += 1;
            }
        }
        // Ties go to the first in order, so the choice is the same on every build.
        let best = counts.values().copied().max()?;
        counts.into_iter().find(|(_, n)| *n == best).map(|(c, _)| c)
    }

    pub(crate) fn type_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.types.get(code).map_or(code, |t| t.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_follows_the_country_and_letter_when_none_is_given() {
        assert_eq!(Paper::for_country(None), Paper::Letter);
        assert_eq!(Paper::for_country(Some("usa")), Paper::Letter);
        assert_eq!(Paper::for_country(Some(" CL ")), Paper::Letter);
        assert_eq!(Paper::for_country(Some("ES")), Paper::A4);
        assert_eq!(Paper::for_country(Some("FR")), Paper::A4);
    }

    #[test]
    fn url_slugs_are_cut_at_a_hyphen_to_fit_a_folder_name() {
        assert_eq!(url_slug("Lake Marren County"), "lake-marren-county");
        let long = url_slug(&"Very Long Region ".repeat(18));
        assert!(long.len() <= MAX_SEGMENT, "{}", long.len());
        assert!(
            long.starts_with("very-long-region-") && !long.ends_with('-'),
            "{long}"
        );
        let one_word = url_slug(&"a".repeat(300));
        assert_eq!(one_word.len(), MAX_SEGMENT);
        assert_eq!(url_slug("!!!"), "");
    }
}
