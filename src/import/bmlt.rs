//! Reading a BMLT root server's `GetSearchResults` JSON.
//!
//! Either the plain array of meetings, or the object `{"meetings": [...], "formats": [...]}`
//! that `&get_used_formats=1` returns. Format keys differ from server to server; only the
//! formats list links them to the world ids that NA shares, so the mapping to Meeting Guide
//! codes goes key -> world id -> code. Keys without a world id, or with one that has no Meeting
//! Guide code, are kept as custom types named as the server names them.
//!
//! BMLT numbers weekdays 1 = Sunday ... 7 = Saturday and gives every value as a string.

use std::collections::BTreeMap;

use chrono::{NaiveTime, TimeDelta, Timelike};
use serde_json::{Map, Value};

use super::common::{Reader, TypeMapper, text};
use super::{Note, Parsed};
use crate::model::schedule::parse_loose_time;

/// A world id's Meeting Guide code(s); ids missing here have none and become custom types.
fn world_id_codes(id: &str) -> Option<&'static [&'static str]> {
    Some(match id {
        "OPEN" => &["O"],
        "CLOSED" => &["C"],
        "WCHR" => &["X"],
        "BEG" => &["BE"],
        "CAN" => &["CAN"],
        "CW" => &["CF"],
        "CC" => &["BA"],
        "DISC" => &["D"],
        "GL" | "LGBT" | "LGBTQ" => &["LGBTQ"],
        "LIT" => &["LIT"],
        "M" => &["M"],
        "MED" => &["MED"],
        "SMOK" => &["SM"],
        "SPK" => &["SP"],
        "S-D" => &["SP", "D"],
        "STEP" => &["ST"],
        "TRAD" => &["TR"],
        "W" => &["W"],
        "Y" | "YA" => &["Y"],
        "POC" => &["POC"],
        "FF" => &["FF"],
        "SEN" => &["SEN"],
        // Attendance and closure are not types in Lantern; see `venue_type` and `TC`.
        "VM" | "HYBR" | "HY" => &["ONL"],
        "TC" => &["TC"],
        _ => return None,
    })
}

/// Every language of the Meeting Guide type list: its Meeting Guide code and the keys BMLT
/// servers give its `LANG` format (the ISO 639-1 code first, then ISO 639-2/3 codes and older
/// keys seen on servers). Keys compare without regard to case.
pub(crate) const LANGUAGES: &[(&str, &[&str])] = &[
    ("AF", &["af", "afr"]),
    ("AM", &["am", "amh"]),
    ("AR", &["ar", "ara"]),
    ("ASL", &["asl", "ase"]),
    ("BG", &["bg", "bul"]),
    ("DA", &["da", "dan"]),
    ("DE", &["de", "deu", "ger"]),
    ("EL", &["el", "ell", "gre"]),
    ("EN", &["en", "eng"]),
    ("FA", &["fa", "fas", "per"]),
    ("FI", &["fi", "fin"]),
    ("FR", &["fr", "fra", "fre"]),
    ("HE", &["he", "heb", "iw"]),
    ("HI", &["hi", "hin"]),
    ("HR", &["hr", "hrv"]),
    ("HU", &["hu", "hun"]),
    ("IS", &["is", "isl", "ice"]),
    ("ITA", &["it", "ita"]),
    ("JA", &["ja", "jpn"]),
    ("KA", &["ka", "kat", "geo"]),
    ("KOR", &["ko", "kor"]),
    ("LT", &["lt", "lit"]),
    ("ML", &["ml", "mal"]),
    ("MT", &["mt", "mlt"]),
    ("NE", &["ne", "nep"]),
    ("NL", &["nl", "nld", "dut"]),
    ("NO", &["no", "nor", "nb", "nn"]),
    ("POL", &["pl", "pol"]),
    ("POR", &["pt", "por"]),
    ("PUN", &["pa", "pan", "pun"]),
    ("RUS", &["ru", "rus"]),
    ("S", &["es", "spa", "sp", "span", "s"]),
    ("SK", &["sk", "slk", "slo"]),
    ("SL", &["sl", "slv"]),
    ("SV", &["sv", "swe"]),
    ("TH", &["th", "tha"]),
    ("TL", &["tl", "tgl", "fil"]),
    ("TUR", &["tr", "tur"]),
    ("UK", &["uk", "ukr"]),
];

/// The Meeting Guide code of a language format (world id `LANG`), by its key.
pub(crate) fn language_code(key: &str) -> Option<&'static str> {
    let key = key.trim().to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|(_, keys)| keys.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

/// BMLT fields that are read, or that carry nothing a visitor needs.
const KNOWN: &[&str] = &[
    "id_bigint",
    "worldid_mixed",
    "shared_group_id_bigint",
    "service_body_bigint",
    "weekday_tinyint",
    "venue_type",
    "start_time",
    "duration_time",
    "time_zone",
    "formats",
    "lang_enum",
    "longitude",
    "latitude",
    "distance_in_km",
    "distance_in_miles",
    "email_contact",
    "meeting_name",
    "location_text",
    "location_info",
    "location_street",
    "location_city_subsection",
    "location_neighborhood",
    "location_municipality",
    "location_sub_province",
    "location_province",
    "location_postal_code_1",
    "location_nation",
    "comments",
    "virtual_meeting_link",
    "virtual_meeting_additional_info",
    "phone_meeting_number",
    "format_shared_id_list",
    "root_server_id",
    "root_server_uri",
    "published",
];

pub(crate) fn parse(text_in: &str) -> Result<Parsed, String> {
    let v: Value = serde_json::from_str(text_in).map_err(|e| format!("invalid JSON: {e}"))?;
    let (meetings, formats) = match v {
        Value::Array(m) => (m, None),
        Value::Object(mut o) => {
            let m = match o.remove("meetings") {
                Some(Value::Array(m)) => m,
                _ => {
                    return Err(
                        "expected an array of meetings, or an object with a `meetings` array"
                            .into(),
                    );
                }
            };
            (m, o.remove("formats"))
        }
        _ => return Err("expected an array of meetings".into()),
    };

    let mut parsed = Parsed::default();
    // Format key -> (world id, name, description).
    let mut by_key: BTreeMap<String, (String, String, Option<String>)> = BTreeMap::new();
    match formats {
        Some(Value::Array(fs)) => {
            for f in fs {
                let Some(key) = text(f.get("key_string")) else {
                    continue;
                };
                let world = text(f.get("world_id")).unwrap_or_default();
                let name = text(f.get("name_string")).unwrap_or_else(|| key.clone());
                let desc = text(f.get("description_string"));
                by_key.insert(key, (world, name, desc));
            }
        }
        Some(_) => return Err("`formats` must be an array of formats".into()),
        None => parsed.notes.push(Note {
            origin: "input".into(),
            message: "no `formats` list (fetch with &get_used_formats=1): format keys cannot be matched to world ids, so every one is kept as a custom type".into(),
        }),
    }
    for (key, (_, name, desc)) in &by_key {
        parsed
            .type_names
            .insert(key.clone(), (name.clone(), desc.clone()));
    }

    let mut objects = Vec::new();
    for (i, m) in meetings.iter().enumerate() {
        let origin = format!("meeting {}", i + 1);
        let Value::Object(m) = m else {
            parsed.notes.push(Note {
                origin,
                message: "not a meeting object: skipped".into(),
            });
            continue;
        };
        let origin = match text(m.get("id_bigint")) {
            Some(id) => format!("meeting id {id}"),
            None => origin,
        };
        if text(m.get("published")).as_deref() == Some("0") {
            parsed.notes.push(Note {
                origin,
                message: "not published on the server: skipped".into(),
            });
            continue;
        }
        if let Some(obj) = convert(m, &by_key, &mut parsed.notes, &mut parsed.custom_only) {
            objects.push((origin, obj));
        }
    }

    let types = TypeMapper::default();
    let mut r = Reader {
        types: &types,
        type_names: false,
        parsed: &mut parsed,
    };
    for (origin, obj) in &objects {
        r.read(origin, obj);
    }
    Ok(parsed)
}

/// One BMLT meeting as a Meeting Guide-shaped object.
fn convert(
    m: &Map<String, Value>,
    formats: &BTreeMap<String, (String, String, Option<String>)>,
    notes: &mut Vec<Note>,
    custom_only: &mut std::collections::BTreeSet<String>,
) -> Option<Map<String, Value>> {
    let get = |k: &str| text(m.get(k));
    let origin = match get("id_bigint") {
        Some(id) => format!("meeting id {id}"),
        None => "meeting".into(),
    };
    let mut o = Map::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            o.insert(k.to_string(), Value::from(v));
        }
    };
    put("name", get("meeting_name"));
    if let Some(name) = get("meeting_name") {
        put("slug", Some(slug::slugify(name)));
    }
    // 1 = Sunday in BMLT, 0 = Sunday in Meeting Guide.
    match get("weekday_tinyint").map(|d| d.parse::<u8>()) {
        Some(Ok(d @ 1..=7)) => put("day", Some((d - 1).to_string())),
        Some(_) => {
            notes.push(Note {
                origin: origin.clone(),
                message: format!(
                    "`weekday_tinyint` {} is not 1 (Sunday) to 7 (Saturday): skipped",
                    short(m.get("weekday_tinyint"))
                ),
            });
            return None;
        }
        None => {}
    }
    let start = get("start_time").and_then(|t| parse_loose_time(&t));
    put("time", get("start_time"));
    if let (Some(start), Some(d)) = (
        start,
        get("duration_time").and_then(|d| parse_loose_time(&d)),
    ) && d != NaiveTime::MIN
    {
        let end = start + TimeDelta::minutes(i64::from(d.hour() * 60 + d.minute()));
        put("end_time", Some(end.format("%H:%M").to_string()));
    }
    put("timezone", get("time_zone"));
    put("notes", get("comments"));
    put("location", get("location_text"));
    put("location_notes", get("location_info"));
    put("address", get("location_street"));
    put("city", get("location_municipality"));
    put("state", get("location_province"));
    put("postal_code", get("location_postal_code_1"));
    put("country", get("location_nation"));
    put("latitude", get("latitude").filter(|v| v != "0"));
    put("longitude", get("longitude").filter(|v| v != "0"));
    put("conference_url", get("virtual_meeting_link"));
    put(
        "conference_url_notes",
        get("virtual_meeting_additional_info"),
    );
    put("conference_phone", get("phone_meeting_number"));
    let regions: Vec<Value> = ["location_sub_province", "location_municipality"]
        .iter()
        .filter_map(|k| get(k))
        .chain(get("location_neighborhood").or_else(|| get("location_city_subsection")))
        .map(Value::from)
        .collect();
    if !regions.is_empty() {
        o.insert("regions".into(), Value::Array(regions));
    }
    // venue_type: 1 in person, 2 virtual, 3 hybrid. A virtual meeting's address is its area.
    match get("venue_type").as_deref() {
        Some("2") => {
            o.insert("approximate".into(), Value::from("yes"));
        }
        Some("1" | "3") | None => {}
        Some(other) => notes.push(Note {
            origin: origin.clone(),
            message: format!("`venue_type` {other:?} is not 1, 2 or 3: read from the fields"),
        }),
    }

    let mut types: Vec<Value> = Vec::new();
    for key in get("formats")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        let world = formats.get(key).map(|f| f.0.as_str()).unwrap_or_default();
        let codes: Vec<&str> = if world == "LANG" {
            language_code(key).into_iter().collect()
        } else {
            world_id_codes(world)
                .map(<[&str]>::to_vec)
                .unwrap_or_default()
        };
        if codes.is_empty() {
            // Kept by its key; the reader makes it a custom type named after the format. A key
            // may look like a Meeting Guide code with another meaning (BMLT's `B` is
            // Beginners, Meeting Guide's is Big Book), so it is never read as one.
            custom_only.insert(key.to_string());
            types.push(Value::from(key));
        } else {
            types.extend(codes.into_iter().map(Value::from));
        }
    }
    if !types.is_empty() {
        o.insert("types".into(), Value::Array(types));
    }

    for (k, v) in m {
        let empty = match v {
            Value::String(s) => s.trim().is_empty(),
            Value::Null => true,
            _ => false,
        };
        if !KNOWN.contains(&k.as_str()) && !empty {
            let shown = if k.contains("name") && k.contains("contact") {
                "(a name)".to_string()
            } else {
                short(Some(v))
            };
            notes.push(Note {
                origin: origin.clone(),
                message: format!(
                    "field `{k}` ({shown}) has no place in Lantern's records; not imported"
                ),
            });
        }
    }
    Some(o)
}

fn short(v: Option<&Value>) -> String {
    v.map(super::common::short).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TypeTable;

    /// Every language of the Meeting Guide list, by the ISO 639-1 code a BMLT server keys it
    /// with, and its English name in data/meeting-guide-types.json. Written out here on its
    /// own, so a slip in `LANGUAGES` or a language added to the list shows.
    const EXPECTED: &[(&str, &str, &str)] = &[
        ("af", "AF", "Afrikaans"),
        ("am", "AM", "Amharic"),
        ("ar", "AR", "Arabic"),
        ("asl", "ASL", "American Sign Language"),
        ("bg", "BG", "Bulgarian"),
        ("da", "DA", "Danish"),
        ("de", "DE", "German"),
        ("el", "EL", "Greek"),
        ("en", "EN", "English"),
        ("fa", "FA", "Persian"),
        ("fi", "FI", "Finnish"),
        ("fr", "FR", "French"),
        ("he", "HE", "Hebrew"),
        ("hi", "HI", "Hindi"),
        ("hr", "HR", "Croatian"),
        ("hu", "HU", "Hungarian"),
        ("is", "IS", "Icelandic"),
        ("it", "ITA", "Italian"),
        ("ja", "JA", "Japanese"),
        ("ka", "KA", "Georgian"),
        ("ko", "KOR", "Korean"),
        ("lt", "LT", "Lithuanian"),
        ("ml", "ML", "Malayalam"),
        ("mt", "MT", "Maltese"),
        ("ne", "NE", "Nepali"),
        ("nl", "NL", "Dutch"),
        ("no", "NO", "Norwegian"),
        ("pl", "POL", "Polish"),
        ("pt", "POR", "Portuguese"),
        ("pa", "PUN", "Punjabi"),
        ("ru", "RUS", "Russian"),
        ("es", "S", "Spanish"),
        ("sk", "SK", "Slovak"),
        ("sl", "SL", "Slovenian"),
        ("sv", "SV", "Swedish"),
        ("th", "TH", "Thai"),
        ("tl", "TL", "Tagalog"),
        ("tr", "TUR", "Turkish"),
        ("uk", "UK", "Ukrainian"),
    ];

    /// The codes of the list that are not languages.
    const NOT_LANGUAGES: &[&str] = &[
        "11", "12x12", "A", "ABSI", "AL", "AL-AN", "B", "BA", "BE", "BI", "BRK", "C", "CAN", "CF",
        "D", "DB", "DD", "DR", "FF", "G", "GR", "H", "L", "LGBTQ", "LIT", "LS", "M", "MED", "N",
        "NB", "NDG", "O", "OUT", "P", "POA", "POC", "SEN", "SM", "SP", "ST", "T", "TC", "TR", "W",
        "X", "XB", "XT", "Y",
    ];

    #[test]
    fn every_language_of_the_meeting_guide_list_maps_by_its_code() {
        let builtin = TypeTable::builtin("en");
        for (iso, code, english) in EXPECTED {
            assert_eq!(
                builtin.get(code).map(|t| t.name.as_str()),
                Some(*english),
                "{code}"
            );
            assert_eq!(language_code(iso), Some(*code), "{iso}");
            assert_eq!(
                language_code(&iso.to_ascii_uppercase()),
                Some(*code),
                "{iso}"
            );
        }
        // The table is complete: every code of the list is a language above or not one.
        for code in builtin.codes() {
            let language = EXPECTED.iter().any(|(_, c, _)| *c == code);
            assert!(
                language != NOT_LANGUAGES.contains(&code),
                "{code} is neither (or both) a language and not one"
            );
        }
        assert_eq!(LANGUAGES.len(), EXPECTED.len());
        // No key names two languages.
        let mut seen = std::collections::BTreeMap::new();
        for (code, keys) in LANGUAGES {
            for k in *keys {
                assert_eq!(seen.insert(*k, *code), None, "{k}");
            }
        }
        assert_eq!(language_code("xx"), None);
    }
}
