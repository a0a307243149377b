//! `lantern import`: each source's quirks, round trips through `/meetings.json`, the report,
//! refusing to overwrite, and clear errors for broken input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::common::{Built, build, copy_tree, fixture, lantern, repo, stderr, stdout};
use crate::feeds::{check_feed, documented_custom};

fn input(source: &str, file: &str) -> PathBuf {
    fixture("import", source).join(file)
}

/// Runs `lantern import` and returns (stdout, stderr, success).
fn import(from: &str, file: &Path, site: &Path, extra: &[&str]) -> (String, String, bool) {
    let mut args = vec![
        "import",
        "--from",
        from,
        file.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = lantern(&repo(), &args);
    (stdout(&out), stderr(&out), out.status.success())
}

fn import_ok(from: &str, file: &Path, site: &Path) -> String {
    let (out, err, ok) = import(from, file, site, &[]);
    assert!(ok, "import failed:\n{out}\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    out
}

fn feed(site: &Built) -> Vec<Value> {
    serde_json::from_str(&site.read("meetings.json")).unwrap()
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn days(v: &Value) -> Vec<u64> {
    let mut d: Vec<u64> = match v {
        Value::Array(a) => a.iter().filter_map(Value::as_u64).collect(),
        other => other.as_u64().into_iter().collect(),
    };
    d.sort_unstable();
    d
}

/// A feed with each multi-day record split into one record per day, slugged as Lantern's
/// feed slugs them (docs/meeting-guide.md).
fn per_day(feed: &[Value]) -> Vec<Value> {
    const ABBR: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let mut out = Vec::new();
    for m in feed {
        let d = days(&m["day"]);
        if d.len() <= 1 {
            out.push(m.clone());
            continue;
        }
        for day in d {
            let mut one = m.clone();
            one["day"] = Value::from(day);
            one["slug"] = Value::from(format!(
                "{}_{}",
                m["slug"].as_str().unwrap(),
                ABBR[day as usize]
            ));
            out.push(one);
        }
    }
    out
}

fn plus_hour(t: &str) -> String {
    let h: u32 = t[..2].parse().unwrap();
    format!("{:02}{}", (h + 1) % 24, &t[2..])
}

fn formatted(m: &Map<String, Value>) -> String {
    if let Some(f) = m.get("formatted_address").and_then(Value::as_str) {
        return f.to_string();
    }
    let s = |k: &str| m.get(k).and_then(Value::as_str);
    let state_zip = [s("state"), s("postal_code")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [
        s("address"),
        s("city"),
        Some(state_zip.as_str()),
        s("country"),
    ]
    .into_iter()
    .flatten()
    .filter(|x| !x.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// Compares two feeds on every spec field the original has. What counts as the same:
/// `day` as a set of days; `types` as a set; an absent `end_time` is one hour after `time` and
/// an absent `timezone` the site's; `region`/`sub_region` are among `regions`; the
/// address parts print as `formatted_address`. Any other field of the original must be equal.
fn assert_equivalent(original: &[Value], rebuilt: &[Value], site_tz: &str, skip: &[&str]) {
    // Lantern writes a record per meeting-day (`<slug>_<day>` for a meeting on several
    // days): the original's multi-day records are compared day by day.
    let original = per_day(original);
    assert_eq!(original.len(), rebuilt.len(), "number of meeting-days");
    for o in original {
        let o = o.as_object().unwrap();
        let slug = o["slug"].as_str().unwrap();
        let n = rebuilt
            .iter()
            .find(|m| m["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} is missing after the round trip"))
            .as_object()
            .unwrap();
        for (k, v) in o {
            if skip.contains(&k.as_str()) {
                continue;
            }
            let got = n.get(k);
            let same = match k.as_str() {
                "day" => got.is_some_and(|g| days(g) == days(v)),
                "types" => {
                    let set = |x: &Value| -> BTreeSet<String> {
                        x.as_array()
                            .unwrap()
                            .iter()
                            .map(|t| t.as_str().unwrap().to_string())
                            .collect()
                    };
                    got.is_some_and(|g| set(g) == set(v))
                }
                // Only the spec's dial characters are written back.
                "conference_phone" => {
                    let dial: String = v
                        .as_str()
                        .unwrap()
                        .chars()
                        .filter(|c| c.is_ascii_digit() || "+,*#".contains(*c))
                        .collect();
                    got == Some(&Value::from(dial))
                }
                "formatted_address" => formatted(n) == *v,
                "region" | "sub_region" | "regions" => {
                    let regions = |m: &Map<String, Value>| -> Vec<String> {
                        match m.get("regions") {
                            Some(Value::Array(a)) => {
                                a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
                            }
                            _ => ["region", "sub_region"]
                                .iter()
                                .filter_map(|k| m.get(*k).and_then(Value::as_str))
                                .map(String::from)
                                .collect(),
                        }
                    };
                    let want = regions(o);
                    let have = regions(n);
                    match k.as_str() {
                        "regions" => have == want,
                        _ => {
                            have.ends_with(std::slice::from_ref(&v.as_str().unwrap().to_string()))
                                || have.iter().any(|r| r == v.as_str().unwrap())
                        }
                    }
                }
                _ => got == Some(v),
            };
            assert!(same, "{slug}: `{k}` was {v}, is {got:?}");
        }
        if !o.contains_key("end_time") {
            assert_eq!(
                n["end_time"].as_str().unwrap(),
                plus_hour(o["time"].as_str().unwrap()),
                "{slug}: default end time"
            );
        }
        if !o.contains_key("timezone") {
            assert_eq!(n["timezone"], site_tz, "{slug}: default time zone");
        }
        if !o.contains_key("location")
            && let Some(l) = n.get("location")
        {
            assert_eq!(
                l,
                &Value::from(formatted(o)),
                "{slug}: location named by address"
            );
        }
    }
}

#[test]
fn meeting_guide_feed_round_trips_through_a_fresh_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = input("meeting-guide", "feed.json");
    let out = import_ok("meeting-guide", &file, &site);
    assert!(
        out.contains("Imported 7 meetings and 3 new locations"),
        "{out}"
    );
    // The only thing it cannot keep is the site-less custom type's name.
    assert!(
        out.contains("type \"SHARE\" is not a Meeting Guide type"),
        "{out}"
    );

    let built = build(&site);
    let original: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let rebuilt = feed(&built);
    assert_equivalent(&original, &rebuilt, "America/Chicago", &[]);
    let errs = check_feed(&built.read("meetings.json"), &documented_custom(&built));
    assert!(errs.is_empty(), "{errs:#?}");

    // The records are readable YAML in the record format.
    let m = read(&site, "content/meetings/daily-reprieve.yaml");
    assert_eq!(
        m,
        "name: Daily Reprieve\nday: [monday, wednesday, friday]\ntime: \"07:00\"\ntypes: [O, D]\nlocation: alano-club\nregion: [Anytown, Downtown]\ncontact_email: reprieve@example.org\n"
    );
    // The online meeting's area is the site's, not a location of its own.
    assert!(!site.join("content/locations/anytown-ca-us.yaml").exists());
    assert!(
        out.contains("1 online meeting gives only the area \"Anytown, CA, US\": written once as `service_area`"),
        "{out}"
    );
    let site_yaml = read(&site, "content/site.yaml");
    assert!(
        site_yaml.contains("\nservice_area: Anytown, CA, US\n"),
        "{site_yaml}"
    );
    assert!(site_yaml.contains("title: District 123"), "{site_yaml}");
    assert!(site_yaml.contains("base_url: https://district123.example.org/"));
    assert!(site_yaml.contains("  - code: SHARE"));
    // Markdown-looking notes are escaped so they print back as the same plain text.
    let tokyo = read(&site, "content/meetings/tokyo-english.yaml");
    assert!(tokyo.contains(r"\\*Not\\*"), "{tokyo}");
}

#[test]
fn lanterns_own_feed_imports_and_builds_to_the_same_feed() {
    let example = build(&repo());
    let dir = tempfile::tempdir().unwrap();
    let feed_file = dir.path().join("meetings.json");
    std::fs::write(&feed_file, example.read("meetings.json")).unwrap();
    let site = dir.path().join("site");
    import_ok("meeting-guide", &feed_file, &site);
    let rebuilt = build(&site);
    // Byte for byte: the edit links even find the records in the same folders.
    assert_eq!(rebuilt.read("meetings.json"), example.read("meetings.json"));
    assert!(
        site.join("content/meetings/harbor-falls/harbor-falls-club.yaml")
            .exists()
    );
}

#[test]
fn lanterns_own_csv_imports_back() {
    let example = build(&fixture("feeds", "full"));
    let dir = tempfile::tempdir().unwrap();
    let csv_file = dir.path().join("meetings.csv");
    std::fs::write(&csv_file, example.read("meetings.csv")).unwrap();
    let site = dir.path().join("site");
    let out = import_ok("tsml-csv", &csv_file, &site);
    // The spreadsheet names custom types, so the name comes back and the code is made up.
    assert!(out.contains("type \"Parking lot\""), "{out}");
    let rebuilt = build(&site);
    let original = feed(&example);
    let again = feed(&rebuilt);
    // The spreadsheet has no site-wide or per-record file details, nor the custom code.
    let skip = [
        "url",
        "edit_url",
        "feedback_url",
        "feedback_emails",
        "entity",
        "entity_email",
        "entity_feedback_emails",
        "entity_location",
        "entity_phone",
        "entity_url",
        "entity_website_url",
        "types",
        "location",
        "address",
        "city",
        "state",
        "postal_code",
        "country",
        "approximate",
    ];
    assert_equivalent(&original, &again, "America/Chicago", &skip);
    let monday = again
        .iter()
        .find(|m| m["slug"] == "monday-night_mon")
        .unwrap();
    assert_eq!(monday["day"], serde_json::json!(1));
    assert_eq!(monday["types"], serde_json::json!(["O", "D", "PARKING-LO"]));
}

#[test]
fn tsml_csv_quirks() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = import_ok("tsml-csv", &input("tsml", "meetings.csv"), &site);
    assert!(out.contains("Imported 4 meetings"), "{out}");
    for reported in [
        "row 2 (After Work Topic Meeting): field `district` (\"District 4\")",
        "row 4 (T.G.I.F.): type \"Park Meeting\" is not a Meeting Guide type: kept as the custom type `PARK-MEETI`",
        "row 5 (Hora de Vivir – Señor): field `contact_1_name` ((a name))",
        "row 6 (Underground Online): online meeting with the address \"San Jose, CA, USA\" and no street: marked approximate",
        "row 7 (By Appointment): no `day`",
        "row 8 (Bad Time): `time` \"25:00\"",
    ] {
        assert!(out.contains(reported), "missing {reported:?} in\n{out}");
    }
    // A person's name never reaches the report.
    assert!(!out.contains("Maria"), "{out}");

    // Two rows, one slug, different days: one meeting on both days, 12-hour times read.
    let m = read(&site, "content/meetings/after-work-topic-meeting.yaml");
    assert!(m.contains("day: [monday, wednesday]"), "{m}");
    assert!(m.contains("time: \"18:00\""), "{m}");
    assert!(m.contains("types: [O, X]"), "{m}");
    assert!(m.contains("updated: \"2020-04-04 16:50:58\""), "{m}");
    let tgif = read(&site, "content/meetings/t-g-i-f.yaml");
    assert!(tgif.contains("types: [O, ST, PARK-MEETI]"), "{tgif}");
    assert!(tgif.contains("contact_email: tgif@example.org"), "{tgif}");
    let closed = read(&site, "content/meetings/hora-de-vivir.yaml");
    assert!(closed.contains("status: temporarily-closed"), "{closed}");
    assert!(closed.contains("types: [O, S]"), "{closed}");
    assert!(closed.contains("name: Hora de Vivir – Señor"), "{closed}");
    let online = read(&site, "content/meetings/underground-online.yaml");
    assert!(online.contains("types: [B, M, O]"), "{online}");
    assert!(
        online.contains("  url: https://us04web.zoom.example.org/j/9999999999"),
        "{online}"
    );
    let loc = read(&site, "content/locations/online.yaml");
    assert!(loc.contains("approximate: true"), "{loc}");

    let built = build(&site);
    let f = feed(&built);
    let u = f
        .iter()
        .find(|m| m["slug"] == "underground-online")
        .unwrap();
    assert_eq!(u["approximate"], "yes");
    assert_eq!(u["day"], 0);
    let errs = check_feed(&built.read("meetings.json"), &documented_custom(&built));
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn bmlt_quirks() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = import_ok("bmlt", &input("bmlt", "search.json"), &site);
    assert!(out.contains("Imported 3 meetings"), "{out}");
    for reported in [
        "meeting id 101: field `bus_lines` (\"23, 45\")",
        "meeting id 101: field `contact_name_1` ((a name))",
        "meeting id 105: not published on the server: skipped",
        "type \"JFT\" is not a Meeting Guide type: kept as the custom type `JFT`",
        "meeting id 106: `weekday_tinyint` \"9\" is not 1 (Sunday) to 7 (Saturday): skipped",
    ] {
        assert!(out.contains(reported), "missing {reported:?} in\n{out}");
    }
    assert!(!out.contains("Jordan"), "{out}");

    // Weekday 1 is Sunday and 4 Wednesday; BMLT's `B` is Beginners (BE), not Big Book (B);
    // start plus duration gives the end.
    let m = read(&site, "content/meetings/sunday-serenity.yaml");
    assert!(m.contains("day: [sunday, wednesday]"), "{m}");
    assert!(m.contains("types: [O, BE, X, JFT]"), "{m}");
    assert!(m.contains("end_time: \"20:30\""), "{m}");
    let site_yaml = read(&site, "content/site.yaml");
    assert!(site_yaml.contains("  - code: JFT\n    name: Just For Today\n    description: Reading from the Just for Today book.\n"), "{site_yaml}");
    assert!(
        site_yaml.contains("timezone: America/New_York"),
        "{site_yaml}"
    );
    let virt = read(&site, "content/meetings/reunion-virtual-esperanza.yaml");
    assert!(virt.contains("day: saturday"), "{virt}");
    assert!(virt.contains("types: [O, S]"), "{virt}");
    assert!(!virt.contains("end_time"), "{virt}");
    let hybrid = read(&site, "content/meetings/tuesday-lunch.yaml");
    assert!(hybrid.contains("status: temporarily-closed"), "{hybrid}");
    assert!(hybrid.contains("types: [C, SP]"), "{hybrid}");
    let loc = read(&site, "content/locations/st-luke-church.yaml");
    assert!(
        loc.contains("region: [Philadelphia County, Philadelphia, Center City]"),
        "{loc}"
    );

    let built = build(&site);
    let f = feed(&built);
    let v = f
        .iter()
        .find(|m| m["slug"] == "reunion-virtual-esperanza")
        .unwrap();
    assert_eq!(v["approximate"], "yes");
    assert_eq!(v["day"], 6);
    assert_eq!(v["end_time"], "22:00");
    let h = f.iter().find(|m| m["slug"] == "tuesday-lunch").unwrap();
    assert_eq!(h["approximate"], "no");
    assert!(h["types"].as_array().unwrap().contains(&"TC".into()));
    let errs = check_feed(&built.read("meetings.json"), &documented_custom(&built));
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn meeting_guide_quirks_are_reported_with_their_records() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = import_ok(
        "meeting-guide",
        &input("meeting-guide", "quirks.json"),
        &site,
    );
    for reported in [
        "meeting 1 (By Appointment): no `day`",
        "meeting 2 (Sunday Serenity #7): field `venmo` (\"@serenity7\")",
        "meeting 2 (Sunday Serenity #7): field `group_notes`",
        "meeting 2 (Sunday Serenity #7): field `contact_1_name` ((a name))",
        "meeting 2 (Sunday Serenity #7): `end_time` 6:30 PM equals `time`",
        "meeting 2 (Sunday Serenity #7): `timezone` \"Mars/Olympus\" is not a known time zone",
        "kept as the custom type `CANDLE-LIT`",
        "slug \"Sunday Serenity #7\" is used or not URL-safe: written as `sunday-serenity-7`",
        "meeting 3 (Numbered): `latitude`/`longitude` \"34.1\"/\"north\" are not a position",
        "meeting 3 (Numbered): `approximate` is \"yes\" but the meeting has no online details",
        "meeting 3 (Numbered): `contact_1_email` \"not an address\"",
        "meeting 4 (Numbered Again): `day` 7 is not a weekday",
        "meeting 3 (Numbered): type \"ONL\" says the meeting is online, but there is no conference URL or phone",
        "input: `entity_logo` (\"https://example.org/logo.svg\") has no place in site.yaml",
        "meeting 5: not a meeting object",
        "meeting 6 (Nowhere): no address and no online details",
        "`timezone` is UTC; set the site's own",
    ] {
        assert!(out.contains(reported), "missing {reported:?} in\n{out}");
    }
    assert!(!out.contains("Pat Q.") && !out.contains("jsmith"), "{out}");
    assert!(
        out.contains("meeting 7 (TSML Style): field `author` ((a name))"),
        "{out}"
    );
    // Database keys of the source are not worth a note.
    assert!(
        !out.contains("`id`") && !out.contains("location_id"),
        "{out}"
    );
    // TSML's attendance option: online at a street address means the address is only an
    // area; inactive means temporarily closed.
    let tsml = read(&site, "content/meetings/tsml-style.yaml");
    assert!(
        tsml.contains("location: \"12-oak-st-anytown-ca-98765-us\"\n"),
        "{tsml}"
    );
    let area = read(
        &site,
        "content/locations/12-oak-st-anytown-ca-98765-us.yaml",
    );
    assert!(area.contains("approximate: true"), "{area}");
    let closed = read(&site, "content/meetings/tsml-inactive.yaml");
    assert!(closed.contains("status: temporarily-closed"), "{closed}");
    assert!(
        closed.contains("location: \"12-oak-st-anytown-ca-98765-us-2\""),
        "{closed}"
    );
    let m = read(&site, "content/meetings/sunday-serenity-7.yaml");
    assert!(m.contains("status: temporarily-closed"), "{m}");
    assert!(m.contains("types: [O, CANDLE-LIT]"), "{m}");
    assert!(m.contains("name: \"Sunday Serenity #7\""), "{m}");
    assert!(site.join("content/meetings/42.yaml").exists());
    build(&site);
}

#[test]
fn never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = input("meeting-guide", "feed.json");
    import_ok("meeting-guide", &file, &site);
    let path = site.join("content/meetings/sunday-serenity.yaml");
    std::fs::write(
        &path,
        "name: Edited By Hand\nday: monday\ntime: \"10:00\"\nlocation: alano-club\n",
    )
    .unwrap();

    let (out, err, ok) = import("meeting-guide", &file, &site, &[]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("content/meetings/sunday-serenity.yaml"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(read(&site, "content/meetings/sunday-serenity.yaml").contains("Edited By Hand"));

    let (out, err, ok) = import("meeting-guide", &file, &site, &["--force"]);
    assert!(ok, "{out}{err}");
    assert!(!read(&site, "content/meetings/sunday-serenity.yaml").contains("Edited By Hand"));
    build(&site);
}

#[test]
fn imports_into_an_existing_site_and_adds_its_custom_types() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    let before = read(&site, "content/site.yaml");
    let out = import_ok("bmlt", &input("bmlt", "search.json"), &site);
    assert!(out.contains("Imported 3 meetings"), "{out}");
    let after = read(&site, "content/site.yaml");
    assert!(after.starts_with(before.trim_end()), "{after}");
    assert!(
        after.contains("  - code: JFT\n    name: Just For Today\n"),
        "{after}"
    );
    let built = build(&site);
    assert!(built.exists("meetings/sunday-serenity/index.html"));
    assert!(built.exists("meetings/monday-night/index.html"));
    // The site's time zone stays; meetings elsewhere say theirs.
    let m = read(&site, "content/locations/st-luke-church.yaml");
    assert!(m.contains("timezone: America/New_York"), "{m}");
}

#[test]
fn a_record_that_fails_the_checks_is_never_kept() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    // `types:` written as a flow list cannot take new entries; the read-back check fails and
    // every written file is removed again.
    let yaml = read(&site, "content/site.yaml");
    let start = yaml.find("types:").unwrap();
    let flow = format!("{}types: [ ]\n", &yaml[..start]);
    std::fs::write(site.join("content/site.yaml"), &flow).unwrap();
    std::fs::remove_file(site.join("content/meetings/monday-night.yaml")).unwrap();
    let (out, err, ok) = import("bmlt", &input("bmlt", "search.json"), &site, &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("nothing was kept"), "{err}");
    assert_eq!(read(&site, "content/site.yaml"), flow);
    assert!(!site.join("content/meetings/sunday-serenity.yaml").exists());
    assert!(!site.join("content/locations/st-luke-church.yaml").exists());
}

#[test]
fn broken_input_gives_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let cases: &[(&str, &str, &str)] = &[
        (
            "meeting-guide",
            "[{\"name\": ",
            "is not a Meeting Guide feed: invalid JSON",
        ),
        (
            "meeting-guide",
            "{\"name\": \"x\"}",
            "must be a JSON array of meetings",
        ),
        ("meeting-guide", "[]", "no meeting could be imported"),
        ("bmlt", "\"text\"", "expected an array of meetings"),
        (
            "bmlt",
            "{\"formats\": []}",
            "an object with a `meetings` array",
        ),
        (
            "tsml-csv",
            "Name,Location\nA,B\n",
            "the header row has no `Day` column",
        ),
        (
            "tsml-csv",
            "\u{0}\u{1}",
            "the header row has no `Name` column",
        ),
    ];
    for (from, text, expected) in cases {
        let file = dir.path().join("input.txt");
        std::fs::write(&file, text).unwrap();
        let (out, err, ok) = import(from, &file, &site, &[]);
        assert!(!ok, "{from} {text:?}: {out}");
        assert!(err.contains(expected), "{from} {text:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!site.exists(), "nothing is written for {text:?}");
    }
    std::fs::write(dir.path().join("bad.bin"), [0xff, 0xfe, 0x00]).unwrap();
    let (_, err, ok) = import("bmlt", &dir.path().join("bad.bin"), &site, &[]);
    assert!(!ok && err.contains("not UTF-8"), "{err}");
    let (_, err, ok) = import("bmlt", &dir.path().join("missing.json"), &site, &[]);
    assert!(!ok && err.contains("cannot read"), "{err}");
    let out = lantern(&repo(), &["import", "--from", "xml", "x", "--site", "y"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("meeting-guide"));
}

#[test]
fn custom_types_fit_the_sites_own() {
    let example = build(&fixture("feeds", "full"));
    let dir = tempfile::tempdir().unwrap();
    let csv_file = dir.path().join("meetings.csv");
    std::fs::write(&csv_file, example.read("meetings.csv")).unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("feeds", "full"), &site);
    std::fs::remove_dir_all(site.join("content/meetings")).unwrap();
    let out = import_ok("tsml-csv", &csv_file, &site);
    // "Parking lot" is the site's PARK, so that code is used and site.yaml stays as it was.
    assert!(
        out.contains("custom type `PARKING-LO` is written as `PARK`"),
        "{out}"
    );
    let m = read(&site, "content/meetings/monday-night.yaml");
    assert!(m.contains("types: [O, D, PARK]"), "{m}");
    assert_eq!(
        read(&site, "content/site.yaml"),
        std::fs::read_to_string(fixture("feeds", "full").join("content/site.yaml")).unwrap()
    );
    // Its locations are found by address instead of being written again.
    assert!(
        out.contains("Imported 6 meetings and 0 new locations (and 2 locations the site had)"),
        "{out}"
    );
    assert!(!site.join("content/locations/st-mark-s-hall.yaml").exists());
    assert!(read(&site, "content/meetings/monday-night.yaml").contains("location: hall\n"));
    assert!(read(&site, "content/meetings/online-area.yaml").contains("location: chicago-area\n"));
    build(&site);

    // A code the site uses for another type gets a new one.
    let dir2 = tempfile::tempdir().unwrap();
    let site2 = dir2.path().join("site");
    copy_tree(&fixture("build", "small"), &site2);
    let feed_file = dir2.path().join("feed.json");
    std::fs::write(
        &feed_file,
        r#"[{"name": "Park It", "slug": "park-it", "day": 1, "time": "10:00",
             "formatted_address": "9 Elm St, Springfield, IL 62701, US", "types": ["PARK"]}]"#,
    )
    .unwrap();
    let out = import_ok("meeting-guide", &feed_file, &site2);
    assert!(
        out.contains("custom type `PARK` is written as `PARK-2`"),
        "{out}"
    );
    assert!(read(&site2, "content/site.yaml").contains("  - code: PARK-2\n    name: PARK\n"));
    build(&site2);
}

/// A value that Lantern's own checks refuse (an e-mail like `bob@localhost`, a link with a
/// space, a control character, a region without letters, a day named twice) once failed the
/// whole import at the read-back check ("nothing was kept", or "internal error" for the day).
/// The import uses the validator's own field rules and leaves just that value out.
#[test]
fn a_value_lanterns_checks_refuse_is_left_out_not_the_whole_import() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = input("meeting-guide", "refused-fields.json");
    let (out, err, ok) = import("meeting-guide", &file, &site, &[]);
    assert!(ok, "{out}\n{err}");
    let expected = format!(
        "Imported 2 meetings and 1 new location from {} into {}.
Wrote 4 files:
  content/site.yaml
  content/locations/grace-hall.yaml
  content/meetings/spaced-link.yaml
  content/meetings/twice-on-sunday.yaml
Not carried over, or changed (9):
  input: `entity` holds a control character (U+0000), which is not text: removed
  meeting 1 (Twice On Sunday): `day` [0,0,1] names a day more than once: each day is kept once
  meeting 1 (Twice On Sunday): `contact_1_email` \"bob@localhost\" is not an e-mail address Lantern accepts (one address, user@example.org): left out
  meeting 2 (Spaced Link): `notes` holds a control character (U+001B), which is not text: removed
  meeting 2 (Spaced Link): `conference_url` \"https://zoom.us/j/123 456\" is not a web address Lantern accepts (http:// or https://, a host, no spaces or quotes): left out
  meeting 2 (Spaced Link): region \"—\" has no letters or digits to name it by: left out
  content/site.yaml: the input gives no meeting page addresses to learn the site's address from: `base_url` is https://example.org/; set it
  content/site.yaml: the input names no time zone: `timezone` is UTC; set the site's own
  content/site.yaml: `feedback_emails` \"help@localhost\" is not an e-mail address Lantern accepts (one address, user@example.org): `feedback_email` left out
Every written file was read back and checked. Run `lantern build` to see the site.
",
        file.display(),
        site.display()
    );
    assert_eq!(out, expected);
    assert_eq!(
        read(&site, "content/meetings/twice-on-sunday.yaml"),
        "name: Twice On Sunday\nday: [sunday, monday]\ntime: \"10:00\"\ntypes: [O]\nlocation: grace-hall\n"
    );
    assert_eq!(
        read(&site, "content/meetings/spaced-link.yaml"),
        "name: Spaced Link\nday: tuesday\ntime: \"19:00\"\nonline:\n  phone: \"+1 312 555 0100\"\nregion: [Springfield]\nnotes: \"Ring twice.[31m\"\n"
    );
    assert!(read(&site, "content/site.yaml").contains("title: District 9\n"));
    let built = build(&site);
    let f = feed(&built);
    // One record per meeting-day in the feed: the day listed twice is there once.
    let days: Vec<&serde_json::Value> = f
        .iter()
        .filter(|m| {
            m["url"]
                .as_str()
                .is_some_and(|u| u.ends_with("/meetings/twice-on-sunday/"))
        })
        .map(|m| &m["day"])
        .collect();
    assert_eq!(days, [&serde_json::json!(0), &serde_json::json!(1)]);
}

/// A German region's BMLT export: language formats keyed `fa` and `uk` once became custom
/// types `FA-2` "Farsi" and `UK-2` "Ukrainisch", and the second venue at one address lost its
/// name, notes and position to the first.
#[test]
fn bmlt_languages_and_two_venues_at_one_address() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = input("bmlt", "berlin.json");
    let out = import_ok("bmlt", &file, &site);
    assert!(
        out.starts_with("Imported 3 meetings and 2 new locations from "),
        "{out}"
    );
    assert!(!out.contains("custom type"), "{out}");
    assert!(!out.contains("differs from"), "{out}");
    for (file, types) in [
        ("farsi-meeting", "types: [O, FA]\n"),
        ("ukrainisch-sprechende-gruppe", "types: [C, UK]\n"),
        ("deutsch-und-english", "types: [O, DE, EN]\n"),
    ] {
        let m = read(&site, &format!("content/meetings/{file}.yaml"));
        assert!(m.contains(types), "{m}");
    }
    assert!(!read(&site, "content/site.yaml").contains("types:"));
    let maneo = read(&site, "content/locations/mann-o-meter-eingang-maneo.yaml");
    assert!(
        maneo.starts_with("name: Mann-o-Meter, Eingang MANEO\naddress: Bülowstraße 106\n"),
        "{maneo}"
    );
    // `location_city_subsection` is the last region level.
    assert!(maneo.contains("region: [Berlin, Schöneberg]\n"), "{maneo}");
    assert!(
        maneo.contains("latitude: 52.4969\nlongitude: 13.3621\n"),
        "{maneo}"
    );
    assert!(
        maneo.contains("notes: Bitte ausschließlich die untere Klingel benutzen.\n"),
        "{maneo}"
    );
    let dnd = read(&site, "content/locations/dnd-drogennotdienst.yaml");
    assert!(dnd.contains("notes: 2. Stock\n"), "{dnd}");
    assert!(
        read(&site, "content/meetings/ukrainisch-sprechende-gruppe.yaml")
            .contains("location: mann-o-meter-eingang-maneo\n")
    );
    let built = build(&site);
    let f = feed(&built);
    let uk = f
        .iter()
        .find(|m| m["slug"] == "ukrainisch-sprechende-gruppe")
        .unwrap();
    assert_eq!(uk["location"], "Mann-o-Meter, Eingang MANEO");
    assert_eq!(uk["types"], serde_json::json!(["C", "UK"]));
}

/// An online meeting with no venue once got a location named after the meeting (or after
/// "Zoom", with a position that made it read as hybrid), so the feed's `location` repeated
/// the meeting's name. It gets no location record.
#[test]
fn an_online_meeting_without_a_venue_gets_no_location() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = dir.path().join("feed.json");
    std::fs::write(
        &file,
        r#"[{"name": "Morning Online", "slug": "morning-online", "day": 1, "time": "07:00",
             "latitude": 41.88, "longitude": -87.63, "timezone": "America/Chicago",
             "conference_url": "https://zoom.us/j/1"},
            {"name": "Zoom Night", "slug": "zoom-night", "day": 2, "time": "20:00",
             "location": "Zoom", "latitude": "41.9", "longitude": "-87.6",
             "timezone": "America/Chicago", "conference_phone": "+1 312 555 0100"}]"#,
    )
    .unwrap();
    let out = import_ok("meeting-guide", &file, &site);
    assert!(
        out.starts_with("Imported 2 meetings and 0 new locations from "),
        "{out}"
    );
    assert!(out.contains("  meeting 1 (Morning Online): position 41.88/-87.63 without an address, and the meeting is online: left out (an online meeting has no location)\n"), "{out}");
    assert!(out.contains("  meeting 2 (Zoom Night): location \"Zoom\" and position 41.9/-87.6 without an address, and the meeting is online: left out (an online meeting has no location)\n"), "{out}");
    assert!(!site.join("content/locations").exists());
    let built = build(&site);
    for m in feed(&built) {
        assert!(m.get("location").is_none(), "{m}");
        assert!(m.get("latitude").is_none(), "{m}");
    }
}

/// Meetings imported into an existing site once took its time zone in silence: Berlin
/// meetings became America/Chicago. A zone the source gives is kept; without one the report
/// says which zone was assumed for how many meetings, and warns about far-off positions.
#[test]
fn time_zones_are_kept_or_the_assumed_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let init = lantern(dir.path(), &["init", "site"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let (out, err, ok) = import("bmlt", &input("bmlt", "berlin.json"), &site, &[]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("Not carried over, or changed (2):\n  input: 3 meetings name no time zone: America/Chicago (the site's time zone) is assumed for them\n  input: warning: 2 locations lie far from America/Chicago, the time zone their meetings take: `dnd-drogennotdienst` at 52.4967, 13.3617 is about 6 hours from it by its longitude; if that is wrong, set `timezone` on those locations or in content/site.yaml\n"), "{out}");

    // The same export with its zone: kept on the locations, nothing to report.
    let site2 = dir.path().join("site2");
    let init = lantern(dir.path(), &["init", "site2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let with_zone = read(&input("bmlt", ""), "berlin.json")
        .replace("\"time_zone\": \"\"", "\"time_zone\": \"Europe/Berlin\"");
    let file = dir.path().join("berlin-zoned.json");
    std::fs::write(&file, with_zone).unwrap();
    let out = import_ok("bmlt", &file, &site2);
    assert!(
        out.contains("Every field and value was carried over."),
        "{out}"
    );
    let loc = read(&site2, "content/locations/mann-o-meter-eingang-maneo.yaml");
    assert!(loc.contains("timezone: Europe/Berlin\n"), "{loc}");
    let built = build(&site2);
    for m in feed(&built)
        .iter()
        // The meetings `lantern init` wrote (one of them on several days, so several records).
        .filter(|m| {
            let url = m["url"].as_str().unwrap_or("");
            !url.ends_with("/monday-night-group/") && !url.ends_with("/online-morning/")
        })
    {
        assert_eq!(m["timezone"], "Europe/Berlin", "{m}");
    }
}

/// An export in the exact column layout of the plugin's own `template.csv` (every column,
/// in its order): the report word for word, and the meetings back out of `/meetings.json`.
#[test]
fn tsml_template_layout_round_trips_with_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = input("tsml", "template-export.csv");
    let out = import_ok("tsml-csv", &file, &site);
    let expected = format!(
        "Imported 2 meetings and 1 new location from {} into {}.
Wrote 4 files:
  content/site.yaml
  content/locations/grace-church.yaml
  content/meetings/evening-reflections.yaml
  content/meetings/sunrise-online.yaml
Not carried over, or changed (6):
  row 2 (Evening Reflections): field `venmo` (\"@reflect\") has no place in Lantern's records; not imported
  row 3 (Evening Reflections): field `venmo` (\"@reflect\") has no place in Lantern's records; not imported
  row 4 (Sunrise Online): field `contact_1_name` ((a name)) has no place in Lantern's records; not imported
  row 4 (Sunrise Online): online meeting with the address \"Springfield, IL, USA\" and no street: marked approximate
  content/site.yaml: 1 online meeting gives only the area \"Springfield, IL, USA\": written once as `service_area`, not as a location
  content/site.yaml: the input gives no meeting page addresses to learn the site's address from: `base_url` is https://example.org/; set it
Every written file was read back and checked. Run `lantern build` to see the site.
",
        file.display(),
        site.display()
    );
    assert_eq!(out, expected);
    let built = build(&site);
    let f = feed(&built);
    // A meeting on Monday and Thursday: one record per day, each slug naming its day.
    let e = f
        .iter()
        .find(|m| m["slug"] == "evening-reflections_mon")
        .unwrap();
    assert_eq!(e["day"], 1);
    assert!(
        f.iter()
            .any(|m| m["slug"] == "evening-reflections_thu" && m["day"] == 4)
    );
    assert_eq!(e["time"], "18:00");
    assert_eq!(e["location"], "Grace Church");
    assert_eq!(e["location_notes"], "Use the side door.");
    assert_eq!(
        e["formatted_address"],
        "100 Oak St, Springfield, IL 62701, USA"
    );
    assert_eq!(e["regions"], serde_json::json!(["Springfield", "Downtown"]));
    assert_eq!(e["types"], serde_json::json!(["O", "D", "X"]));
    assert_eq!(e["group"], "Reflections Group");
    assert_eq!(e["updated"], "2024-05-01 12:00:00");
    let s = f.iter().find(|m| m["slug"] == "sunrise-online").unwrap();
    assert_eq!(s["day"], 6);
    assert_eq!(
        (&s["time"], &s["end_time"]),
        (&"07:30".into(), &"08:30".into())
    );
    assert_eq!(s["conference_url"], "https://zoom.example.org/j/555");
    assert_eq!(s["contact_1_email"], "sunrise@example.org");
    assert_eq!(s["approximate"], "yes");
    assert_eq!(s["timezone"], "America/Chicago");
    let errs = check_feed(&built.read("meetings.json"), &documented_custom(&built));
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn a_name_over_the_specs_limit_is_cut_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let file = dir.path().join("long.json");
    let long = format!("{} Group", "Very Long Name".repeat(20));
    std::fs::write(
        &file,
        serde_json::json!([{
            "name": long, "slug": "long", "day": 1, "time": "19:00",
            "location": "Hall ".repeat(60), "formatted_address": "1 Main St, Springfield, IL 62701, US",
            "timezone": "America/Chicago"
        }])
        .to_string(),
    )
    .unwrap();
    let out = import_ok("meeting-guide", &file, &site);
    assert!(
        out.contains("`name` is 286 characters long, over the Meeting Guide limit of 255: cut to 247 characters"),
        "{out}"
    );
    assert!(
        out.contains("`location` is 299 characters long, over the Meeting Guide limit of 255: cut to 254 characters"),
        "{out}"
    );
    let built = build(&site);
    let f = feed(&built);
    let name = f[0]["name"].as_str().unwrap();
    assert!(
        name.starts_with("Very Long NameVery") && name.chars().count() <= 255,
        "{name}"
    );
}

/// Online meetings that give one shared area (as Lantern's own feed gives its `service_area`)
/// import as that `service_area`, not as a location record per area; the area of an existing
/// site counts only when it is the same; different areas stay locations.
#[test]
fn one_shared_area_of_online_meetings_imports_as_the_service_area() {
    let online = |slug: &str, area: &str| {
        serde_json::json!({
            "name": format!("Online {slug}"), "slug": slug, "day": 1, "time": "19:00",
            "timezone": "America/Chicago", "types": ["O"],
            "conference_url": "https://zoom.us/j/123456789",
            "formatted_address": area, "approximate": "yes",
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, records: Vec<Value>| {
        let f = dir.path().join(name);
        std::fs::write(&f, Value::Array(records).to_string()).unwrap();
        f
    };
    let same = write(
        "same.json",
        vec![
            online("a", "Springfield, IL, USA"),
            online("b", "Springfield, IL, USA"),
        ],
    );

    // A new site: the area is written once, in site.yaml.
    let fresh = dir.path().join("fresh");
    let out = import_ok("meeting-guide", &same, &fresh);
    assert!(
        out.contains("2 online meetings give only the area \"Springfield, IL, USA\": written once as `service_area`, not as a location"),
        "{out}"
    );
    assert!(read(&fresh, "content/site.yaml").contains("\nservice_area: Springfield, IL, USA\n"));
    assert!(!fresh.join("content/locations").exists());
    let f = feed(&build(&fresh));
    for m in &f {
        assert_eq!(m["formatted_address"], "Springfield, IL, USA", "{m}");
        assert_eq!(m["approximate"], "yes", "{m}");
    }

    // An existing site whose own service_area it is: no location either.
    let small = dir.path().join("small");
    copy_tree(&fixture("build", "small"), &small);
    let out = import_ok("meeting-guide", &same, &small);
    assert!(
        out.contains("2 online meetings give only the site's own `service_area` \"Springfield, IL, USA\": no location written for them"),
        "{out}"
    );
    assert!(
        !small
            .join("content/locations/springfield-il-usa.yaml")
            .exists()
    );

    // Two areas: each is a location of its own, and the site gets no service_area.
    let mixed = write(
        "mixed.json",
        vec![
            online("a", "Springfield, IL, USA"),
            online("b", "Peoria, IL, USA"),
        ],
    );
    let two = dir.path().join("two");
    let out = import_ok("meeting-guide", &mixed, &two);
    assert!(!out.contains("service_area"), "{out}");
    assert!(!read(&two, "content/site.yaml").contains("service_area"));
    assert!(
        two.join("content/locations/springfield-il-usa.yaml")
            .exists()
    );
    assert!(two.join("content/locations/peoria-il-usa.yaml").exists());
}
