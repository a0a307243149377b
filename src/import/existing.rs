//! What the target site already has (settings, meeting and location slugs, venues, custom
//! types): the one read of the site before an import is planned.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Place;
use super::plan::venue_key;
use crate::diagnostics::{Error, display_path};

/// What the target site already has.
#[derive(Default)]
pub(crate) struct Existing {
    pub(crate) timezone: Option<String>,
    /// The site's `service_area`, if it has one.
    pub(crate) service_area: Option<String>,
    /// Meeting slug -> its file.
    pub(crate) meeting_slugs: BTreeMap<String, String>,
    /// Location files by venue (`venue_key`: address, name and notes) -> slug.
    pub(crate) locations: BTreeMap<String, String>,
    pub(crate) location_slugs: BTreeSet<String>,
    /// The site's custom types: code -> name.
    pub(crate) custom_codes: BTreeMap<String, String>,
    pub(crate) site_yaml: Option<String>,
}

pub(crate) fn existing(site: &Path) -> Result<Existing, Error> {
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
