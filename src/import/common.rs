//! Reading meetings from Meeting Guide-shaped objects, shared by every source: each reader
//! turns its input into objects with the spec's field names (`name`, `day`, `time`,
//! `formatted_address`, ...) and this module maps them to drafts, noting every field or value
//! it cannot map.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::names::{MAX_CUSTOM_CODE, unique_name};
use super::{Draft, Note, OnlineDraft, Parsed, Place};
use crate::model::TypeTable;
use crate::model::schedule::{WEEK, parse_date_time, parse_loose_time};
use crate::validate::fields::{control_character, is_email, is_http_url, is_region_name};

/// Fields that Lantern works out itself or takes from site.yaml, so they are not reported.
const DERIVED: &[&str] = &[
    "url",
    "edit_url",
    "feedback_url",
    "feedback_emails",
    "attendance_option",
    // Keys of the source's own database, meaningless elsewhere.
    "id",
    "location_id",
    "group_id",
    "region_id",
    "district_id",
    "data_source",
    "entity",
    "entity_email",
    "entity_feedback_emails",
    "entity_location",
    "entity_phone",
    "entity_url",
    "entity_website_url",
    "formatted_address",
];

/// Fields that are read into drafts.
const READ: &[&str] = &[
    "name",
    "slug",
    "day",
    "time",
    "end_time",
    "timezone",
    "types",
    "notes",
    "location",
    "location_notes",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "approximate",
    "region",
    "sub_region",
    "regions",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "group",
    "contact_1_email",
    "updated",
];

/// What a type string in the input means.
#[derive(Debug, PartialEq)]
pub(crate) enum TypeMeaning {
    Code(String),
    TemporarilyClosed,
    /// `ONL`/`HY`: attendance, which Lantern reads from the online details and location.
    Attendance,
    Unknown,
}

/// Maps type codes (and, for spreadsheets, English type names) to Meeting Guide codes.
pub(crate) struct TypeMapper {
    builtin: TypeTable,
    by_name: BTreeMap<String, String>,
}

impl Default for TypeMapper {
    fn default() -> Self {
        let builtin = TypeTable::builtin("en");
        let mut by_name: BTreeMap<String, String> = builtin
            .iter()
            .map(|t| (t.name.to_lowercase(), t.code.clone()))
            .collect();
        // Names the 12 Step Meeting List plugin used before the spec renamed them.
        for (name, code) in [
            ("temporary closure", "TC"),
            ("temporarily closed", "TC"),
            ("step meeting", "ST"),
            ("step study", "ST"),
            ("online meeting", "ONL"),
            ("online", "ONL"),
            ("hybrid", "HY"),
            ("wheelchair accessible", "X"),
            ("child care available", "BA"),
            ("beginner", "BE"),
            ("newcomers", "BE"),
        ] {
            by_name.insert(name.into(), code.into());
        }
        Self { builtin, by_name }
    }
}

impl TypeMapper {
    pub(crate) fn map(&self, raw: &str, names: bool) -> TypeMeaning {
        let t = raw.trim();
        let upper = t.to_ascii_uppercase();
        let code = if self.builtin.contains(t) || matches!(t, "ONL" | "HY") {
            Some(t.to_string())
        } else if let Some(c) = self.builtin.codes().find(|c| c.eq_ignore_ascii_case(t)) {
            // `o` or `lgbtq`: a code in the wrong case is still that code.
            Some(c.to_string())
        } else if matches!(upper.as_str(), "ONL" | "HY") {
            Some(upper)
        } else if names {
            self.by_name.get(&t.to_lowercase()).cloned()
        } else {
            None
        };
        match code.as_deref() {
            Some("TC") => TypeMeaning::TemporarilyClosed,
            Some("ONL" | "HY") => TypeMeaning::Attendance,
            Some(c) => TypeMeaning::Code(c.to_string()),
            None => TypeMeaning::Unknown,
        }
    }

    pub(crate) fn is_builtin(&self, code: &str) -> bool {
        self.builtin.contains(code)
    }
}

/// How a source labels its records in the report.
pub(crate) struct Reader<'a> {
    pub(crate) types: &'a TypeMapper,
    /// Type values may be English names (spreadsheets) as well as codes.
    pub(crate) type_names: bool,
    pub(crate) parsed: &'a mut Parsed,
}

/// The notes about one record: each says which record it is about, by its position in the
/// input until its name is known, then by position and name.
struct RecordNotes {
    origin: String,
    notes: Vec<Note>,
}

impl RecordNotes {
    fn add(&mut self, message: String) {
        self.notes.push(Note {
            origin: self.origin.clone(),
            message,
        });
    }

    /// From now on, and for the notes so far, the record is called `origin`.
    fn call(&mut self, origin: String) {
        for n in &mut self.notes {
            n.origin = origin.clone();
        }
        self.origin = origin;
    }
}

impl Reader<'_> {
    /// Reads one object; `origin` names it in the report ("meeting 3", "row 7").
    pub(crate) fn read(&mut self, origin: &str, obj: &Map<String, Value>) {
        let mut notes = RecordNotes {
            origin: origin.to_string(),
            notes: Vec::new(),
        };
        let obj = &self.without_control_characters(obj, &mut notes);
        self.unread_fields(obj, &mut notes);
        self.site_hints(obj);
        let draft = self.draft(obj, &mut notes);
        self.parsed.notes.extend(notes.notes);
        if let Some(d) = draft {
            self.parsed.meetings.push(d);
        }
    }

    /// Notes every field that has no place in Lantern's records.
    fn unread_fields(&mut self, obj: &Map<String, Value>, notes: &mut RecordNotes) {
        for (k, v) in obj {
            if READ.contains(&k.as_str()) || DERIVED.contains(&k.as_str()) || is_empty(v) {
                continue;
            }
            // Lantern's own feed labels the contact with the group's or meeting's name, which
            // the build writes again: nothing is lost.
            if k == "contact_1_name" && (obj.get("group") == Some(v) || obj.get("name") == Some(v))
            {
                continue;
            }
            // Fields about the publisher are the same on every meeting: one note is enough.
            if k == "entity_logo" {
                if self.parsed.reported_once.insert(k.clone()) {
                    self.parsed.notes.push(Note {
                        origin: "input".into(),
                        message: format!(
                            "`entity_logo` ({}) has no place in site.yaml; not imported",
                            short(v)
                        ),
                    });
                }
                continue;
            }
            let shown = if (k.contains("name") && k.starts_with("contact")) || k == "author" {
                // Never copy a person's name into the report either.
                "(a name)".to_string()
            } else {
                short(v)
            };
            notes.add(format!(
                "field `{k}` ({shown}) has no place in Lantern's records; not imported"
            ));
        }
    }

    /// The meeting, or None (with a note saying why) when it cannot be listed: no name, no
    /// weekday, no time, or nowhere to meet.
    fn draft(&mut self, obj: &Map<String, Value>, notes: &mut RecordNotes) -> Option<Draft> {
        let get = |k: &str| text(obj.get(k));
        let Some(name) = get("name") else {
            notes.add("no `name`: meeting skipped".into());
            return None;
        };
        let name = fit_name(name, "name", &mut |m| notes.add(m));
        notes.call(format!("{} ({name})", notes.origin));

        let days = days(obj, notes)?;
        let Some(time) = get("time").and_then(|t| parse_loose_time(&t)) else {
            notes.add(format!(
                "`time` {} is missing or not a time: skipped",
                obj.get("time").map(short).unwrap_or_default()
            ));
            return None;
        };
        let mut end_time = None;
        if let Some(e) = get("end_time") {
            match parse_loose_time(&e) {
                Some(t) if t == time => notes.add(format!(
                    "`end_time` {e} equals `time`: left out (one hour is assumed)"
                )),
                Some(t) => end_time = Some(t),
                None => notes.add(format!(
                    "`end_time` {e:?} is not a time: left out (one hour is assumed)"
                )),
            }
        }
        let timezone = get("timezone").and_then(|z| match z.parse::<Tz>() {
            Ok(_) => Some(z),
            Err(_) => {
                notes.add(format!(
                    "`timezone` {z:?} is not a known time zone: left out"
                ));
                None
            }
        });

        let types = self.types(obj, notes);
        let online = online(obj, notes);
        if let Some(t) = &types.attendance
            && online.is_none()
        {
            notes.add(format!(
                "type {t:?} says the meeting is online, but there is no conference URL or phone: read as in person"
            ));
        }
        let place = self.place(obj, online.is_some(), notes);
        if place.is_none() && online.is_none() {
            notes.add(
                "no address and no online details: Lantern cannot say where it meets; skipped"
                    .into(),
            );
            return None;
        }

        let region: Vec<String> = match obj.get("regions") {
            Some(Value::Array(items)) if !items.is_empty() => {
                items.iter().filter_map(|v| text(Some(v))).collect()
            }
            _ => [get("region"), get("sub_region")]
                .into_iter()
                .flatten()
                .collect(),
        };
        let region = region
            .into_iter()
            .filter(|r| {
                let ok = is_region_name(r);
                if !ok {
                    notes.add(format!(
                        "region {r:?} has no letters or digits to name it by: left out"
                    ));
                }
                ok
            })
            .collect();
        let contact_email = get("contact_1_email").filter(|e| {
            let ok = is_email(e);
            if !ok {
                notes.add(format!(
                    "`contact_1_email` {e:?} is not an e-mail address Lantern accepts (one address, user@example.org): left out"
                ));
            }
            ok
        });
        let updated = get("updated").and_then(|u| {
            let parsed = parse_updated(&u);
            if parsed.is_none() {
                notes.add(format!(
                    "`updated` {u:?} is not a YYYY-MM-DD HH:MM:SS time: left out"
                ));
            }
            parsed
        });
        let slug = match obj.get("slug") {
            Some(Value::Number(n)) => Some(n.to_string()),
            other => text(other),
        }
        .map(|s| meeting_slug(&s, get("url").as_deref()));

        Some(Draft {
            origin: notes.origin.clone(),
            name,
            slug,
            days,
            time,
            end_time,
            timezone,
            types: types.codes,
            closed: types.closed,
            notes: get("notes"),
            place,
            online,
            region,
            group: get("group"),
            contact_email,
            updated,
            source_path: get("edit_url").and_then(|u| record_path(&u).map(|(_, p)| p)),
        })
    }

    /// The meeting's type codes (unknown types become custom types), and what the types say
    /// about it besides.
    fn types(&mut self, obj: &Map<String, Value>, notes: &mut RecordNotes) -> Types {
        let mut types = Types {
            codes: Vec::new(),
            // TSML marks a temporarily closed meeting with `attendance_option: inactive`.
            closed: text(obj.get("attendance_option")).as_deref() == Some("inactive"),
            attendance: None,
        };
        let type_list: Vec<String> = match obj.get("types") {
            Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
            Some(v) => text(Some(v))
                .map(|s| {
                    s.split(',')
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        for t in type_list {
            let meaning = if self.parsed.custom_only.contains(&t) {
                TypeMeaning::Unknown
            } else {
                self.types.map(&t, self.type_names)
            };
            let code = match meaning {
                TypeMeaning::Code(c) => c,
                TypeMeaning::TemporarilyClosed => {
                    types.closed = true;
                    continue;
                }
                TypeMeaning::Attendance => {
                    types.attendance = Some(t.clone());
                    continue;
                }
                TypeMeaning::Unknown => {
                    let code = self.custom_type(&t);
                    notes.add(format!(
                        "type {t:?} is not a Meeting Guide type: kept as the custom type `{code}`"
                    ));
                    code
                }
            };
            if !types.codes.contains(&code) {
                types.codes.push(code);
            }
        }
        types
    }

    /// Where the meeting meets, when the record says; None for an online meeting with no
    /// address (it has no venue).
    fn place(
        &mut self,
        obj: &Map<String, Value>,
        online: bool,
        notes: &mut RecordNotes,
    ) -> Option<Place> {
        let get = |k: &str| text(obj.get(k));
        let mut note = |m: String| notes.add(m);
        let mut p = Place {
            name: get("location").map(|n| fit_name(n, "location", &mut note)),
            address: get("address"),
            city: get("city"),
            state: get("state"),
            postal_code: get("postal_code"),
            country: get("country"),
            notes: get("location_notes"),
            ..Place::default()
        };
        let parts_given = p.address.is_some()
            || p.city.is_some()
            || p.state.is_some()
            || p.postal_code.is_some()
            || p.country.is_some();
        if let Some(f) = get("formatted_address") {
            if !parts_given {
                p.set_formatted(&f);
            } else if p.formatted() != f {
                let mut parsed = Place::default();
                parsed.set_formatted(&f);
                let fill = |a: &mut Option<String>, b: Option<String>| {
                    if a.is_none() {
                        *a = b
                    }
                };
                fill(&mut p.address, parsed.address);
                fill(&mut p.city, parsed.city);
                fill(&mut p.state, parsed.state);
                fill(&mut p.postal_code, parsed.postal_code);
                fill(&mut p.country, parsed.country);
                if p.formatted() != f {
                    note(format!(
                        "`formatted_address` {f:?} does not match the address fields; kept the fields ({:?})",
                        p.formatted()
                    ));
                }
            }
        }
        p.latitude = number(obj.get("latitude"));
        p.longitude = number(obj.get("longitude"));
        if p.latitude.is_some() != p.longitude.is_some()
            || p.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v))
            || p.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v))
        {
            note(format!(
                "`latitude`/`longitude` {}/{} are not a position: left out",
                obj.get("latitude").map(short).unwrap_or_default(),
                obj.get("longitude").map(short).unwrap_or_default()
            ));
            p.latitude = None;
            p.longitude = None;
        }
        let has_address = !p.formatted().is_empty();
        // An online meeting with no address has no venue: it gets no location record (one
        // named after the meeting, or after "Zoom", would repeat its name in the feed and, with
        // a position, read as a hybrid meeting).
        if !has_address && online {
            let mut what = Vec::new();
            if let Some(n) = &p.name {
                what.push(format!("location {n:?}"));
            }
            if let (Some(lat), Some(lon)) = (p.latitude, p.longitude) {
                what.push(format!("position {lat}/{lon}"));
            }
            if !what.is_empty() {
                note(format!(
                    "{} without an address, and the meeting is online: left out (an online meeting has no location)",
                    what.join(" and ")
                ));
            }
            return None;
        }
        if !has_address && p.latitude.is_none() && p.name.is_none() {
            return None;
        }
        p.approximate = match obj.get("approximate") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("yes") || s == "1" || s == "true" => {
                true
            }
            Some(Value::String(s)) if s.eq_ignore_ascii_case("no") || s == "0" || s == "false" => {
                false
            }
            Some(v) if !is_empty(v) => {
                note(format!(
                    "`approximate` {} is not \"yes\" or \"no\": read as \"no\"",
                    short(v)
                ));
                false
            }
            // Unsaid: TSML's `attendance_option` tells (an online meeting at an address is only
            // from there); else an online meeting whose address has no street part only gives
            // an area.
            _ if online && text(obj.get("attendance_option")).as_deref() == Some("online") => true,
            _ if text(obj.get("attendance_option")).as_deref() == Some("hybrid") => false,
            _ => {
                let area = online && p.address.is_none() && p.latitude.is_none();
                if area {
                    note(format!(
                        "online meeting with the address {:?} and no street: marked approximate",
                        p.formatted()
                    ));
                }
                area
            }
        };
        if p.approximate && !online {
            note(format!(
                "`approximate` is \"yes\" but the meeting has no online details: in-person meetings need an exact address, so it is read as exact ({:?})",
                p.formatted()
            ));
            p.approximate = false;
        }
        Some(p)
    }

    /// The object with every control character (a NUL, an escape, ...) taken out of its text,
    /// each noted: no record may hold one, so the import would otherwise fail as a whole.
    /// Fields about the publisher are on every meeting and are noted once.
    fn without_control_characters(
        &mut self,
        obj: &Map<String, Value>,
        notes: &mut RecordNotes,
    ) -> Map<String, Value> {
        let mut out = obj.clone();
        for (k, v) in out.iter_mut() {
            let mut found = None;
            let mut clean = |s: &mut String| {
                while let Some(c) = control_character(s) {
                    found.get_or_insert(c);
                    *s = s.replace(c, "");
                }
            };
            match v {
                Value::String(s) => clean(s),
                Value::Array(items) => {
                    for item in items {
                        if let Value::String(s) = item {
                            clean(s);
                        }
                    }
                }
                _ => {}
            }
            let Some(c) = found else { continue };
            let message = format!(
                "`{k}` holds a control character (U+{:04X}), which is not text: removed",
                u32::from(c)
            );
            if k.starts_with("entity") || k.starts_with("feedback") {
                if self.parsed.reported_once.insert(format!("control {k}")) {
                    self.parsed.notes.push(Note {
                        origin: "input".into(),
                        message,
                    });
                }
            } else {
                notes.add(message);
            }
        }
        out
    }

    /// A custom type code for an unknown type, registered (with its name) for site.yaml.
    fn custom_type(&mut self, raw: &str) -> String {
        if let Some(code) = self.parsed.custom_by_raw.get(raw) {
            return code.clone();
        }
        let mut base: String = raw
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '-'
                }
            })
            .collect();
        base = base.trim_matches('-').to_string();
        while base.contains("--") {
            base = base.replace("--", "-");
        }
        base.truncate(MAX_CUSTOM_CODE);
        let base = base.trim_end_matches('-').to_string();
        let base = if base.is_empty() {
            "CUSTOM".to_string()
        } else {
            base
        };
        let taken = |c: &str, parsed: &Parsed| {
            self.types.is_builtin(c)
                || matches!(c, "ONL" | "HY" | "TC")
                || parsed.custom_types.iter().any(|t| t.code == c)
        };
        let code = unique_name(&base, MAX_CUSTOM_CODE, |c| taken(c, self.parsed));
        let (name, description) = match self.parsed.type_names.get(raw) {
            Some((n, d)) => (n.clone(), d.clone()),
            None => (raw.trim().to_string(), None),
        };
        self.parsed.custom_types.push(super::CustomType {
            code: code.clone(),
            name,
            description,
        });
        self.parsed
            .custom_by_raw
            .insert(raw.to_string(), code.clone());
        code
    }

    /// The first meeting's entity and feedback fields, for a new site.yaml.
    fn site_hints(&mut self, obj: &Map<String, Value>) {
        let h = &mut self.parsed.hints;
        let get = |k: &str| text(obj.get(k));
        if h.entity.name.is_none() {
            h.entity.name = get("entity");
            h.entity.email = get("entity_email");
            h.entity.phone = get("entity_phone");
            h.entity.location = get("entity_location");
            h.entity.url = get("entity_url").or_else(|| get("entity_website_url"));
        }
        if h.feedback_email.is_none() {
            h.feedback_email = match obj
                .get("feedback_emails")
                .or_else(|| obj.get("entity_feedback_emails"))
            {
                Some(Value::Array(a)) => a.first().and_then(|v| text(Some(v))),
                other => text(other),
            };
        }
        if let (Some(url), Some(slug)) = (get("url"), text(obj.get("slug"))) {
            let slug = meeting_slug(&slug, Some(&url));
            h.urls.push((url, slug));
        }
        if let Some(z) = get("timezone").filter(|z| z.parse::<Tz>().is_ok()) {
            *h.timezones.entry(z).or_default() += 1;
        }
        match get("edit_url")
            .and_then(|u| record_path(&u))
            .filter(|(template, _)| is_http_url(template))
        {
            Some((template, _)) if !h.edit_url_mixed => match &h.edit_url {
                Some(t) if *t != template => h.edit_url_mixed = true,
                _ => h.edit_url = Some(template),
            },
            Some(_) => {}
            None => h.edit_url_mixed = true,
        }
    }
}

/// What a meeting's types say.
struct Types {
    /// Meeting Guide and custom codes, each once.
    codes: Vec<String>,
    /// Temporarily closed (`TC`, or TSML's `attendance_option: inactive`).
    closed: bool,
    /// The `ONL` or `HY` type as given: Lantern reads attendance from the online details.
    attendance: Option<String>,
}

/// The weekdays, each once and in week order, or None (with a note) when there is none.
fn days(obj: &Map<String, Value>, notes: &mut RecordNotes) -> Option<Vec<Weekday>> {
    let mut days: Vec<Weekday> = match obj.get("day") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(day).collect(),
        Some(v) => day(v).into_iter().collect(),
    };
    let raw_days = obj.get("day").map(short).unwrap_or_default();
    // A record lists each weekday once, in week order (the validator refuses a repeated
    // day, and a meeting does not happen twice on one day by saying so).
    let listed = days.len();
    days.sort_by_key(|d| d.num_days_from_sunday());
    days.dedup();
    if days.len() < listed {
        notes.add(format!(
            "`day` {raw_days} names a day more than once: each day is kept once"
        ));
    }
    if days.is_empty() {
        notes.add(if raw_days.is_empty() || raw_days == "\"\"" {
            "no `day` (a meeting by appointment): Lantern lists weekly meetings only; skipped"
                .to_string()
        } else {
            format!("`day` {raw_days} is not a weekday: skipped")
        });
        return None;
    }
    Some(days)
}

/// The online details, when there is a conference URL or phone to join by.
fn online(obj: &Map<String, Value>, notes: &mut RecordNotes) -> Option<OnlineDraft> {
    let get = |k: &str| text(obj.get(k));
    let mut online = OnlineDraft::default();
    if let Some(u) = get("conference_url") {
        if is_http_url(&u) {
            online.url = Some(u);
        } else {
            notes.add(format!(
                "`conference_url` {u:?} is not a web address Lantern accepts (http:// or https://, a host, no spaces or quotes): left out"
            ));
        }
    }
    online.notes = get("conference_url_notes");
    online.phone = get("conference_phone");
    online.phone_notes = get("conference_phone_notes");
    if online.url.is_some() || online.phone.is_some() {
        return Some(online);
    }
    for f in ["conference_url_notes", "conference_phone_notes"] {
        if let Some(v) = get(f) {
            notes.add(format!(
                "`{f}` {v:?} without a conference URL or phone: not imported"
            ));
        }
    }
    None
}

/// The meeting's own slug of a feed record: Lantern's feed lists a meeting on several days as
/// one record per day, `<slug>_<day>`, each with the meeting's page as `url`
/// (`.../meetings/<slug>/`), so such records come back as the one meeting.
fn meeting_slug(slug: &str, url: Option<&str>) -> String {
    let page = url.map(|u| u.trim_end_matches('/')).unwrap_or_default();
    match slug.rsplit_once('_') {
        Some((base, _)) if !base.is_empty() && page.ends_with(&format!("/{base}")) => {
            base.to_string()
        }
        _ => slug.to_string(),
    }
}

/// Splits a Lantern site's `edit_url` (`https://host/.../content/meetings/a/b.yaml`) into its
/// template (`https://host/.../{path}`) and the record's path, when the path is a plain one.
fn record_path(url: &str) -> Option<(String, String)> {
    let (base, path) = url.split_at_checked(url.rfind("content/meetings/")?)?;
    let stem = path.strip_suffix(".yaml")?;
    let ok = stem
        .split('/')
        .all(|seg| crate::validate::is_slug(seg) || seg == "content" || seg == "meetings");
    ok.then(|| (format!("{base}{{path}}"), path.to_string()))
}

/// A name within the spec's length (`lantern check` refuses a longer one): cut at the last
/// space before the limit (or at the limit), with a note saying so.
fn fit_name(name: String, field: &str, note: &mut dyn FnMut(String)) -> String {
    use crate::validate::fields::{MAX_NAME, is_name_length};
    if is_name_length(&name) {
        return name;
    }
    let head: String = name.chars().take(MAX_NAME).collect();
    let cut = match head.rfind(' ') {
        Some(i)
            if head
                .get(..i)
                .is_some_and(|h| h.chars().count() > MAX_NAME / 2) =>
        {
            head.get(..i).unwrap_or(&head).trim_end().to_string()
        }
        _ => head,
    };
    note(format!(
        "`{field}` is {} characters long, over the Meeting Guide limit of {MAX_NAME}: cut to {} characters",
        name.chars().count(),
        cut.chars().count()
    ));
    cut
}

/// A trimmed, non-empty string from a JSON value (numbers are written out).
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|f: &f64| f.is_finite())
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A value as it appears in the input, shortened for the report.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// A weekday from 0-6 (Sunday first), a numeric string, or an English day name.
fn day(v: &Value) -> Option<Weekday> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|d| WEEK.get(d as usize).copied()),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(n) = s.parse::<usize>() {
                return WEEK.get(n).copied();
            }
            crate::model::schedule::parse_day(s)
        }
        _ => None,
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC), `YYYY-MM-DD`, and the plugin's template form without the space.
fn parse_updated(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    if let Some(p) = parse_date_time(s) {
        return Some(p);
    }
    let s = s.trim();
    if s.len() == 18
        && let Some((date, time)) = s.split_at_checked(10)
    {
        return parse_date_time(&format!("{date} {time}"));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|dt| {
            (
                dt.date(),
                Some(dt.time().with_nanosecond(0).unwrap_or(dt.time())),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updated_forms() {
        let d = NaiveDate::from_ymd_opt(2020, 4, 4).unwrap();
        let t = NaiveTime::from_hms_opt(16, 50, 58);
        assert_eq!(parse_updated("2020-04-04 16:50:58"), Some((d, t)));
        assert_eq!(parse_updated("2020-04-0416:50:58"), Some((d, t)));
        assert_eq!(parse_updated("2020-04-04"), Some((d, None)));
        assert_eq!(parse_updated("yesterday"), None);
    }

    #[test]
    fn type_names_and_codes() {
        let m = TypeMapper::default();
        assert_eq!(m.map("O", false), TypeMeaning::Code("O".into()));
        assert_eq!(m.map("Open", false), TypeMeaning::Unknown);
        assert_eq!(m.map("open", true), TypeMeaning::Code("O".into()));
        assert_eq!(
            m.map("Temporary Closure", true),
            TypeMeaning::TemporarilyClosed
        );
        assert_eq!(m.map("TC", false), TypeMeaning::TemporarilyClosed);
        assert_eq!(m.map("ONL", false), TypeMeaning::Attendance);
        assert_eq!(m.map("lgbtq", false), TypeMeaning::Code("LGBTQ".into()));
        assert_eq!(m.map("tc", false), TypeMeaning::TemporarilyClosed);
    }
}
