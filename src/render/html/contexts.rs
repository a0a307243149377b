//! The typed values templates are given: one struct per thing a page shows (a meeting, its
//! list entry, a location, a type, a region, a day, a Markdown page, the site, the page in
//! other languages), and the [`Renderer`] methods that fill them. The finder's and
//! `meeting.js`'s values are in [`super::scripts`]; the lists' in [`super::lists`].
//!
//! Their field names are the names theme authors use in templates (docs/themes.md): renaming
//! one breaks site themes.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::Renderer;
use crate::model::{Location, Meeting, Status};
use crate::render::i18n::format;
use crate::render::{markdown, urls};

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    /// Prefix of every link to a page (`/`, `/meetings/`; `/es/` for Spanish on a bilingual
    /// site).
    pub(super) base: &'a str,
    /// Where the assets and the whole-site files are (`/` or `/meetings/`), in every
    /// language.
    pub(super) root: &'a str,
    pub(super) feedback_email: Option<&'a str>,
    /// Markdown pages for the menu, by weight.
    pub(super) pages: Vec<Link>,
    /// Every weekday, Sunday first, with how many meetings it has.
    pub(super) days: Vec<Link>,
    pub(super) meeting_count: usize,
    /// The site's IANA zone (a chrono-tz name: letters, `/`, `_`, `+`, `-`, safe in a script):
    /// what "today" means for lists grouped by weekday.
    pub(super) timezone: &'a str,
}

#[derive(Serialize)]
pub(super) struct TypeCtx {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) description: Option<String>,
    /// A site's own type, not in the Meeting Guide list: its code is shown so feed readers
    /// can map it.
    pub(super) custom: bool,
}

/// What the meeting list entry template sees.
#[derive(Serialize)]
pub(super) struct ItemCtx<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) time: String,
    pub(super) end_time: String,
    /// The meeting's time zone in words, when it differs from the site's.
    pub(super) timezone: Option<String>,
    pub(super) days: Vec<String>,
    /// "Every day", "Monday to Friday", or the days joined in words.
    pub(super) days_in_words: String,
    pub(super) recurrence: Option<String>,
    pub(super) attendance: &'static str,
    pub(super) attendance_label: String,
    pub(super) location: Option<&'a str>,
    pub(super) city: Option<&'a str>,
    pub(super) region: Option<&'a str>,
    pub(super) types: Vec<TypeCtx>,
    pub(super) closed: bool,
    pub(super) closed_until: Option<String>,
    /// Online details, so a list offers Join and Call without opening the meeting's page.
    pub(super) join_url: Option<&'a str>,
    pub(super) phone_url: Option<String>,
    /// What only paper shows (the print stylesheet), where nothing can be tapped: the street
    /// address, the join address without its scheme and the phone number as dialled.
    pub(super) street: Option<&'a str>,
    pub(super) join_short: Option<&'a str>,
    pub(super) phone: Option<String>,
}

#[derive(Serialize)]
pub(super) struct LocationCtx {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) address: Option<String>,
    pub(super) city: Option<String>,
    pub(super) state: Option<String>,
    pub(super) postal_code: Option<String>,
    pub(super) country: Option<String>,
    pub(super) formatted_address: String,
    /// "Springfield, IL 62701".
    pub(super) locality: String,
    pub(super) notes: Option<String>,
    pub(super) latitude: Option<f64>,
    pub(super) longitude: Option<f64>,
    pub(super) directions_url: String,
    pub(super) geo_url: Option<String>,
    pub(super) region: Vec<Link>,
    pub(super) timezone: Option<String>,
}

#[derive(Serialize)]
pub(super) struct OnlineCtx<'a> {
    pub(super) url: Option<&'a str>,
    pub(super) notes: Option<&'a str>,
    pub(super) phone: Option<&'a str>,
    pub(super) phone_url: Option<String>,
    /// The number to call, for reading; `phone_then` is what to dial once connected.
    pub(super) phone_number: Option<String>,
    pub(super) phone_then: Option<String>,
    pub(super) phone_notes: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct MeetingCtx<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) day_times: Vec<String>,
    pub(super) days: Vec<Link>,
    pub(super) time: String,
    pub(super) end_time: String,
    pub(super) ends_next_day: bool,
    pub(super) timezone: &'a str,
    /// "Chicago time".
    pub(super) timezone_words: String,
    pub(super) timezone_differs: bool,
    pub(super) recurrence: Option<String>,
    pub(super) skip: Vec<String>,
    pub(super) types: Vec<TypeCtx>,
    pub(super) attendance: &'static str,
    pub(super) attendance_label: String,
    pub(super) status: &'static str,
    pub(super) closed_until: Option<String>,
    pub(super) location: Option<LocationCtx>,
    pub(super) online: Option<OnlineCtx<'a>>,
    pub(super) region: Vec<Link>,
    pub(super) group: Option<&'a str>,
    pub(super) notes_html: Option<String>,
    pub(super) contact_email: Option<&'a str>,
    pub(super) updated: Option<String>,
    pub(super) edit_url: Option<String>,
    pub(super) feedback_url: Option<String>,
    /// schema.org JSON-LD for the page head, already safe inside a script element.
    pub(super) json_ld: String,
}

/// A type in a list of types, with how many meetings have it.
#[derive(Serialize)]
pub(super) struct TypeCount {
    #[serde(rename = "type")]
    pub(super) ty: TypeCtx,
    pub(super) count: usize,
}

/// A place in the list of locations, with how many meetings meet there.
#[derive(Serialize)]
pub(super) struct LocationCount {
    pub(super) location: LocationCtx,
    pub(super) count: usize,
}

/// A region in the tree of the regions page.
#[derive(Serialize)]
pub(super) struct RegionNode {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) children: Vec<RegionNode>,
}

/// A region's page: the region, the regions above it and the ones in it.
#[derive(Serialize)]
pub(super) struct RegionCtx<'a> {
    pub(super) name: &'a str,
    pub(super) count: usize,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) children: Vec<Link>,
}

/// A weekday's page.
#[derive(Serialize)]
pub(super) struct DayCtx {
    pub(super) key: &'static str,
    pub(super) name: String,
    pub(super) count: usize,
}

/// A Markdown page.
#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    /// The page's HTML.
    pub(super) content: String,
    /// Whether the content starts with a heading of its own (then the template adds none).
    pub(super) own_heading: bool,
}

/// This page in one language, for the switch and the `hreflang` links in the head.
#[derive(Serialize)]
pub(super) struct Alternate<'a> {
    pub(super) lang: &'a str,
    pub(super) name: &'a str,
    /// Inside the site (`/es/meetings/x/`), for the switch.
    pub(super) url: String,
    /// Absolute, as `hreflang` links must be.
    pub(super) href: String,
    pub(super) current: bool,
}

impl<'a> Renderer<'a> {
    pub(super) fn type_ctx(&self, code: &str) -> TypeCtx {
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

    pub(super) fn region_breadcrumbs(&self, names: &[String]) -> Vec<Link> {
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

    pub(super) fn item(&self, m: &'a Meeting) -> ItemCtx<'a> {
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

    pub(super) fn location(&self, l: &Location) -> LocationCtx {
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

    pub(super) fn meeting(&self, m: &'a Meeting) -> MeetingCtx<'a> {
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
            json_ld: crate::render::jsonld::meeting(self.site, m),
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
