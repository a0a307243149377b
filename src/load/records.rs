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

pub(crate) type S<T> = Spanned<T>;

/// `content/site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub(crate) title: S<String>,
    pub(crate) base_url: S<String>,
    #[serde(default)]
    pub(crate) language: Option<S<String>>,
    /// A site in several languages: `[en, es]`, the default first.
    #[serde(default)]
    pub(crate) languages: Option<S<Vec<S<String>>>>,
    pub(crate) timezone: S<String>,
    #[serde(default)]
    pub(crate) theme: Option<S<String>>,
    #[serde(default)]
    pub(crate) description: Option<S<String>>,
    #[serde(default)]
    pub(crate) edit_url: Option<S<String>>,
    #[serde(default)]
    pub(crate) feedback_email: Option<S<String>>,
    #[serde(default)]
    pub(crate) feed_refresh_hours: Option<S<u32>>,
    #[serde(default)]
    pub(crate) service_area: Option<S<String>>,
    #[serde(default)]
    pub(crate) types: Vec<S<RawType>>,
    #[serde(default)]
    pub(crate) entity: Option<RawEntity>,
    #[serde(default)]
    pub(crate) print: Option<S<RawPrint>>,
}

/// The `print:` block of site.yaml: which printed schedules a build writes, and how.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrint {
    /// The whole-site schedule, `/schedule.pdf`.
    #[serde(default)]
    pub(crate) site: Option<S<bool>>,
    /// `top`, `all` or `none`.
    #[serde(default)]
    pub(crate) regions: Option<S<String>>,
    /// `letter` or `a4`.
    #[serde(default)]
    pub(crate) paper: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawType {
    pub(crate) code: S<String>,
    pub(crate) name: S<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntity {
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) url: Option<String>,
}

/// A location, in its own file or inline in a meeting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLocation {
    pub(crate) name: S<RawText>,
    #[serde(default)]
    pub(crate) address: Option<S<String>>,
    #[serde(default)]
    pub(crate) city: Option<S<String>>,
    #[serde(default)]
    pub(crate) state: Option<S<String>>,
    #[serde(default)]
    pub(crate) postal_code: Option<S<String>>,
    #[serde(default)]
    pub(crate) country: Option<S<String>>,
    #[serde(default)]
    pub(crate) region: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub(crate) latitude: Option<S<f64>>,
    #[serde(default)]
    pub(crate) longitude: Option<S<f64>>,
    #[serde(default)]
    pub(crate) timezone: Option<S<String>>,
    #[serde(default)]
    pub(crate) notes: Option<S<RawText>>,
    /// The address only says roughly where an online meeting comes from (a city or area), so
    /// nobody is sent there; Meeting Guide's `approximate: "yes"`.
    #[serde(default)]
    pub(crate) approximate: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOnline {
    #[serde(default)]
    pub(crate) url: Option<S<String>>,
    #[serde(default)]
    pub(crate) notes: Option<S<RawText>>,
    #[serde(default)]
    pub(crate) phone: Option<S<String>>,
    #[serde(default)]
    pub(crate) phone_notes: Option<S<String>>,
}

/// A meeting record. Unknown fields are found by a separate key scan
/// ([`crate::load::unknown_meeting_fields`]) so that a typo does not hide the file's other
/// problems.
#[derive(Debug, Deserialize)]
pub(crate) struct RawMeeting {
    pub(crate) name: S<RawText>,
    #[serde(default)]
    pub(crate) slug: Option<S<String>>,
    pub(crate) day: S<OneOrMany<String>>,
    pub(crate) time: S<String>,
    #[serde(default)]
    pub(crate) end_time: Option<S<String>>,
    #[serde(default)]
    pub(crate) types: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub(crate) location: Option<S<LocationRef>>,
    #[serde(default)]
    pub(crate) online: Option<S<RawOnline>>,
    #[serde(default)]
    pub(crate) region: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub(crate) group: Option<S<String>>,
    #[serde(default)]
    pub(crate) notes: Option<S<RawText>>,
    #[serde(default)]
    pub(crate) timezone: Option<S<String>>,
    #[serde(default)]
    pub(crate) status: Option<S<String>>,
    #[serde(default)]
    pub(crate) closed_until: Option<S<String>>,
    #[serde(default)]
    pub(crate) monthly: Option<S<OneOrMany<i64>>>,
    #[serde(default)]
    pub(crate) biweekly_from: Option<S<String>>,
    #[serde(default)]
    pub(crate) skip: Option<S<OneOrMany<String>>>,
    #[serde(default)]
    pub(crate) contact_email: Option<S<String>>,
    #[serde(default)]
    pub(crate) updated: Option<S<String>>,
}

pub(crate) const MEETING_FIELDS: &[&str] = &[
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
pub(crate) struct RawFrontMatter {
    pub(crate) title: S<String>,
    #[serde(default)]
    pub(crate) weight: Option<i64>,
    #[serde(default)]
    pub(crate) draft: Option<bool>,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

/// A location given by slug or written inline.
#[derive(Debug)]
pub(crate) enum LocationRef {
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

/// A text written once, or once per language of the site:
/// `notes: Use the side door.` or `notes: {en: Use the side door., es: Use la puerta lateral.}`.
#[derive(Debug, Clone)]
pub(crate) enum RawText {
    One(String),
    /// Language code and text, in the order written.
    ByLanguage(Vec<(String, String)>),
}

impl RawText {
    /// What the field takes, as serde reports it in a type error (`load::yaml` rewords it).
    pub(crate) const EXPECTING: &'static str = "text, or the text in each language";

    /// The one text, or the first language's: what a slug is made from.
    pub(crate) fn first(&self) -> &str {
        match self {
            RawText::One(t) => t,
            RawText::ByLanguage(list) => list.first().map_or("", |(_, t)| t.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(RawText::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawText::One(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawText::One(v))
            }
            // A plain number or `yes` is text here, as it is in a field that only takes text.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawText::One(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawText::One(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawText::One(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawText::One(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((code, text)) = map.next_entry::<String, String>()? {
                    out.push((code, text));
                }
                Ok(RawText::ByLanguage(out))
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
pub(crate) struct OneOrMany<X>(pub Vec<Spanned<X>>);

impl<X> OneOrMany<X> {
    /// Each value with its position, falling back to the field's position.
    pub(crate) fn items(
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
pub(crate) enum MeetingFile {
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
