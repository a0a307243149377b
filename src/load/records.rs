//! The record formats exactly as editors write them, before any check.
//!
//! Every field an editor can get wrong is `Spanned`, so validation can point at its line and
//! column. Values whose meaning needs checking (days, times, dates, codes, zones) stay strings
//! here: `validate` turns them into model types with friendly messages.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

/// `content/site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: S<String>,
    pub base_url: S<String>,
    #[serde(default)]
    pub language: Option<S<String>>,
    pub timezone: S<String>,
    #[serde(default)]
    pub theme: Option<S<String>>,
    #[serde(default)]
    pub description: Option<S<String>>,
    #[serde(default)]
    pub edit_url: Option<S<String>>,
    #[serde(default)]
    pub feedback_email: Option<S<String>>,
    #[serde(default)]
    pub feed_refresh_hours: Option<S<u32>>,
    #[serde(default)]
    pub service_area: Option<S<String>>,
    #[serde(default)]
    pub types: Vec<S<RawType>>,
    #[serde(default)]
    pub entity: Option<RawEntity>,
}

pub const SITE_FIELDS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "timezone",
    "theme",
    "description",
    "edit_url",
    "feedback_email",
    "feed_refresh_hours",
    "service_area",
    "types",
    "entity",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawType {
    pub code: S<String>,
    pub name: S<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
}

/// A location, in its own file or inline in a meeting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub name: S<String>,
    #[serde(default)]
    pub address: Option<S<String>>,
    #[serde(default)]
    pub city: Option<S<String>>,
    #[serde(default)]
    pub state: Option<S<String>>,
    #[serde(default)]
    pub postal_code: Option<S<String>>,
    #[serde(default)]
    pub country: Option<S<String>>,
    #[serde(default)]
    pub region: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub latitude: Option<S<f64>>,
    #[serde(default)]
    pub longitude: Option<S<f64>>,
    #[serde(default)]
    pub timezone: Option<S<String>>,
    #[serde(default)]
    pub notes: Option<S<String>>,
    /// The address only says roughly where an online meeting comes from (a city or area), so
    /// nobody is sent there; Meeting Guide's `approximate: "yes"`.
    #[serde(default)]
    pub approximate: Option<S<bool>>,
}

pub const LOCATION_FIELDS: &[&str] = &[
    "name",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "region",
    "latitude",
    "longitude",
    "timezone",
    "notes",
    "approximate",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOnline {
    #[serde(default)]
    pub url: Option<S<String>>,
    #[serde(default)]
    pub notes: Option<S<String>>,
    #[serde(default)]
    pub phone: Option<S<String>>,
    #[serde(default)]
    pub phone_notes: Option<S<String>>,
}

/// A meeting record. Unknown fields are found by a separate key scan (see `yaml::scan_keys`)
/// so that a typo does not hide the file's other problems.
#[derive(Debug, Deserialize)]
pub struct RawMeeting {
    pub name: S<String>,
    #[serde(default)]
    pub slug: Option<S<String>>,
    pub day: S<OneOrMany<String>>,
    pub time: S<String>,
    #[serde(default)]
    pub end_time: Option<S<String>>,
    #[serde(default)]
    pub types: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub location: Option<S<LocationRef>>,
    #[serde(default)]
    pub online: Option<S<RawOnline>>,
    #[serde(default)]
    pub region: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub group: Option<S<String>>,
    #[serde(default)]
    pub notes: Option<S<String>>,
    #[serde(default)]
    pub timezone: Option<S<String>>,
    #[serde(default)]
    pub status: Option<S<String>>,
    #[serde(default)]
    pub closed_until: Option<S<String>>,
    #[serde(default)]
    pub monthly: Option<S<OneOrMany<i64>>>,
    #[serde(default)]
    pub biweekly_from: Option<S<String>>,
    #[serde(default)]
    pub skip: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub contact_email: Option<S<String>>,
    #[serde(default)]
    pub updated: Option<S<String>>,
}

pub const MEETING_FIELDS: &[&str] = &[
    "name",
    "slug",
    "day",
    "time",
    "end_time",
    "types",
    "location",
    "online",
    "region",
    "group",
    "notes",
    "timezone",
    "status",
    "closed_until",
    "monthly",
    "biweekly_from",
    "skip",
    "contact_email",
    "updated",
];

/// Page front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: S<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A location given by slug or written inline.
#[derive(Debug)]
pub enum LocationRef {
    Slug(String),
    Inline(Box<RawLocation>),
}

impl<'de> Deserialize<'de> for LocationRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LocationRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a location slug or a mapping with the location's fields")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LocationRef::Slug(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawLocation::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|l| LocationRef::Inline(Box::new(l)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A value that may be written alone or as a list: `day: monday` or `day: [monday, friday]`.
///
/// List items keep their own positions; a lone value has none of its own (serde-saphyr's
/// `Spanned` needs its own deserializer), so `items` gives it the enclosing field's position.
#[derive(Debug)]
pub struct OneOrMany<X>(pub Vec<Spanned<X>>);

impl<X> OneOrMany<X> {
    /// Each value with its position, falling back to the field's position.
    pub fn items(
        field: &Spanned<OneOrMany<X>>,
    ) -> impl Iterator<Item = (&X, &serde_saphyr::Location)> {
        field.value.0.iter().map(move |v| {
            let loc = if v.referenced == serde_saphyr::Location::UNKNOWN {
                &field.referenced
            } else {
                &v.referenced
            };
            (&v.value, loc)
        })
    }
}

impl<'de, X: Deserialize<'de>> Deserialize<'de> for OneOrMany<X> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<X>(PhantomData<X>);
        fn lone<X>(x: X) -> OneOrMany<X> {
            OneOrMany(vec![Spanned::new(
                x,
                serde_saphyr::Location::UNKNOWN,
                serde_saphyr::Location::UNKNOWN,
            )])
        }
        impl<'de, X: Deserialize<'de>> Visitor<'de> for V<X> {
            type Value = OneOrMany<X>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(OneOrMany(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                X::deserialize(de::value::StrDeserializer::<E>::new(v)).map(lone)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                self.visit_str(&v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                X::deserialize(de::value::I64Deserializer::<E>::new(v)).map(lone)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                X::deserialize(de::value::U64Deserializer::<E>::new(v)).map(lone)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A meetings file holds one meeting or a list of them.
#[derive(Debug)]
pub enum MeetingFile {
    One(Box<RawMeeting>),
    Many(Vec<RawMeeting>),
}

impl<'de> Deserialize<'de> for MeetingFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MeetingFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a meeting (a mapping of fields) or a list of meetings")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawMeeting::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|m| MeetingFile::One(Box::new(m)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(m) = seq.next_element()? {
                    out.push(m);
                }
                Ok(MeetingFile::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}
