//! The machine-readable outputs: `/meetings.json` checked against the Meeting Guide spec's
//! field rules and type list, `/types.json`, `/meetings.csv` in the 12 Step Meeting List
//! plugin's layout, and the schema.org JSON-LD of meeting pages.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::{Built, build, fixture, repo};

/// Every field the Meeting Guide spec defines.
const SPEC_FIELDS: &[&str] = &[
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
    "formatted_address",
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
    "group_notes",
    "venmo",
    "square",
    "paypal",
    "url",
    "edit_url",
    "feedback_url",
    "feedback_emails",
    "updated",
    "entity",
    "entity_email",
    "entity_feedback_emails",
    "entity_location",
    "entity_logo",
    "entity_phone",
    "entity_url",
    "entity_website_url",
    "contact_1_name",
    "contact_1_email",
    "contact_1_phone",
    "contact_2_name",
    "contact_2_email",
    "contact_2_phone",
    "contact_3_name",
    "contact_3_email",
    "contact_3_phone",
];

/// The spec's type codes (the list the repository carries in data/).
pub fn spec_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo().join("data/meeting-guide-types.json")).unwrap();
    let v: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap();
    v.into_keys().collect()
}

fn is_hhmm(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

fn is_url_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

fn is_day(v: &Value) -> bool {
    v.as_u64().is_some_and(|d| d <= 6)
}

/// Checks a feed against the spec's field rules. `custom` are the site's documented custom
/// types (from `/types.json`). Returns every problem found.
pub fn check_feed(json: &str, custom: &BTreeSet<String>) -> Vec<String> {
    let codes = spec_codes();
    let mut errs = Vec::new();
    let v: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let Some(items) = v.as_array() else {
        return vec!["the feed is not an array".into()];
    };
    let mut slugs = BTreeSet::new();
    let mut parents: BTreeMap<String, String> = BTreeMap::new();
    for (i, m) in items.iter().enumerate() {
        let Some(m) = m.as_object() else {
            errs.push(format!("#{i} is not an object"));
            continue;
        };
        let id = m
            .get("slug")
            .map(|s| s.to_string())
            .unwrap_or(format!("#{i}"));
        let mut err = |msg: String| errs.push(format!("{id}: {msg}"));
        for k in m.keys() {
            if !SPEC_FIELDS.contains(&k.as_str()) {
                err(format!("`{k}` is not a spec field"));
            }
        }
        let s = |k: &str| m.get(k).and_then(Value::as_str);
        // Required fields.
        match s("name") {
            Some(n) if !n.trim().is_empty() && n.chars().count() <= 255 => {}
            _ => err("`name` must be a non-empty string of at most 255 characters".into()),
        }
        match s("slug") {
            Some(sl) if sl.len() <= 64 && is_url_safe(sl) => {
                if !slugs.insert(sl.to_string()) {
                    err("`slug` is not unique".into());
                }
            }
            _ => err("`slug` must be a URL-safe string of at most 64 characters".into()),
        }
        // Lantern lists weekly meetings, so day and time are always there.
        // The spec also allows a list of days, but TSML UI loses records with one (issue
        // 10): Lantern writes one record per meeting-day.
        match m.get("day") {
            Some(d) if is_day(d) => {}
            other => err(format!("`day` must be one number 0-6, got {other:?}")),
        }
        // The spec asks every record for a place, an approximate one for online meetings
        // (its FAQ: "Chicago, IL, USA"); TSML UI drops a record without `formatted_address`
        // and the plugin's importer one without any address.
        if s("formatted_address").is_none_or(|a| a.trim().is_empty()) {
            err(
                "`formatted_address` is missing (online meetings need the site's `service_area`)"
                    .into(),
            );
        }
        if let Some(p) = m.get("conference_phone") {
            let ok = p.as_str().is_some_and(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ',' | '*' | '#'))
            });
            if !ok {
                err(format!(
                    "`conference_phone` may hold only digits and + , * #, got {p}"
                ));
            }
        }
        // One two-level tree across the feed: a sub_region always has the same region.
        if let (Some(r), Some(sr)) = (s("region"), s("sub_region")) {
            match parents.get(sr) {
                Some(other) if other != r => err(format!(
                    "sub_region `{sr}` is under `{r}` here and under `{other}` elsewhere"
                )),
                _ => {
                    parents.insert(sr.to_string(), r.to_string());
                }
            }
        }
        if !s("time").is_some_and(is_hhmm) {
            err("`time` must be HH:MM".into());
        }
        if m.contains_key("end_time") && !s("end_time").is_some_and(is_hhmm) {
            err("`end_time` must be HH:MM".into());
        }
        if m.contains_key("timezone")
            && s("timezone").is_none_or(|z| z.parse::<chrono_tz::Tz>().is_err())
        {
            err("`timezone` must be a tz database name".into());
        }
        match m.get("types") {
            None => {}
            Some(Value::Array(ts)) => {
                for t in ts {
                    match t.as_str() {
                        Some(c) if codes.contains(c) || custom.contains(c) => {}
                        _ => err(format!("type {t} is neither a spec type nor documented")),
                    }
                }
            }
            Some(_) => err("`types` must be an array".into()),
        }
        for k in [
            "notes",
            "location",
            "location_notes",
            "formatted_address",
            "address",
            "city",
            "state",
            "postal_code",
            "country",
            "region",
            "sub_region",
            "conference_url_notes",
            "conference_phone",
            "conference_phone_notes",
            "group",
            "entity",
            "entity_email",
            "entity_location",
            "entity_phone",
            "contact_1_email",
        ] {
            if m.contains_key(k) && s(k).is_none_or(|v| v.trim().is_empty()) {
                err(format!("`{k}` must be a non-empty string"));
            }
        }
        if s("notes").is_some_and(|n| n.contains("<p>") || n.contains("<br")) {
            err("`notes` must be plain text".into());
        }
        for k in ["latitude", "longitude"] {
            if m.contains_key(k) && !m[k].is_number() {
                err(format!("`{k}` must be a number"));
            }
        }
        if m.contains_key("latitude") != m.contains_key("longitude") {
            err("`latitude` and `longitude` come together".into());
        }
        if m.contains_key("approximate") && !matches!(s("approximate"), Some("yes" | "no")) {
            err("`approximate` must be \"yes\" or \"no\"".into());
        }
        if m.contains_key("sub_region") && !m.contains_key("region") {
            err("`sub_region` needs `region`".into());
        }
        if let Some(r) = m.get("regions") {
            let ok = r
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(|x| x.as_str().is_some()));
            if !ok {
                err("`regions` must be a list of names".into());
            }
            let list: Vec<&str> = r
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(reg) = s("region")
                && !list.contains(&reg)
            {
                err("`region` is not one of `regions`".into());
            }
        }
        for k in [
            "conference_url",
            "url",
            "edit_url",
            "entity_url",
            "entity_website_url",
        ] {
            if m.contains_key(k)
                && !s(k).is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
            {
                err(format!("`{k}` must be an absolute web address"));
            }
        }
        if m.contains_key("feedback_url")
            && !s("feedback_url").is_some_and(|u| u.starts_with("mailto:") || u.starts_with("http"))
        {
            err("`feedback_url` must be a mailto: or web address".into());
        }
        for k in ["feedback_emails", "entity_feedback_emails"] {
            if let Some(v) = m.get(k) {
                let ok = v.as_array().is_some_and(|a| {
                    a.iter()
                        .all(|e| e.as_str().is_some_and(|e| e.contains('@')))
                });
                if !ok {
                    err(format!("`{k}` must be a list of addresses"));
                }
            }
        }
        if let Some(u) = m.get("updated") {
            let ok = u.as_str().is_some_and(|u| {
                u.len() == 19
                    && chrono::NaiveDateTime::parse_from_str(u, "%Y-%m-%d %H:%M:%S").is_ok()
            });
            if !ok {
                err(format!(
                    "`updated` must be UTC YYYY-MM-DD HH:MM:SS, got {u}"
                ));
            }
        }
        if m.keys().any(|k| k.starts_with("entity_")) && !m.contains_key("entity") {
            err("entity fields need `entity`".into());
        }
        // Where it meets: an address for in-person meetings, a way in for online ones.
        let online = m.contains_key("conference_url") || m.contains_key("conference_phone");
        let geo = ["formatted_address", "address", "city", "state", "country"]
            .iter()
            .any(|k| m.contains_key(*k));
        if !online && !geo {
            err("an in-person meeting needs an address".into());
        }
        if !online && s("approximate") == Some("yes") {
            err("an in-person meeting's address must not be approximate".into());
        }
    }
    errs
}

/// The custom codes a built site documents in `/types.json`.
pub fn documented_custom(site: &Built) -> BTreeSet<String> {
    let v: Value = serde_json::from_str(&site.read("types.json")).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|t| t["custom"] == Value::Bool(true))
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect()
}

fn feed(site: &Built) -> Vec<Value> {
    serde_json::from_str(&site.read("meetings.json")).unwrap()
}

fn by_slug<'a>(feed: &'a [Value], slug: &str) -> &'a Value {
    feed.iter()
        .find(|m| m["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in the feed"))
}

#[test]
fn the_spec_check_catches_broken_feeds() {
    let custom = BTreeSet::from(["PARK".to_string()]);
    let bad = r#"[
        {"name": "", "slug": "a b", "day": 7, "time": "7:00", "types": ["ZZZ", "PARK"],
         "approximate": true, "updated": "2024-01-01", "entity_email": "x@y.z", "latitude": 1},
        {"name": "ok", "slug": "dup", "day": [1, 9], "time": "19:00", "city": "X",
         "timezone": "Mars/Base", "sub_region": "Y", "foo": 1},
        {"name": "ok", "slug": "dup", "day": 1, "time": "19:00", "end_time": "25:00"},
        {"name": "ok", "slug": "two", "day": [1, 2], "time": "19:00", "city": "X",
         "region": "A", "sub_region": "Downtown", "conference_phone": "+1 555 0100"},
        {"name": "ok", "slug": "three", "day": 1, "time": "19:00", "city": "X",
         "region": "B", "sub_region": "Downtown"}
    ]"#;
    let errs = check_feed(bad, &custom);
    for expected in [
        "`name` must be",
        "`slug` must be",
        "`day` must be",
        "\"two\": `day` must be one number",
        "`conference_phone` may hold only",
        "sub_region `Downtown` is under `B` here and under `A` elsewhere",
        "`time` must be",
        "ZZZ",
        "`approximate` must be",
        "`updated` must be",
        "entity fields need",
        "`latitude` and `longitude`",
        "`timezone` must be",
        "`sub_region` needs",
        "`foo` is not a spec field",
        "`slug` is not unique",
        "`end_time` must be",
        "needs an address",
        "\"three\": `formatted_address` is missing",
    ] {
        assert!(
            errs.iter().any(|e| e.contains(expected)),
            "missing {expected:?} in {errs:#?}"
        );
    }
    assert!(!errs.iter().any(|e| e.contains("PARK")), "{errs:#?}");
}

#[test]
fn example_and_fixture_feeds_follow_the_spec() {
    for site in [
        build(&repo()),
        build(&fixture("build", "small")),
        build(&fixture("feeds", "full")),
        build(&fixture("feeds", "world")),
        build(&fixture("feeds", "zones")),
    ] {
        let errs = check_feed(&site.read("meetings.json"), &documented_custom(&site));
        assert!(errs.is_empty(), "{errs:#?}");
        assert!(!feed(&site).is_empty());
    }
}

#[test]
fn feed_carries_every_field_the_site_knows() {
    let site = build(&fixture("feeds", "full"));
    let f = feed(&site);
    // One record per meeting-day, `<slug>_<day>`, each pointing at the one meeting page.
    let days: Vec<(&str, &Value)> = f
        .iter()
        .filter(|m| m["url"] == "https://aa.example.org/meetings/monday-night/")
        .map(|m| (m["slug"].as_str().unwrap(), &m["day"]))
        .collect();
    assert_eq!(
        days,
        [
            ("monday-night_mon", &serde_json::json!(1)),
            ("monday-night_wed", &serde_json::json!(3)),
            ("monday-night_fri", &serde_json::json!(5)),
        ]
    );
    assert!(f.iter().all(|m| m["slug"] != "monday-night"));
    let m = by_slug(&f, "monday-night_mon");
    assert_eq!(by_slug(&f, "monday-night_fri")["name"], m["name"]);
    assert_eq!(m["time"], "19:00");
    assert_eq!(m["end_time"], "20:30");
    assert_eq!(m["timezone"], "America/Chicago");
    assert_eq!(m["types"], serde_json::json!(["O", "D", "PARK"]));
    assert_eq!(
        m["notes"],
        "Ring the bell. See the map (https://maps.example.org/hall).\n\nCoffee from 6:30 pm."
    );
    assert_eq!(m["location"], "St. Mark's Hall");
    assert_eq!(m["location_notes"], "Side door; downstairs.");
    assert_eq!(
        m["formatted_address"],
        "123 Main St, Springfield, IL 62701, US"
    );
    assert_eq!(m["address"], "123 Main St");
    assert_eq!(m["postal_code"], "62701");
    assert_eq!(m["latitude"], 39.79901);
    assert_eq!(m["approximate"], "no");
    assert_eq!(m["region"], "Sangamon County");
    assert_eq!(m["sub_region"], "Springfield");
    assert_eq!(
        m["regions"],
        serde_json::json!(["Sangamon County", "Springfield"])
    );
    assert_eq!(m["group"], "Serenity Group");
    assert_eq!(m["contact_1_email"], "serenity@example.org");
    // TSML UI shows a contact's e-mail only under a name: the group's, never a person's.
    assert_eq!(m["contact_1_name"], "Serenity Group");
    assert_eq!(m["url"], "https://aa.example.org/meetings/monday-night/");
    assert_eq!(
        m["edit_url"],
        "https://git.example.org/aa/edit/main/content/meetings/monday-night.yaml"
    );
    assert_eq!(m["updated"], "2026-11-01 14:32:23");
    assert_eq!(
        m["feedback_emails"],
        serde_json::json!(["updates@aa.example.org"])
    );
    assert_eq!(m["entity"], "Example Intergroup");
    assert_eq!(m["entity_email"], "office@aa.example.org");
    assert_eq!(m["entity_phone"], "+1-555-010-0000");
    assert_eq!(m["entity_location"], "Example County, Illinois");
    assert_eq!(m["entity_url"], "https://aa.example.org/");
    assert!(m.get("conference_url").is_none());

    let h = by_slug(&f, "hybrid-noon");
    assert_eq!(h["conference_url"], "https://meet.example.org/j/123");
    assert_eq!(h["conference_url_notes"], "Passcode: noon");
    // Only the spec's dial characters: the record's spaces are for reading.
    assert_eq!(h["conference_phone"], "+15550100,,123#");
    assert_eq!(
        h["day"],
        serde_json::json!(2),
        "a one-day meeting keeps its slug"
    );
    assert_eq!(h["conference_phone_notes"], "Press # to join.");
    assert_eq!(h["approximate"], "no");
    assert_eq!(h["updated"], "2026-10-02 00:00:00");
    // Attendance is read from the fields, never sent as a type.
    assert_eq!(h["types"], serde_json::json!(["C", "BE"]));

    let o = by_slug(&f, "online-area");
    assert_eq!(o["approximate"], "yes");
    assert_eq!(o["formatted_address"], "Chicago, IL, USA");
    assert!(o.get("location").is_none(), "an area is not a place name");
    assert_eq!(o["name"], "Reunión en línea: Esperanza");
    assert_eq!(o["regions"], serde_json::json!(["Online"]));
    assert_eq!(o["region"], "Online");
    assert!(o.get("sub_region").is_none());

    // Nobody is sent to an approximate location: no page, not in the list or the sitemap.
    assert!(!site.exists("locations/chicago-area/index.html"));
    assert!(!site.read("locations/index.html").contains("Chicago, IL"));
    assert!(!site.read("sitemap.xml").contains("chicago-area"));
    let page = site.read("meetings/online-area/index.html");
    assert!(!page.contains("Chicago, IL"), "{page}");
    assert!(site.exists("locations/hall/index.html"));

    let c = by_slug(&f, "closed-for-now");
    assert_eq!(c["types"], serde_json::json!(["TC"]));
    // The spec knows only weekly meetings: a monthly one is listed with its schedule in words
    // opening its notes, so apps still show it and readers are told when it meets.
    let monthly = by_slug(&f, "monthly");
    assert!(
        monthly["notes"].as_str().unwrap().starts_with("The "),
        "{monthly}"
    );
}

/// The full fixture with its approximate area given coordinates, as an imported feed's area
/// often has: they must not make it a place to go anywhere.
fn with_area_coordinates() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    crate::common::copy_tree(&fixture("feeds", "full"), &site);
    std::fs::write(
        site.join("content/locations/chicago-area.yaml"),
        "name: Chicago, IL, USA\ncity: Chicago\nstate: IL\ncountry: USA\n\
         latitude: 41.87811\nlongitude: -87.62980\napproximate: true\n",
    )
    .unwrap();
    build(&site)
}

#[test]
fn an_approximate_area_is_never_a_place_to_go() {
    let site = with_area_coordinates();
    // The feed still says where the meeting comes from, marked approximate.
    let f = feed(&site);
    let o = by_slug(&f, "online-area");
    assert_eq!(o["formatted_address"], "Chicago, IL, USA");
    assert_eq!(o["approximate"], "yes");
    assert_eq!(o["latitude"], 41.87811);

    // Calendars: no LOCATION or GEO for it, and no feed of its own.
    let own = site.read("meetings/online-area/calendar.ics");
    assert!(own.contains("SUMMARY:Reunión en línea"), "{own}");
    assert!(!own.contains("LOCATION"), "{own}");
    assert!(!own.contains("GEO"), "{own}");
    let all = site.read("calendar.ics");
    assert!(!all.contains("Chicago, IL"), "{all}");
    assert!(!all.contains("41.87811"), "{all}");
    assert!(!site.exists("locations/chicago-area/calendar.ics"));
    assert!(site.exists("locations/hall/calendar.ics"));
    let hall = site.read("meetings/monday-night/calendar.ics");
    assert!(hall.contains("LOCATION:St. Mark's Hall"), "{hall}");

    // The finder: not in its places, so no distance to it and no name in its results.
    let index: Value = serde_json::from_str(&site.read("find/index.json")).unwrap();
    let places = index["locations"].as_array().unwrap();
    assert!(
        places
            .iter()
            .all(|l| l[0] != "Chicago, IL, USA" && l[3] != 41.87811),
        "{places:?}"
    );
    assert!(places.iter().any(|l| l[0] == "St. Mark's Hall"));
    let rows = index["meetings"].as_array().unwrap();
    let row = rows.iter().find(|r| r[0] == "online-area").unwrap();
    assert_eq!(row[3], -1, "{row}");
    assert_eq!(row[10], 1, "attendance online: {row}");
    // Every other meeting still points at its own place.
    let monday = rows.iter().find(|r| r[0] == "monday-night").unwrap();
    let at = monday[3].as_u64().unwrap() as usize;
    assert_eq!(places[at][0], "St. Mark's Hall");

    // Pages, the sitemap and JSON-LD name no place for it.
    assert!(!site.exists("locations/chicago-area/index.html"));
    assert!(!site.read("locations/index.html").contains("Chicago, IL"));
    assert!(!site.read("sitemap.xml").contains("chicago-area"));
    let page = site.read("meetings/online-area/index.html");
    assert!(!page.contains("Chicago, IL"), "{page}");
    assert!(!page.contains("41.87811"), "{page}");
    let ld = json_ld(&site, "online-area");
    assert_eq!(ld["location"]["@type"], "VirtualLocation", "{ld}");
    assert!(!ld.to_string().contains("Chicago, IL"), "{ld}");
}

#[test]
fn inactive_meetings_are_absent_and_closed_ones_carry_tc() {
    let site = build(&fixture("build", "small"));
    let f = feed(&site);
    assert!(f.iter().all(|m| m["slug"] != "gone"));
    let monthly = by_slug(&f, "first-and-third");
    assert_eq!(monthly["notes"], "The 1st and 3rd Wednesday of each month.");
    let closed = by_slug(&f, "closed-for-now");
    assert!(closed["types"].as_array().unwrap().contains(&"TC".into()));
    let online = by_slug(&f, "online-only_tue");
    assert_eq!(online["day"], serde_json::json!(2));
    assert_eq!(by_slug(&f, "online-only_thu")["day"], serde_json::json!(4));
    // No location of its own: the site's service area, approximate.
    assert_eq!(online["formatted_address"], "Springfield, IL, USA");
    assert_eq!(online["approximate"], "yes");
    assert_eq!(online["timezone"], "America/New_York");
}

#[test]
fn custom_types_are_documented_for_feed_readers() {
    let site = build(&fixture("feeds", "full"));
    let types: Value = serde_json::from_str(&site.read("types.json")).unwrap();
    let park = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "PARK")
        .unwrap();
    assert_eq!(park["name"], "Parking lot");
    assert_eq!(park["custom"], true);
    assert_eq!(park["description"], "Meets outdoors in the parking lot.");
    let open = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "O")
        .unwrap();
    assert_eq!(open["custom"], false);
    let page = site.read("types/index.html");
    assert!(page.contains("<code>PARK</code>"), "{page}");
    assert!(page.contains("types.json"));
    assert!(!page.contains("<code>O</code>"));
    let home = site.read("index.html");
    assert!(home.contains(
        r#"<link rel="alternate" type="application/json" title="Meetings Feed" href="https://aa.example.org/meetings.json">"#
    ));
}

#[test]
fn csv_has_the_plugin_layout_with_a_row_per_day() {
    let site = build(&fixture("feeds", "full"));
    let text = site.read("meetings.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        lantern::render::csv::COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    for col in [
        "Time", "End Time", "Day", "Name", "Location", "Address", "Types", "Slug",
    ] {
        assert!(headers.iter().any(|h| h == col), "{col}");
    }
    let rows: Vec<BTreeMap<String, String>> = rdr.deserialize().map(Result::unwrap).collect();
    // Published meetings, one row per day: 3 + 1 + 1 + 1 + 1, and the monthly one.
    assert_eq!(rows.len(), 8);
    let monday: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["Slug"] == "monday-night")
        .collect();
    let days: Vec<&str> = monday.iter().map(|r| r["Day"].as_str()).collect();
    assert_eq!(days, ["Monday", "Wednesday", "Friday"]);
    assert_eq!(monday[0]["Types"], "Open, Discussion, Parking lot");
    assert_eq!(
        monday[0]["Address"],
        "123 Main St, Springfield, IL 62701, US"
    );
    assert_eq!(monday[0]["Region"], "Sangamon County");
    assert_eq!(monday[0]["Sub Region"], "Springfield");
    let closed = rows.iter().find(|r| r["Slug"] == "closed-for-now").unwrap();
    assert_eq!(closed["Types"], "Location Temporarily Closed");
}

/// The JSON-LD object of a meeting page.
fn json_ld(site: &Built, slug: &str) -> Value {
    let html = site.read(&format!("meetings/{slug}/index.html"));
    let start_tag = r#"<script type="application/ld+json">"#;
    let start = html.find(start_tag).expect("JSON-LD script") + start_tag.len();
    let end = start + html[start..].find("</script>").unwrap();
    let json = &html[start..end];
    assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
    serde_json::from_str(json).unwrap()
}

#[test]
fn meeting_pages_carry_schema_org_events() {
    let site = build(&fixture("feeds", "full"));
    let days = |v: &Value| v["eventSchedule"]["byDay"].clone();

    let m = json_ld(&site, "monday-night");
    assert_eq!(m["@context"], "https://schema.org");
    assert_eq!(m["@type"], "Event");
    assert_eq!(m["name"], "Monday Night");
    assert_eq!(m["url"], "https://aa.example.org/meetings/monday-night/");
    let s = &m["eventSchedule"];
    assert_eq!(s["@type"], "Schedule");
    assert_eq!(
        days(&m),
        serde_json::json!([
            "https://schema.org/Monday",
            "https://schema.org/Wednesday",
            "https://schema.org/Friday"
        ])
    );
    assert_eq!(s["startTime"], "19:00");
    assert_eq!(s["endTime"], "20:30");
    assert_eq!(s["scheduleTimezone"], "America/Chicago");
    assert_eq!(s["repeatFrequency"], "P1W");
    assert_eq!(
        m["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    let place = &m["location"];
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["name"], "St. Mark's Hall");
    assert_eq!(place["address"]["@type"], "PostalAddress");
    assert_eq!(place["address"]["streetAddress"], "123 Main St");
    assert_eq!(place["address"]["addressLocality"], "Springfield");
    assert_eq!(place["address"]["addressRegion"], "IL");
    assert_eq!(place["address"]["postalCode"], "62701");
    assert_eq!(place["address"]["addressCountry"], "US");
    assert_eq!(place["geo"]["@type"], "GeoCoordinates");
    assert_eq!(place["geo"]["latitude"], 39.79901);
    assert_eq!(place["geo"]["longitude"], -89.64401);
    assert_eq!(m["organizer"]["name"], "Example Intergroup");

    let h = json_ld(&site, "hybrid-noon");
    assert_eq!(
        h["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let locs = h["location"]
        .as_array()
        .expect("a place and a virtual location");
    assert_eq!(locs[0]["@type"], "Place");
    assert_eq!(locs[1]["@type"], "VirtualLocation");
    assert_eq!(locs[1]["url"], "https://meet.example.org/j/123");

    let o = json_ld(&site, "online-area");
    assert_eq!(
        o["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(o["location"]["@type"], "VirtualLocation");
    assert_eq!(o["location"]["url"], "https://meet.example.org/j/456");

    let c = json_ld(&site, "closed-for-now");
    assert_eq!(c["eventStatus"], "https://schema.org/EventPostponed");

    let monthly = json_ld(&site, "monthly");
    assert_eq!(monthly["eventSchedule"]["repeatFrequency"], "P1M");
    assert_eq!(
        monthly["eventSchedule"]["byMonthWeek"],
        serde_json::json!([1])
    );

    // Record text cannot close the script element.
    let x = json_ld(&site, "hostile");
    assert_eq!(x["name"], "</script><script>alert(1)</script> & Co");
    let html = site.read("meetings/hostile/index.html");
    // Every closing tag closes one of the page's own script elements.
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script ").count(),
        "{html}"
    );
    assert!(html.contains(r"\u003c/script\u003e\u003cscript\u003e"));
}

#[test]
fn every_meeting_page_of_the_example_has_valid_json_ld() {
    let site = build(&repo());
    for m in feed(&site) {
        // A feed record is one day of a meeting; its page is the meeting's.
        let slug = m["url"]
            .as_str()
            .unwrap()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap();
        let ld = json_ld(&site, slug);
        assert_eq!(ld["@type"], "Event", "{slug}");
        assert!(
            ld["eventSchedule"]["byDay"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
        );
        let mode = ld["eventAttendanceMode"].as_str().unwrap();
        let online = m.get("conference_url").is_some() || m.get("conference_phone").is_some();
        let in_person = m.get("approximate").is_some_and(|a| a == "no");
        let want = match (in_person, online) {
            (true, true) => "https://schema.org/MixedEventAttendanceMode",
            (false, true) => "https://schema.org/OnlineEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        };
        assert_eq!(mode, want, "{slug}");
    }
}

/// Runs `lantern check` on a copy of the full fixture with one file replaced.
fn check_with(file: &str, text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    crate::common::copy_tree(&fixture("feeds", "full"), &site);
    std::fs::write(site.join("content").join(file), text).unwrap();
    let out = crate::common::lantern(&site, &["check"]);
    (out.status.success(), crate::common::stderr(&out))
}

#[test]
fn record_format_additions_are_checked() {
    // An approximate location is only for online meetings.
    let (ok, err) = check_with(
        "meetings/area-in-person.yaml",
        "name: Area\nday: monday\ntime: \"10:00\"\nlocation: chicago-area\n",
    );
    assert!(!ok);
    assert!(
        err.contains("content/meetings/area-in-person.yaml:4:11: this meeting's location is marked `approximate`, but it has no `online` details"),
        "{err}"
    );
    // `updated` takes a date or a UTC date and time, nothing else.
    let (ok, err) = check_with(
        "meetings/bad-updated.yaml",
        "name: Bad\nday: monday\ntime: \"10:00\"\nlocation: hall\nupdated: 2026-11-01T14:32\n",
    );
    assert!(!ok);
    assert!(
        err.contains("`2026-11-01T14:32` in `updated` is not a date"),
        "{err}"
    );
    // Derived codes stay out of records, `TC` included although the spec lists it.
    let (ok, err) = check_with(
        "meetings/tc.yaml",
        "name: TC\nday: monday\ntime: \"10:00\"\nlocation: hall\ntypes: [O, TC]\n",
    );
    assert!(!ok);
    assert!(err.contains("type `TC` is worked out by Lantern"), "{err}");
    // The feed needs the publisher's name with its other details.
    let (ok, err) = check_with(
        "site.yaml",
        "title: T\nbase_url: https://x.org/\ntimezone: UTC\nentity:\n  email: a@x.org\n",
    );
    assert!(!ok);
    assert!(err.contains("`entity` has details but no `name`"), "{err}");
    let (ok, err) = check_with(
        "locations/chicago-area.yaml",
        "name: Chicago\ncity: Chicago\napproximate: maybe\n",
    );
    assert!(!ok);
    assert!(
        err.contains("content/locations/chicago-area.yaml:3:14"),
        "{err}"
    );
}

#[test]
fn regions_form_one_two_level_tree_and_keep_their_full_path() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    crate::common::copy_tree(&fixture("feeds", "full"), &site);
    // A deeper path beside the fixture's [Sangamon County, Springfield]: region and
    // sub_region are the first two levels for both, never the last two.
    std::fs::write(
        site.join("content/meetings/deep.yaml"),
        "name: Deep\nday: [sunday, saturday]\ntime: \"10:00\"\nlocation: hall\n\
         region: [Sangamon County, Springfield, Downtown]\n",
    )
    .unwrap();
    let built = build(&site);
    let f = feed(&built);
    let errs = check_feed(&built.read("meetings.json"), &documented_custom(&built));
    assert!(errs.is_empty(), "{errs:#?}");
    for slug in ["deep_sun", "deep_sat"] {
        let d = by_slug(&f, slug);
        assert_eq!(d["region"], "Sangamon County");
        assert_eq!(d["sub_region"], "Springfield");
        assert_eq!(
            d["regions"],
            serde_json::json!(["Sangamon County", "Springfield", "Downtown"])
        );
        assert_eq!(d["url"], "https://aa.example.org/meetings/deep/");
    }
}

#[test]
fn a_multi_day_slug_must_leave_room_for_its_day() {
    let long = "a".repeat(61);
    let (ok, err) = check_with(
        "meetings/long.yaml",
        &format!(
            "name: Long\nslug: {long}\nday: [monday, friday]\ntime: \"10:00\"\nlocation: hall\n"
        ),
    );
    assert!(!ok, "{err}");
    assert!(
        err.contains("content/meetings/long.yaml:2:7")
            && err.contains("too long for a meeting on several days (at most 60 characters)")
            && err.contains("hint:"),
        "{err}"
    );
    // On one day the same slug keeps its own record, so it fits.
    let (ok, err) = check_with(
        "meetings/long.yaml",
        &format!("name: Long\nslug: {long}\nday: monday\ntime: \"10:00\"\nlocation: hall\n"),
    );
    assert!(ok, "{err}");
}

#[test]
fn names_over_the_specs_255_characters_are_refused() {
    // 255 characters is the spec's limit and is fine, whatever the characters' bytes.
    let ok = "é".repeat(255);
    let (fine, err) = check_with(
        "meetings/long-name.yaml",
        &format!("name: {ok}\nday: monday\ntime: \"10:00\"\nlocation: hall\n"),
    );
    assert!(fine, "{err}");
    let long = "Serenity ".repeat(29); // 261 characters, 260 after trimming
    let (fine, err) = check_with(
        "meetings/long-name.yaml",
        &format!("name: {long}\nday: monday\ntime: \"10:00\"\nlocation: hall\n"),
    );
    assert!(!fine);
    assert!(
        err.contains("content/meetings/long-name.yaml:1:7: `name` is 260 characters long; the Meeting Guide feed allows at most 255"),
        "{err}"
    );
    assert!(err.contains("hint: shorten the name"), "{err}");
    // A location's name goes into the feed too.
    let (fine, err) = check_with(
        "locations/hall.yaml",
        &format!(
            "name: {}\naddress: 1 Main St\ncity: Springfield\n",
            "x".repeat(256)
        ),
    );
    assert!(!fine);
    assert!(
        err.contains("content/locations/hall.yaml:1:7: `name` is 256 characters long"),
        "{err}"
    );
}
