//! `lantern import`: moves an existing meeting list into a site as YAML records.
//!
//! Each source (a saved Meeting Guide feed, the 12 Step Meeting List plugin's CSV export, a
//! BMLT `GetSearchResults` answer) is read into source-neutral drafts ([`common`]). Then two
//! steps: [`plan`] decides every file from the drafts and what the site already has, without
//! touching the disk (meetings in `content/meetings/`, locations de-duplicated by address in
//! `content/locations/`, custom types and a new site's settings in `content/site.yaml`);
//! [`apply`] refuses to overwrite anything without `--force`, writes the files, and reads the
//! site back through Lantern's own loader and validator. If that fails, every written file is
//! restored or removed and the error is returned.

pub mod bmlt;
pub mod common;
pub mod meeting_guide;
pub mod tsml_csv;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime, TimeDelta, Timelike, Weekday};

use crate::diagnostics::{Error, display_path};
use crate::model::Entity;
use crate::model::schedule::day_key;
use crate::render::meeting_guide::plain_text;
use crate::validate::is_slug;

/// Where the list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    MeetingGuide,
    TsmlCsv,
    Bmlt,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::MeetingGuide => "Meeting Guide feed",
            Source::TsmlCsv => "12 Step Meeting List CSV",
            Source::Bmlt => "BMLT GetSearchResults JSON",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub from: Source,
    pub file: PathBuf,
    pub site: PathBuf,
    pub force: bool,
}

/// A field or value that could not be carried over, and the record it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub origin: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub meetings: usize,
    pub locations: usize,
    /// Locations of the site that imported meetings now use, found by address.
    pub locations_reused: usize,
    /// Files written, relative to the site folder.
    pub files: Vec<String>,
    pub notes: Vec<Note>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Place {
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub notes: Option<String>,
    pub approximate: bool,
}

impl Place {
    /// The address as Lantern will print it (see `model::Location::formatted_address`).
    pub fn formatted(&self) -> String {
        crate::model::Location {
            slug: String::new(),
            name: String::new(),
            address: self.address.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            region: Vec::new(),
            translations: Default::default(),
            latitude: None,
            longitude: None,
            timezone: None,
            notes: None,
            approximate: false,
            source: String::new(),
        }
        .formatted_address()
    }

    /// Splits "4953 W Addison St, Chicago, IL 60641, USA" into its parts when they print back
    /// exactly the same; otherwise keeps the whole text as the street address.
    pub fn set_formatted(&mut self, f: &str) {
        let parts: Vec<&str> = f.split(", ").collect();
        let mut p = Place::default();
        let (street, city, state_zip, country) = match parts.as_slice() {
            [street @ .., city, state_zip, country] if !street.is_empty() => (
                Some(street.join(", ")),
                Some(*city),
                *state_zip,
                Some(*country),
            ),
            [city, state_zip, country] => (None, Some(*city), *state_zip, Some(*country)),
            _ => (None, None, "", None),
        };
        p.address = street;
        p.city = city.map(str::to_string);
        p.country = country.map(str::to_string);
        match state_zip.rsplit_once(' ') {
            Some((st, zip)) if zip.chars().any(|c| c.is_ascii_digit()) => {
                p.state = Some(st.to_string());
                p.postal_code = Some(zip.to_string());
            }
            _ if state_zip.chars().any(|c| c.is_ascii_digit()) => {
                p.postal_code = Some(state_zip.to_string())
            }
            _ => p.state = Some(state_zip.to_string()),
        }
        let clean = |o: &mut Option<String>| {
            if o.as_deref()
                .is_some_and(|s| s.trim().is_empty() || s.trim() != s)
            {
                *o = None
            }
        };
        for o in [
            &mut p.address,
            &mut p.city,
            &mut p.state,
            &mut p.postal_code,
            &mut p.country,
        ] {
            clean(o);
        }
        if p.formatted() == f && p.city.is_some() {
            self.address = p.address;
            self.city = p.city;
            self.state = p.state;
            self.postal_code = p.postal_code;
            self.country = p.country;
        } else {
            self.address = Some(f.to_string());
            self.city = None;
            self.state = None;
            self.postal_code = None;
            self.country = None;
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnlineDraft {
    pub url: Option<String>,
    pub notes: Option<String>,
    pub phone: Option<String>,
    pub phone_notes: Option<String>,
}

/// One meeting read from the input, before files are planned.
#[derive(Clone, Debug)]
pub struct Draft {
    pub origin: String,
    pub name: String,
    pub slug: Option<String>,
    pub days: Vec<Weekday>,
    pub time: NaiveTime,
    pub end_time: Option<NaiveTime>,
    pub timezone: Option<String>,
    /// Meeting Guide codes and custom codes.
    pub types: Vec<String>,
    pub closed: bool,
    /// Plain text.
    pub notes: Option<String>,
    pub place: Option<Place>,
    pub online: Option<OnlineDraft>,
    pub region: Vec<String>,
    pub group: Option<String>,
    pub contact_email: Option<String>,
    pub updated: Option<(NaiveDate, Option<NaiveTime>)>,
    /// The record's file in the site that published the feed (from a Lantern `edit_url`), so
    /// a Lantern site moves with its folder layout intact.
    pub source_path: Option<String>,
}

impl Draft {
    /// Where the record goes: its old file when that is known, else a file named after `slug`.
    fn path(&self, slug: &str) -> String {
        match &self.source_path {
            Some(p) => p.clone(),
            None => format!("content/meetings/{slug}.yaml"),
        }
    }

    /// Everything but the days and where it came from: meetings equal on this are one meeting
    /// on several days.
    fn same_meeting_key(&self) -> String {
        format!(
            "{:?} {:?}",
            (
                &self.name,
                &self.slug,
                self.time,
                self.end_time,
                &self.timezone,
                &self.types,
                self.closed,
            ),
            (
                &self.notes,
                &self.place,
                &self.online,
                &self.region,
                &self.group,
                &self.contact_email,
                self.updated,
            )
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CustomType {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
}

/// What the input says about the publishing site, for a new site.yaml.
#[derive(Debug, Default)]
pub struct SiteHints {
    pub entity: Entity,
    pub feedback_email: Option<String>,
    /// Each meeting's `url` with its slug.
    pub urls: Vec<(String, String)>,
    pub timezones: BTreeMap<String, usize>,
    /// The `edit_url` template (`https://.../{path}`) when every meeting's `edit_url` names a
    /// Lantern record file under it.
    pub edit_url: Option<String>,
    pub edit_url_mixed: bool,
}

/// Everything a source reader produces.
#[derive(Debug, Default)]
pub struct Parsed {
    pub meetings: Vec<Draft>,
    pub custom_types: Vec<CustomType>,
    /// Input type value -> custom code given to it.
    pub custom_by_raw: BTreeMap<String, String>,
    /// Names (and descriptions) the source gives its own type keys (BMLT formats).
    pub type_names: BTreeMap<String, (String, Option<String>)>,
    /// Input type values that are the source's own and must never be read as Meeting Guide
    /// codes, even when they look like one.
    pub custom_only: BTreeSet<String>,
    /// Site-wide fields already reported once.
    pub reported_once: BTreeSet<String>,
    pub hints: SiteHints,
    pub notes: Vec<Note>,
}

/// Reads the input file and imports it into the site.
pub fn run(opts: &ImportOptions) -> Result<Report, Error> {
    let bytes = std::fs::read(&opts.file).map_err(|e| Error::Io {
        context: format!("cannot read {}", display_path(&opts.file)),
        source: e,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Other(format!(
            "{} is not UTF-8 text; save it as UTF-8 and try again",
            display_path(&opts.file)
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let file = display_path(&opts.file);
    let parsed = match opts.from {
        Source::MeetingGuide => meeting_guide::parse(text),
        Source::TsmlCsv => tsml_csv::parse(text),
        Source::Bmlt => bmlt::parse(text),
    }
    .map_err(|e| Error::Other(format!("{file} is not a {}: {e}", opts.from.label())))?;
    import(parsed, &opts.site, opts.force)
}

/// What the target site already has.
#[derive(Default)]
struct Existing {
    timezone: Option<String>,
    /// The site's `service_area`, if it has one.
    service_area: Option<String>,
    /// Meeting slug -> its file.
    meeting_slugs: BTreeMap<String, String>,
    /// Location files by venue (`venue_key`: address, name and notes) -> slug.
    locations: BTreeMap<String, String>,
    location_slugs: BTreeSet<String>,
    /// The site's custom types: code -> name.
    custom_codes: BTreeMap<String, String>,
    site_yaml: Option<String>,
}

fn existing(site: &Path) -> Result<Existing, Error> {
    let mut ex = Existing::default();
    let site_yaml = site.join("content/site.yaml");
    if !site_yaml.exists() {
        if site.join("content/meetings").exists() || site.join("content/locations").exists() {
            return Err(Error::Other(format!(
                "{} has records but no content/site.yaml; add one (or import into an empty folder)",
                display_path(site)
            )));
        }
        return Ok(ex);
    }
    ex.site_yaml = Some(std::fs::read_to_string(&site_yaml).map_err(|e| Error::Io {
        context: format!("cannot read {}", display_path(&site_yaml)),
        source: e,
    })?);
    let s = crate::build::load_site(site, None).map_err(|e| match e {
        Error::Input(d) => Error::Other(format!(
            "the site in {} has problems; fix them first (see `lantern check`):\n{d}",
            display_path(site)
        )),
        other => other,
    })?;
    ex.timezone = Some(s.config.timezone.name().to_string());
    ex.service_area = s.config.service_area.clone();
    for m in &s.meetings {
        ex.meeting_slugs.insert(m.slug.clone(), m.source.clone());
    }
    for l in &s.locations {
        ex.location_slugs.insert(l.slug.clone());
    }
    // Every location file, used or not (the model keeps only the used ones). The site passed
    // its checks, so these records are valid.
    let (raw, _) = crate::load::load(site);
    for l in &raw.locations {
        let Some(slug) = Path::new(&l.path).file_stem() else {
            continue;
        };
        let r = &l.record;
        let t = |v: &Option<crate::load::records::S<String>>| {
            v.as_ref()
                .map(|x| x.value.trim().to_string())
                .filter(|x| !x.is_empty())
        };
        let p = Place {
            // A text given per language is compared in the first language written.
            name: Some(r.name.value.first().trim().to_string()),
            notes: r
                .notes
                .as_ref()
                .map(|x| x.value.first().trim().to_string())
                .filter(|x| !x.is_empty()),
            address: t(&r.address),
            city: t(&r.city),
            state: t(&r.state),
            postal_code: t(&r.postal_code),
            country: t(&r.country),
            approximate: r.approximate.as_ref().is_some_and(|a| a.value),
            ..Place::default()
        };
        ex.locations
            .entry(venue_key(&p))
            .or_insert_with(|| slug.to_string_lossy().to_string());
    }
    for f in crate::load::files(site, &site.join("content/locations"), &["yaml", "yml"]).0 {
        if let Some(stem) = f.file_stem() {
            ex.location_slugs.insert(stem.to_string_lossy().to_string());
        }
    }
    ex.custom_codes = s
        .types
        .iter()
        .filter(|t| t.custom)
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    Ok(ex)
}

/// The longest custom type code an import makes up.
pub(crate) const MAX_CUSTOM_CODE: usize = 10;

/// `base` if `taken` does not hold it, else the first free `base-2`, `base-3`, ...; a suffix
/// cuts `base` (at a character boundary, and without a dangling `-`) so the name stays within
/// `max` bytes.
pub(crate) fn unique_name(base: &str, max: usize, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let mut b = base.to_string();
            while b.len() + suffix.len() > max {
                b.pop();
            }
            format!("{}{suffix}", b.trim_end_matches('-'))
        })
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_string())
}

/// An approximate place that is nothing but an area: no name of its own, no position, no
/// notes. It says no more than a site's `service_area` would.
fn is_bare_area(p: &Place) -> bool {
    let f = p.formatted();
    p.approximate
        && !f.is_empty()
        && p.name.as_ref().is_none_or(|n| *n == f)
        && p.latitude.is_none()
        && p.notes.is_none()
}

fn online_meetings_give(count: usize) -> String {
    if count == 1 {
        "1 online meeting gives".into()
    } else {
        format!("{count} online meetings give")
    }
}

/// A text in lower case with its spacing collapsed: how import compares names and addresses.
fn folded(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two texts equal but for case and spacing.
fn same_text(a: &str, b: &str) -> bool {
    folded(a) == folded(b)
}

/// The one area every online meeting without a place of its own gives (Lantern's own feed
/// gives its `service_area` this way): None when any of them gives another, or none at all,
/// since a `service_area` would then say something the input did not.
fn shared_service_area(drafts: &[Draft]) -> Option<String> {
    let mut area: Option<String> = None;
    for d in drafts.iter().filter(|d| d.online.is_some()) {
        match &d.place {
            Some(p) if is_bare_area(p) => {
                let f = p.formatted();
                match &area {
                    Some(a) if !same_text(a, &f) => return None,
                    Some(_) => {}
                    None => area = Some(f),
                }
            }
            Some(p) if !p.approximate => {}
            _ => return None,
        }
    }
    area
}

/// A venue: its address key with its name and notes, ignoring case and spacing. Two venues at
/// one address (a hall and the club upstairs) stay two locations.
fn venue_key(p: &Place) -> String {
    let norm = |s: &Option<String>| folded(s.as_deref().unwrap_or_default());
    format!("{}|{}|{}", address_key(p), norm(&p.name), norm(&p.notes))
}

/// Locations are the same place when their printed address (and whether it is approximate)
/// match, ignoring case and spacing. A place with no address is known by its name.
fn address_key(p: &Place) -> String {
    let f = p.formatted();
    let base = if f.is_empty() {
        format!("name:{}", p.name.clone().unwrap_or_default())
    } else {
        f
    };
    format!("{}|{}", folded(&base), p.approximate)
}

struct PlannedLocation {
    slug: String,
    place: Place,
    region: Option<Vec<String>>,
    /// The time zone all its meetings share, when it is not the site's.
    timezone: Option<String>,
    /// Written as a new file (false: an existing location of the site).
    write: bool,
}

/// Plans, writes and verifies the import of `parsed` into `site`.
pub fn import(parsed: Parsed, site: &Path, force: bool) -> Result<Report, Error> {
    let ex = existing(site)?;
    let plan = plan(parsed, &ex, force)?;
    apply(site, plan, force)
}

/// What an import writes, decided from the input and what the site already has; no file is
/// read or written here.
struct Plan {
    /// site.yaml's new text, when it changes.
    site_yaml: Option<String>,
    /// Record files, relative to the site folder, with their text.
    files: Vec<(String, String)>,
    drafts: Vec<Draft>,
    /// Each draft's meeting slug.
    slugs: Vec<String>,
    /// Each slug's notes as written (Markdown), for the read-back check.
    expected_notes: BTreeMap<String, Option<String>>,
    locations: usize,
    locations_reused: usize,
    notes: Vec<Note>,
}

fn plan(mut parsed: Parsed, ex: &Existing, force: bool) -> Result<Plan, Error> {
    fit_custom_types(&mut parsed, &ex.custom_codes);
    let mut notes = std::mem::take(&mut parsed.notes);
    let mut drafts = merge_days(std::mem::take(&mut parsed.meetings), &mut notes);
    if drafts.is_empty() {
        let mut msg = "no meeting could be imported".to_string();
        for n in &notes {
            msg.push_str(&format!("\n  {}: {}", n.origin, n.message));
        }
        return Err(Error::Other(msg));
    }

    let site_tz = ex.timezone.clone().or_else(|| {
        parsed
            .hints
            .timezones
            .iter()
            .max_by_key(|(z, n)| (**n, std::cmp::Reverse((*z).clone())))
            .map(|(z, _)| z.clone())
    });

    // New site: one approximate area shared by the online meetings becomes its `service_area`.
    // An existing site's own area stands for the meetings that give exactly that area.
    let area = match (&ex.site_yaml, &ex.service_area) {
        (None, _) => shared_service_area(&drafts),
        (Some(_), Some(own)) => shared_service_area(&drafts).filter(|a| same_text(a, own)),
        (Some(_), None) => None,
    };
    if let Some(a) = &area {
        let mut count = 0;
        for d in &mut drafts {
            if d.place.as_ref().is_some_and(is_bare_area) {
                d.place = None;
                count += 1;
            }
        }
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: if ex.site_yaml.is_none() {
                format!(
                    "{} only the area {a:?}: written once as `service_area`, not as a location",
                    online_meetings_give(count)
                )
            } else {
                format!(
                    "{} only the site's own `service_area` {a:?}: no location written for {}",
                    online_meetings_give(count),
                    if count == 1 { "it" } else { "them" }
                )
            },
        });
    }
    let new_area = area.filter(|_| ex.site_yaml.is_none());

    // Meeting slugs: valid, at most 64 characters, unique in the site.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut slugs = Vec::with_capacity(drafts.len());
    for d in &drafts {
        let wanted = d.slug.clone().unwrap_or_default();
        let mut base = if is_slug(&wanted) && wanted.len() <= crate::validate::MAX_SLUG {
            wanted.clone()
        } else {
            let from = if wanted.is_empty() { &d.name } else { &wanted };
            let mut s = slug::slugify(from);
            if s.is_empty() {
                s = "meeting".into();
            }
            s.truncate(crate::validate::MAX_SLUG - 4);
            s.trim_end_matches('-').to_string()
        };
        if base.is_empty() {
            base = "meeting".into();
        }
        let slug = unique_name(&base, crate::validate::MAX_SLUG, |slug| {
            taken.contains(slug)
                || ex
                    .meeting_slugs
                    .get(slug)
                    .is_some_and(|src| *src != d.path(slug))
        });
        if !wanted.is_empty() && slug != wanted {
            notes.push(Note {
                origin: d.origin.clone(),
                message: format!("slug {wanted:?} is used or not URL-safe: written as `{slug}`"),
            });
        }
        taken.insert(slug.clone());
        slugs.push(slug);
    }

    // Locations, de-duplicated by address.
    let mut planned: Vec<PlannedLocation> = Vec::new();
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut meeting_loc: Vec<Option<usize>> = Vec::with_capacity(drafts.len());
    let mut loc_slugs_taken = ex.location_slugs.clone();
    for d in &drafts {
        let Some(p) = &d.place else {
            meeting_loc.push(None);
            continue;
        };
        let mut p = p.clone();
        if p.name.is_none() {
            let f = p.formatted();
            p.name = Some(if f.is_empty() { d.name.clone() } else { f });
        }
        let key = venue_key(&p);
        // One venue: same address, name and notes, and no other position. Another venue at
        // the same address is its own location, so nothing either record says is lost.
        let same = by_key.get(&key).into_iter().flatten().copied().find(|i| {
            let q = &planned[*i].place;
            q.latitude.is_none()
                || p.latitude.is_none()
                || (q.latitude == p.latitude && q.longitude == p.longitude)
        });
        if let Some(i) = same {
            let first = &mut planned[i].place;
            if first.latitude.is_none() && p.latitude.is_some() {
                first.latitude = p.latitude;
                first.longitude = p.longitude;
            }
            meeting_loc.push(Some(i));
            continue;
        }
        let (slug, write) = match ex.locations.get(&key) {
            Some(slug) if !force => (slug.clone(), false),
            _ => {
                let base = {
                    let mut s = slug::slugify(p.name.as_deref().unwrap_or("location"));
                    if s.is_empty() {
                        s = "location".into();
                    }
                    s.truncate(60);
                    s.trim_end_matches('-').to_string()
                };
                let planned_slugs: BTreeSet<&str> =
                    planned.iter().map(|l| l.slug.as_str()).collect();
                let slug = unique_name(&base, crate::validate::MAX_SLUG, |slug| {
                    planned_slugs.contains(slug) || (!force && loc_slugs_taken.contains(slug))
                });
                (slug, true)
            }
        };
        loc_slugs_taken.insert(slug.clone());
        by_key.entry(key).or_default().push(planned.len());
        planned.push(PlannedLocation {
            slug,
            place: p,
            region: None,
            timezone: None,
            write,
        });
        meeting_loc.push(Some(planned.len() - 1));
    }
    // A location carries the region when all its meetings agree on it.
    for (i, loc) in planned.iter_mut().enumerate() {
        let regions: BTreeSet<&Vec<String>> = drafts
            .iter()
            .zip(&meeting_loc)
            .filter(|(_, l)| **l == Some(i))
            .map(|(d, _)| &d.region)
            .collect();
        if regions.len() == 1 && loc.write {
            loc.region = regions.into_iter().next().cloned();
        }
        let zones: BTreeSet<Option<&String>> = drafts
            .iter()
            .zip(&meeting_loc)
            .filter(|(_, l)| **l == Some(i))
            .map(|(d, _)| d.timezone.as_ref())
            .collect();
        if zones.len() == 1 && loc.write {
            loc.timezone = zones
                .into_iter()
                .next()
                .flatten()
                .filter(|z| Some(z.as_str()) != site_tz.as_deref())
                .cloned();
        }
    }

    time_zone_notes(
        &drafts,
        &planned,
        &meeting_loc,
        site_tz.as_deref(),
        ex.timezone.is_some(),
        &mut notes,
    );

    // Custom types the site does not define yet.
    let used: BTreeSet<&str> = drafts
        .iter()
        .flat_map(|d| d.types.iter().map(String::as_str))
        .collect();
    let new_types: Vec<&CustomType> = parsed
        .custom_types
        .iter()
        .filter(|t| used.contains(t.code.as_str()) && !ex.custom_codes.contains_key(&t.code))
        .collect();

    // The files.
    let mut files: Vec<(String, String)> = Vec::new();
    for loc in planned.iter().filter(|l| l.write) {
        files.push((
            format!("content/locations/{}.yaml", loc.slug),
            location_yaml(loc),
        ));
    }
    let mut expected_notes = BTreeMap::new();
    // Meetings by file: several in one file make a list, each with its slug.
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (i, d) in drafts.iter().enumerate() {
        let loc = meeting_loc[i].map(|l| &planned[l]);
        let md_notes = d.notes.as_deref().map(|n| {
            let (md, exact) = markdown_notes(n);
            if !exact {
                notes.push(Note {
                    origin: d.origin.clone(),
                    message: "notes have spacing or marks that Markdown cannot keep exactly; the feed will show them slightly differently".into(),
                });
            }
            md
        });
        expected_notes.insert(slugs[i].clone(), md_notes.clone());
        let body = meeting_yaml(d, loc, site_tz.as_deref(), md_notes.as_deref());
        by_file
            .entry(d.path(&slugs[i]))
            .or_default()
            .push((slugs[i].clone(), body));
    }
    for (path, records) in by_file {
        let stem = Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = match records.as_slice() {
            [(slug, body)] if *slug == stem => body.clone(),
            [(slug, body)] => with_slug(body, slug),
            many => {
                let mut out = String::new();
                for (i, (slug, body)) in many.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    for (j, line) in with_slug(body, slug).lines().enumerate() {
                        let lead = if j == 0 {
                            "- "
                        } else if line.is_empty() {
                            ""
                        } else {
                            "  "
                        };
                        out.push_str(lead);
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out
            }
        };
        files.push((path, text));
    }

    let site_yaml = match &ex.site_yaml {
        None => Some(new_site_yaml(
            &parsed.hints,
            site_tz.as_deref(),
            new_area.as_deref(),
            &new_types,
            &mut notes,
        )),
        Some(old) if !new_types.is_empty() => Some(add_types(old, &new_types)),
        Some(_) => None,
    };

    Ok(Plan {
        site_yaml,
        files,
        locations: planned.iter().filter(|l| l.write).count(),
        locations_reused: planned.iter().filter(|l| !l.write).count(),
        drafts,
        slugs,
        expected_notes,
        notes,
    })
}

/// Writes a plan into `site` (never over an existing file without `force`), reads the site
/// back and compares every meeting; on any failure every written file is restored or removed.
fn apply(site: &Path, plan: Plan, force: bool) -> Result<Report, Error> {
    let Plan {
        site_yaml,
        files,
        drafts,
        slugs,
        expected_notes,
        locations,
        locations_reused,
        notes,
    } = plan;
    let conflicts: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| site.join(p).exists())
        .collect();
    if !conflicts.is_empty() && !force {
        return Err(Error::Other(format!(
            "these files exist already, and import never overwrites without --force:\n  {}\nnothing was written",
            conflicts.join("\n  ")
        )));
    }

    // Write, then read everything back; undo on failure.
    let mut undo: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    let mut write = |rel: &str, text: &str| -> Result<(), Error> {
        let path = site.join(rel);
        let before = std::fs::read(&path).ok();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::Io {
                context: format!("cannot create {}", display_path(dir)),
                source: e,
            })?;
        }
        undo.push((path.clone(), before));
        std::fs::write(&path, text).map_err(|e| Error::Io {
            context: format!("cannot write {}", display_path(&path)),
            source: e,
        })
    };
    let mut written = Vec::new();
    let mut result = Ok(());
    if let Some(text) = &site_yaml {
        result = write("content/site.yaml", text);
        written.push("content/site.yaml".to_string());
    }
    for (rel, text) in &files {
        if result.is_err() {
            break;
        }
        result = write(rel, text);
        written.push(rel.clone());
    }
    let result = result.and_then(|()| verify(site, &drafts, &slugs, &expected_notes));
    if let Err(e) = result {
        for (path, before) in undo.into_iter().rev() {
            let _ = match before {
                Some(bytes) => std::fs::write(&path, bytes),
                None => std::fs::remove_file(&path),
            };
        }
        return Err(e);
    }

    Ok(Report {
        meetings: drafts.len(),
        locations,
        locations_reused,
        files: written,
        notes,
    })
}

/// Says which time zone meetings without one were given, and warns when locations lie
/// obviously far from the zone their meetings take (a Berlin list imported into a site in
/// Chicago would otherwise meet seven hours off, in silence).
fn time_zone_notes(
    drafts: &[Draft],
    planned: &[PlannedLocation],
    meeting_loc: &[Option<usize>],
    site_tz: Option<&str>,
    existing_site: bool,
    notes: &mut Vec<Note>,
) {
    let without = drafts.iter().filter(|d| d.timezone.is_none()).count();
    if let Some(zone) = site_tz
        && without > 0
    {
        let (count, verb) = if without == 1 {
            ("1 meeting".to_string(), "names")
        } else {
            (format!("{without} meetings"), "name")
        };
        let why = if existing_site {
            "the site's time zone"
        } else {
            "the time zone most meetings of the input name"
        };
        notes.push(Note {
            origin: "input".into(),
            message: format!("{count} {verb} no time zone: {zone} ({why}) is assumed for them"),
        });
    }
    // Zone -> the far locations of meetings in it.
    let mut far: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (d, loc) in drafts.iter().zip(meeting_loc) {
        let Some(i) = *loc else { continue };
        let l = &planned[i];
        let (Some(_), Some(lon)) = (l.place.latitude, l.place.longitude) else {
            continue;
        };
        let Some(zone) = d.timezone.as_deref().or(l.timezone.as_deref()).or(site_tz) else {
            continue;
        };
        if hours_from_zone(lon, zone).is_some_and(|h| h > 3.0) {
            far.entry(zone).or_default().insert(i);
        }
    }
    for (zone, locs) in far {
        let Some(first) = locs.iter().next().map(|i| &planned[*i]) else {
            continue;
        };
        let (lat, lon) = (
            first.place.latitude.unwrap_or_default(),
            first.place.longitude.unwrap_or_default(),
        );
        let hours = hours_from_zone(lon, zone).unwrap_or_default().round();
        let count = if locs.len() == 1 {
            "1 location lies".to_string()
        } else {
            format!("{} locations lie", locs.len())
        };
        notes.push(Note {
            origin: "input".into(),
            message: format!(
                "warning: {count} far from {zone}, the time zone their meetings take: `{}` at {lat}, {lon} is about {hours} hours from it by its longitude; if that is wrong, set `timezone` on those locations or in content/site.yaml",
                first.slug
            ),
        });
    }
}

/// How many hours the sun time at `longitude` is from the nearer of the zone's winter and
/// summer offsets (None for an unknown zone). Real zones stay within about three hours.
fn hours_from_zone(longitude: f64, zone: &str) -> Option<f64> {
    use chrono::{Offset, TimeZone};
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let solar = longitude / 15.0;
    [1, 7]
        .into_iter()
        .filter_map(|month| {
            let at = NaiveDate::from_ymd_opt(2026, month, 15)?.and_hms_opt(12, 0, 0)?;
            let offset = tz.offset_from_utc_datetime(&at).fix().local_minus_utc();
            let d = (solar - f64::from(offset) / 3600.0).abs() % 24.0;
            Some(d.min(24.0 - d))
        })
        .reduce(f64::min)
}

/// Fits the input's custom types to the site's own: a type the site has by name takes the
/// site's code, and a code the site uses for another type is given a new one.
fn fit_custom_types(parsed: &mut Parsed, site: &BTreeMap<String, String>) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = site.keys().cloned().collect();
    taken.extend(parsed.custom_types.iter().map(|t| t.code.clone()));
    for t in &mut parsed.custom_types {
        let same_name = site
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(&t.name))
            .map(|(code, _)| code.clone());
        let new_code = match same_name {
            Some(code) => code,
            None if site.contains_key(&t.code) => {
                // `t.code` itself is taken (by the site), so the first free one has a suffix.
                unique_name(&t.code, MAX_CUSTOM_CODE, |c| {
                    taken.contains(c) || c == t.code
                })
            }
            None => continue,
        };
        if new_code != t.code {
            taken.insert(new_code.clone());
            renames.insert(t.code.clone(), new_code.clone());
            t.code = new_code;
        }
    }
    if renames.is_empty() {
        return;
    }
    for m in &mut parsed.meetings {
        for code in &mut m.types {
            if let Some(new) = renames.get(code) {
                *code = new.clone();
            }
        }
        let mut seen = BTreeSet::new();
        m.types.retain(|c| seen.insert(c.clone()));
    }
    for (old, new) in &renames {
        parsed.notes.push(Note {
            origin: "content/site.yaml".into(),
            message: format!(
                "custom type `{old}` is written as `{new}`, to fit the site's own types"
            ),
        });
    }
}

/// Merges drafts that are the same meeting on different days (one row per day in spreadsheets
/// and BMLT) into one multi-day meeting.
fn merge_days(drafts: Vec<Draft>, notes: &mut Vec<Note>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for d in drafts {
        let key = d.same_meeting_key();
        if let Some(i) = index.get(&key) {
            let m = &mut out[*i];
            if d.days.iter().all(|day| !m.days.contains(day)) {
                m.days.extend(d.days.iter().copied());
                m.days.sort_by_key(|x| x.num_days_from_sunday());
                continue;
            }
            notes.push(Note {
                origin: d.origin.clone(),
                message: format!("the same meeting as {} on the same day: left out", m.origin),
            });
            continue;
        }
        index.insert(key, out.len());
        out.push(d);
    }
    out
}

/// Notes as Markdown that prints back as exactly the given plain text where possible.
fn markdown_notes(plain: &str) -> (String, bool) {
    let plain = plain.replace("\r\n", "\n").trim().to_string();
    if plain_text(&plain) == plain {
        return (plain, true);
    }
    let mut out = String::with_capacity(plain.len() + 8);
    for (i, line) in plain.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
        for (j, ch) in line.char_indices() {
            let at_start = j == 0;
            let list_mark = j == digits && digits > 0 && matches!(ch, '.' | ')');
            if matches!(
                ch,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '!' | '|' | '~'
            ) || (at_start && matches!(ch, '-' | '+' | '='))
                || list_mark
            {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    let exact = plain_text(&out) == plain;
    if exact { (out, true) } else { (plain, false) }
}

/// A record with a `slug:` line after its name.
fn with_slug(body: &str, slug: &str) -> String {
    let mut out = String::with_capacity(body.len() + slug.len() + 8);
    let mut lines = body.lines();
    if let Some(first) = lines.next() {
        out.push_str(first);
        out.push('\n');
    }
    out.push_str(&format!("slug: {}\n", yaml::scalar(slug)));
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A time as a record writes it: `"19:00"` (quoted, so YAML never reads it as a number).
fn hhmm(t: NaiveTime) -> String {
    format!("\"{}\"", crate::model::schedule::hhmm(t))
}

fn meeting_yaml(
    d: &Draft,
    loc: Option<&PlannedLocation>,
    site_tz: Option<&str>,
    notes: Option<&str>,
) -> String {
    let mut w = yaml::Writer::default();
    w.text(0, "name", &d.name);
    let days: Vec<String> = d.days.iter().map(|x| day_key(*x).to_string()).collect();
    match days.as_slice() {
        [one] => w.raw(0, "day", one),
        many => w.raw(0, "day", &yaml::list(many)),
    }
    w.raw(0, "time", &hhmm(d.time));
    // An hour is what Lantern (and the spec) assume without an end time.
    if let Some(e) = d.end_time
        && e != d.time + TimeDelta::minutes(60)
    {
        w.raw(0, "end_time", &hhmm(e));
    }
    let zone = loc.and_then(|l| l.timezone.as_deref()).or(site_tz);
    if let Some(z) = &d.timezone
        && Some(z.as_str()) != zone
    {
        w.text(0, "timezone", z);
    }
    if !d.types.is_empty() {
        w.raw(0, "types", &yaml::list(&d.types));
    }
    if let Some(l) = loc {
        w.text(0, "location", &l.slug);
    }
    if let Some(o) = &d.online {
        w.key(0, "online");
        w.opt(2, "url", o.url.as_deref());
        w.opt(2, "notes", o.notes.as_deref());
        w.opt(2, "phone", o.phone.as_deref());
        w.opt(2, "phone_notes", o.phone_notes.as_deref());
    }
    let loc_region = loc.and_then(|l| l.region.as_ref());
    if !d.region.is_empty() && loc_region != Some(&d.region) {
        w.raw(0, "region", &yaml::list(&d.region));
    }
    w.opt(0, "group", d.group.as_deref());
    w.opt(0, "notes", notes);
    if d.closed {
        w.raw(0, "status", "temporarily-closed");
    }
    w.opt(0, "contact_email", d.contact_email.as_deref());
    if let Some((date, time)) = d.updated {
        let s = match time.filter(|t| *t != NaiveTime::MIN) {
            Some(t) => format!(
                "{} {:02}:{:02}:{:02}",
                date.format("%Y-%m-%d"),
                t.hour(),
                t.minute(),
                t.second()
            ),
            None => date.format("%Y-%m-%d").to_string(),
        };
        w.text(0, "updated", &s);
    }
    w.out
}

fn location_yaml(l: &PlannedLocation) -> String {
    let p = &l.place;
    let mut w = yaml::Writer::default();
    w.text(0, "name", p.name.as_deref().unwrap_or(&l.slug));
    w.opt(0, "address", p.address.as_deref());
    w.opt(0, "city", p.city.as_deref());
    w.opt(0, "state", p.state.as_deref());
    w.opt(0, "postal_code", p.postal_code.as_deref());
    w.opt(0, "country", p.country.as_deref());
    if let Some(r) = &l.region
        && !r.is_empty()
    {
        w.raw(0, "region", &yaml::list(r));
    }
    if let (Some(lat), Some(lon)) = (p.latitude, p.longitude) {
        w.raw(0, "latitude", &format!("{lat:?}"));
        w.raw(0, "longitude", &format!("{lon:?}"));
    }
    w.opt(0, "timezone", l.timezone.as_deref());
    w.opt(0, "notes", p.notes.as_deref());
    if p.approximate {
        w.raw(0, "approximate", "true");
    }
    w.out
}

/// A site.yaml for a new site, from what the input says about its publisher.
fn new_site_yaml(
    h: &SiteHints,
    tz: Option<&str>,
    service_area: Option<&str>,
    types: &[&CustomType],
    notes: &mut Vec<Note>,
) -> String {
    let mut w = yaml::Writer::default();
    w.text(0, "title", h.entity.name.as_deref().unwrap_or("Meetings"));
    let base = base_url(&h.urls);
    if base.is_none() {
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: "the input gives no meeting page addresses to learn the site's address from: `base_url` is https://example.org/; set it".into(),
        });
    }
    w.text(
        0,
        "base_url",
        base.as_deref().unwrap_or("https://example.org/"),
    );
    if tz.is_none() {
        notes.push(Note {
            origin: "content/site.yaml".into(),
            message: "the input names no time zone: `timezone` is UTC; set the site's own".into(),
        });
    }
    w.text(0, "timezone", tz.unwrap_or("UTC"));
    w.opt(0, "service_area", service_area);
    let e = &h.entity;
    if !h.edit_url_mixed {
        w.opt(0, "edit_url", h.edit_url.as_deref());
    }
    let feedback_email = h.feedback_email.as_deref().filter(|e| {
        let ok = crate::validate::fields::is_email(e);
        if !ok {
            notes.push(Note {
                origin: "content/site.yaml".into(),
                message: format!(
                    "`feedback_emails` {e:?} is not an e-mail address Lantern accepts (one address, user@example.org): `feedback_email` left out"
                ),
            });
        }
        ok
    });
    if e.name.is_some() {
        w.opt(0, "feedback_email", feedback_email);
        w.key(0, "entity");
        w.opt(2, "name", e.name.as_deref());
        w.opt(2, "email", e.email.as_deref());
        w.opt(2, "phone", e.phone.as_deref());
        w.opt(2, "location", e.location.as_deref());
        w.opt(2, "url", e.url.as_deref());
    } else {
        w.opt(0, "feedback_email", feedback_email);
    }
    if !types.is_empty() {
        w.out.push_str(&types_block(types, None));
    }
    w.out
}

/// The `types:` entries; `item_indent` is the indentation of the `- ` of an existing list
/// (None: a new `types:` key with its list).
fn types_block(types: &[&CustomType], item_indent: Option<usize>) -> String {
    let mut w = yaml::Writer::default();
    let indent = match item_indent {
        Some(i) => i,
        None => {
            w.key(0, "types");
            2
        }
    };
    for t in types {
        w.out.push_str(&" ".repeat(indent));
        w.out.push_str("- ");
        w.text(0, "code", &t.code);
        w.text(indent + 2, "name", &t.name);
        w.opt(indent + 2, "description", t.description.as_deref());
    }
    w.out
}

/// Adds custom types to an existing site.yaml, keeping every other line as it is: after the
/// last item of a block-style top-level `types:` list, or as a new `types:` list at the end.
/// (Any other layout fails the read-back check and nothing is kept.)
fn add_types(old: &str, types: &[&CustomType]) -> String {
    let lines: Vec<&str> = old.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == "types:");
    let mut out = String::new();
    match start {
        Some(s) => {
            let mut end = s + 1;
            while end < lines.len()
                && (lines[end].starts_with(' ')
                    || lines[end].starts_with('-')
                    || lines[end].trim().is_empty())
            {
                end += 1;
            }
            while end > s + 1 && lines[end - 1].trim().is_empty() {
                end -= 1;
            }
            let item_indent = lines[s + 1..end]
                .iter()
                .find(|l| l.trim_start().starts_with('-'))
                .map_or(2, |l| l.len() - l.trim_start().len());
            for l in &lines[..end] {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str(&types_block(types, Some(item_indent)));
            for l in &lines[end..] {
                out.push_str(l);
                out.push('\n');
            }
        }
        None => {
            out.push_str(old);
            if !old.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&types_block(types, None));
        }
    }
    out
}

/// The site's address, when every meeting's `url` is `<base>meetings/<slug>/`.
fn base_url(urls: &[(String, String)]) -> Option<String> {
    let mut base: Option<String> = None;
    for (url, slug) in urls {
        let u = url.trim_end_matches('/');
        let b = u.strip_suffix(&format!("meetings/{slug}"))?;
        if !crate::validate::fields::is_base_url(b) {
            return None;
        }
        match &base {
            Some(x) if x != b => return None,
            _ => base = Some(b.to_string()),
        }
    }
    base
}

/// Loads the site with Lantern's own loader and validator and checks that every imported
/// meeting reads back as planned.
fn verify(
    site: &Path,
    drafts: &[Draft],
    slugs: &[String],
    notes: &BTreeMap<String, Option<String>>,
) -> Result<(), Error> {
    let s = crate::build::load_site(site, None).map_err(|e| match e {
        Error::Input(d) => Error::Other(format!(
            "the imported records do not pass Lantern's checks, so nothing was kept:\n{d}"
        )),
        other => other,
    })?;
    for (d, slug) in drafts.iter().zip(slugs) {
        let Some(m) = s.meetings.iter().find(|m| &m.slug == slug) else {
            return Err(Error::Other(format!(
                "internal error: imported meeting `{slug}` is missing after reading the site back; nothing was kept"
            )));
        };
        let end = d.end_time.unwrap_or(d.time + TimeDelta::minutes(60));
        let ok = m.name == d.name
            && m.days == d.days
            && m.time == d.time
            && m.end_time == end
            && m.types == d.types
            && m.group == d.group
            && notes.get(slug).cloned().flatten() == m.notes
            && m.online
                .as_ref()
                .map(|o| (&o.url, &o.notes, &o.phone, &o.phone_notes))
                == d.online
                    .as_ref()
                    .map(|o| (&o.url, &o.notes, &o.phone, &o.phone_notes));
        if !ok {
            return Err(Error::Other(format!(
                "internal error: meeting `{slug}` reads back differently from what was imported ({}); nothing was kept",
                d.origin
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Planning touches no file: a plan for a new site comes from the input alone, with
    /// every file it will write and the site's settings.
    #[test]
    fn a_plan_is_made_without_any_site_on_disk() {
        let feed = r#"[
            {"name": "Online A", "slug": "a", "day": 1, "time": "19:00",
             "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/1",
             "formatted_address": "Springfield, IL, USA", "approximate": "yes"},
            {"name": "Hall B", "slug": "b", "day": 2, "time": "07:00",
             "timezone": "America/Chicago", "location": "Grace Church",
             "formatted_address": "1 Main St, Springfield, IL 62701, USA"}
        ]"#;
        let parsed = meeting_guide::parse(feed).unwrap();
        let plan = plan(parsed, &Existing::default(), false).unwrap();
        let paths: Vec<&str> = plan.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "content/locations/grace-church.yaml",
                "content/meetings/a.yaml",
                "content/meetings/b.yaml"
            ]
        );
        let site_yaml = plan.site_yaml.unwrap();
        assert!(
            site_yaml.contains("\ntimezone: America/Chicago\n"),
            "{site_yaml}"
        );
        assert!(
            site_yaml.contains("\nservice_area: Springfield, IL, USA\n"),
            "{site_yaml}"
        );
        assert_eq!((plan.locations, plan.locations_reused), (1, 0));
    }

    #[test]
    fn unique_names_count_up_and_stay_within_the_limit() {
        let taken = ["hall", "hall-2", "ABCDEFGHIJ", "ABCDEFGH-2"];
        let t = |n: &str| taken.contains(&n);
        assert_eq!(unique_name("church", 64, t), "church");
        assert_eq!(unique_name("hall", 64, t), "hall-3");
        assert_eq!(unique_name("ABCDEFGHIJ", 10, t), "ABCDEFGH-3");
        // Cut where the cut leaves a hyphen: no "a--2".
        assert_eq!(
            unique_name("abcdefg-hi", 10, |n| n == "abcdefg-hi"),
            "abcdefg-2"
        );
        // Never inside a character.
        let name = unique_name("ééééé", 10, |n| n == "ééééé");
        assert_eq!(name, "éééé-2");
    }

    #[test]
    fn addresses_split_only_when_exact() {
        let mut p = Place::default();
        p.set_formatted("4953 W Addison St, Chicago, IL 60641, USA");
        assert_eq!(p.address.as_deref(), Some("4953 W Addison St"));
        assert_eq!(p.city.as_deref(), Some("Chicago"));
        assert_eq!(p.state.as_deref(), Some("IL"));
        assert_eq!(p.postal_code.as_deref(), Some("60641"));
        assert_eq!(p.country.as_deref(), Some("USA"));
        for f in [
            "Chicago, IL, USA",
            "Rue de Rivoli 1, 75001 Paris, France",
            "Somewhere",
            "Unit 2, 10 High St, Leeds, LS1 4AP, UK",
        ] {
            let mut p = Place::default();
            p.set_formatted(f);
            assert_eq!(p.formatted(), f);
        }
    }

    #[test]
    fn notes_that_look_like_markdown_are_escaped() {
        for plain in [
            "Plain text, it's fine.",
            "*Not* emphasis and [not] a link <b>",
            "1. not a list\n- nor this\n# nor a heading",
            "Fish & chips &amp; more",
            "back\\slash",
        ] {
            let (md, exact) = markdown_notes(plain);
            assert!(exact, "{plain}");
            assert_eq!(plain_text(&md), plain);
        }
    }

    #[test]
    fn base_url_from_meeting_urls() {
        let urls = vec![
            ("https://x.org/aa/meetings/a/".to_string(), "a".to_string()),
            ("https://x.org/aa/meetings/b".to_string(), "b".to_string()),
        ];
        assert_eq!(base_url(&urls).as_deref(), Some("https://x.org/aa/"));
        let other = vec![("https://x.org/m?id=1".to_string(), "a".to_string())];
        assert_eq!(base_url(&other), None);
    }
}
