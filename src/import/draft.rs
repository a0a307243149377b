//! The drafts every source reader produces: meetings, places and custom types in one
//! source-neutral shape, before any file is planned.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::Note;
use crate::model::Entity;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Place {
    pub(crate) name: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) latitude: Option<f64>,
    pub(crate) longitude: Option<f64>,
    pub(crate) notes: Option<String>,
    pub(crate) approximate: bool,
}

impl Place {
    /// The address as Lantern will print it (see `model::Location::formatted_address`).
    pub(crate) fn formatted(&self) -> String {
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
    pub(crate) fn set_formatted(&mut self, f: &str) {
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
pub(crate) struct OnlineDraft {
    pub(crate) url: Option<String>,
    pub(crate) notes: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) phone_notes: Option<String>,
}

/// One meeting read from the input, before files are planned.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub(crate) origin: String,
    pub(crate) name: String,
    pub(crate) slug: Option<String>,
    pub(crate) days: Vec<Weekday>,
    pub(crate) time: NaiveTime,
    pub(crate) end_time: Option<NaiveTime>,
    pub(crate) timezone: Option<String>,
    /// Meeting Guide codes and custom codes.
    pub(crate) types: Vec<String>,
    pub(crate) closed: bool,
    /// Plain text.
    pub(crate) notes: Option<String>,
    pub(crate) place: Option<Place>,
    pub(crate) online: Option<OnlineDraft>,
    pub(crate) region: Vec<String>,
    pub(crate) group: Option<String>,
    pub(crate) contact_email: Option<String>,
    pub(crate) updated: Option<(NaiveDate, Option<NaiveTime>)>,
    /// The record's file in the site that published the feed (from a Lantern `edit_url`), so
    /// a Lantern site moves with its folder layout intact.
    pub(crate) source_path: Option<String>,
}

impl Draft {
    /// Where the record goes: its old file when that is known, else a file named after `slug`.
    pub(crate) fn path(&self, slug: &str) -> String {
        match &self.source_path {
            Some(p) => p.clone(),
            None => format!("content/meetings/{slug}.yaml"),
        }
    }

    /// Everything but the days and where it came from: meetings equal on this are one meeting
    /// on several days.
    pub(crate) fn same_meeting_key(&self) -> String {
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
pub(crate) struct CustomType {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

/// What the input says about the publishing site, for a new site.yaml.
#[derive(Debug, Default)]
pub(crate) struct SiteHints {
    pub(crate) entity: Entity,
    pub(crate) feedback_email: Option<String>,
    /// Each meeting's `url` with its slug.
    pub(crate) urls: Vec<(String, String)>,
    pub(crate) timezones: BTreeMap<String, usize>,
    /// The `edit_url` template (`https://.../{path}`) when every meeting's `edit_url` names a
    /// Lantern record file under it.
    pub(crate) edit_url: Option<String>,
    pub(crate) edit_url_mixed: bool,
}

/// Everything a source reader produces.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) meetings: Vec<Draft>,
    pub(crate) custom_types: Vec<CustomType>,
    /// Input type value -> custom code given to it.
    pub(crate) custom_by_raw: BTreeMap<String, String>,
    /// Names (and descriptions) the source gives its own type keys (BMLT formats).
    pub(crate) type_names: BTreeMap<String, (String, Option<String>)>,
    /// Input type values that are the source's own and must never be read as Meeting Guide
    /// codes, even when they look like one.
    pub(crate) custom_only: BTreeSet<String>,
    /// Site-wide fields already reported once.
    pub(crate) reported_once: BTreeSet<String>,
    pub(crate) hints: SiteHints,
    pub(crate) notes: Vec<Note>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
