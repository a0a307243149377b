//! Calendar feeds: the project's own lint over every feed of the example and fixture sites,
//! each VTIMEZONE compared hour by hour with the IANA data, and the recurrence details.
//! (Independent parsers check the same feeds in `tests/feeds/`, run by `scripts/test`.)

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use lantern::render::ical::fold::{lint, unfold};

use crate::common::{Built, build, fixture, repo};

fn feeds(site: &Built) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| f.ends_with(".ics"))
        .collect()
}

/// The content lines of the VEVENT whose UID is `uid`.
fn event(feed: &str, uid: &str) -> Vec<String> {
    let lines = unfold(feed);
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut inside = false;
    for l in lines {
        if l == "BEGIN:VEVENT" {
            inside = true;
            current.clear();
        }
        if inside {
            current.push(l.clone());
        }
        if l == "END:VEVENT" {
            inside = false;
            if current.iter().any(|c| c == &format!("UID:{uid}")) {
                out = current.clone();
            }
        }
    }
    out
}

fn prop<'a>(event: &'a [String], name: &str) -> Vec<&'a str> {
    event
        .iter()
        .filter(|l| l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name};")))
        .map(String::as_str)
        .collect()
}

/// One VTIMEZONE observance as written in a feed.
struct Obs {
    start: NaiveDateTime,
    from: i32,
    to: i32,
    /// (month, nth, weekday) of a yearly rule.
    rule: Option<(u32, i32, Weekday)>,
    /// Listed onsets (local time in `from`).
    rdates: Vec<NaiveDateTime>,
}

fn parse_offset(s: &str) -> i32 {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let h: i32 = s[1..3].parse().unwrap();
    let m: i32 = s[3..5].parse().unwrap();
    let sec: i32 = if s.len() > 5 {
        s[5..7].parse().unwrap()
    } else {
        0
    };
    sign * (h * 3600 + m * 60 + sec)
}

fn weekday(code: &str) -> Weekday {
    match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        other => panic!("weekday {other}"),
    }
}

/// Parses one VTIMEZONE's content lines: (TZID, observances).
fn parse_vtimezone(lines: &[String]) -> (String, Vec<Obs>) {
    let mut tzid = String::new();
    let mut obs = Vec::new();
    let mut cur: Option<Obs> = None;
    for l in lines {
        let (k, v) = l.split_once(':').unwrap();
        match k {
            "TZID" => tzid = v.to_string(),
            "BEGIN" if v == "STANDARD" || v == "DAYLIGHT" => {
                cur = Some(Obs {
                    start: NaiveDateTime::MIN,
                    from: 0,
                    to: 0,
                    rule: None,
                    rdates: Vec::new(),
                })
            }
            "END" if v == "STANDARD" || v == "DAYLIGHT" => obs.push(cur.take().unwrap()),
            "DTSTART" => {
                cur.as_mut().unwrap().start =
                    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").unwrap()
            }
            "RDATE" => cur.as_mut().unwrap().rdates.extend(
                v.split(',')
                    .map(|d| NaiveDateTime::parse_from_str(d, "%Y%m%dT%H%M%S").unwrap()),
            ),
            "TZOFFSETFROM" => cur.as_mut().unwrap().from = parse_offset(v),
            "TZOFFSETTO" => cur.as_mut().unwrap().to = parse_offset(v),
            "RRULE" => {
                let mut month = 0;
                let mut byday = "";
                for part in v.split(';') {
                    let (pk, pv) = part.split_once('=').unwrap();
                    match pk {
                        "FREQ" => assert_eq!(pv, "YEARLY"),
                        "BYMONTH" => month = pv.parse().unwrap(),
                        "BYDAY" => byday = pv,
                        other => panic!("unexpected RRULE part {other} in {tzid}"),
                    }
                }
                let (n, d) = byday.split_at(byday.len() - 2);
                cur.as_mut().unwrap().rule = Some((month, n.parse().unwrap(), weekday(d)));
            }
            _ => {}
        }
    }
    (tzid, obs)
}

/// The onsets (UTC) of `o` that can be the latest at a time in `year`.
fn onsets(o: &Obs, year: i32) -> Vec<NaiveDateTime> {
    let local: Vec<NaiveDateTime> = match o.rule {
        None => std::iter::once(o.start)
            .chain(o.rdates.iter().copied())
            .collect(),
        Some((month, nth, wd)) => (year - 1..=year)
            .filter_map(|year| {
                let date = if nth > 0 {
                    NaiveDate::from_weekday_of_month_opt(year, month, wd, nth as u8)?
                } else {
                    let mut d = NaiveDate::from_ymd_opt(year, month, 1)?
                        .checked_add_months(chrono::Months::new(1))?
                        .pred_opt()?;
                    while d.weekday() != wd {
                        d = d.pred_opt()?;
                    }
                    d
                };
                Some(date.and_time(o.start.time()))
            })
            .collect(),
    };
    local
        .into_iter()
        .filter(|l| *l >= o.start)
        .map(|l| l - Duration::seconds(i64::from(o.from)))
        .collect()
}

/// Every VTIMEZONE in `feed` agrees with chrono-tz's IANA data every hour of 2026-2031.
fn check_vtimezones(feed: &str, checked: &mut BTreeSet<String>) {
    let lines = unfold(feed);
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "BEGIN:VTIMEZONE" {
            let end = i + lines[i..]
                .iter()
                .position(|l| l == "END:VTIMEZONE")
                .unwrap();
            let block = &lines[i..=end];
            let key = block.join("\n");
            if checked.insert(key) {
                let (tzid, obs) = parse_vtimezone(block);
                let tz: chrono_tz::Tz = tzid.parse().unwrap();
                let mut t = NaiveDate::from_ymd_opt(2026, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap();
                let end_t = NaiveDate::from_ymd_opt(2032, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap();
                while t < end_t {
                    let ours = obs
                        .iter()
                        .flat_map(|o| onsets(o, t.year()).into_iter().map(|s| (s, o.to)))
                        .filter(|(s, _)| *s <= t)
                        .max()
                        .map(|(_, off)| off);
                    let iana = {
                        use chrono::Offset;
                        tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
                    };
                    assert_eq!(ours, Some(iana), "{tzid} at {t} UTC");
                    t += Duration::hours(1);
                }
            }
            i = end;
        }
        i += 1;
    }
}

fn lint_site(site: &Built) -> usize {
    let mut checked = BTreeSet::new();
    let files = feeds(site);
    for f in &files {
        let text = site.read(f);
        let problems = lint(&text);
        assert!(problems.is_empty(), "{f}: {problems:#?}");
        check_vtimezones(&text, &mut checked);
    }
    assert!(!checked.is_empty());
    files.len()
}

#[test]
fn every_feed_of_the_example_and_fixtures_passes_the_lint() {
    let example = build(&repo());
    let n = lint_site(&example);
    assert!(n > 40, "{n} feeds");
    for name in [
        "Australia/Sydney",
        "America/Los_Angeles",
        "America/New_York",
    ] {
        assert!(
            example
                .read("calendar.ics")
                .contains(&format!("TZID:{name}\r\n"))
        );
    }
    lint_site(&build(&fixture("build", "small")));
    let zones = build(&fixture("feeds", "zones"));
    lint_site(&zones);
    let all = zones.read("calendar.ics");
    for tz in [
        "Europe/London",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Asia/Kolkata",
        "America/St_Johns",
        "America/Sao_Paulo",
        "Asia/Tokyo",
        "UTC",
    ] {
        assert!(all.contains(&format!("TZID:{tz}\r\n")), "{tz}");
    }
}

#[test]
fn every_page_with_a_feed_offers_it_three_ways() {
    let site = build(&fixture("build", "small"));
    for (page, feed) in [
        ("index.html", "calendar.ics"),
        (
            "meetings/monday-night/index.html",
            "meetings/monday-night/calendar.ics",
        ),
        (
            "regions/sangamon-county/springfield/index.html",
            "regions/sangamon-county/springfield/calendar.ics",
        ),
        ("locations/hall/index.html", "locations/hall/calendar.ics"),
        ("types/open/index.html", "types/open/calendar.ics"),
    ] {
        let html = site.read(page);
        assert!(site.exists(feed), "{feed}");
        assert!(
            html.contains(&format!(r#"href="webcal://example.org/meetings/{feed}""#)),
            "{page}"
        );
        let google = format!(
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample%2Eorg%2Fmeetings%2F{}",
            feed.replace('/', "%2F")
                .replace('.', "%2E")
                .replace('-', "%2D")
        );
        assert!(html.contains(&google), "{page}: {google}");
        assert!(
            html.contains(&format!(r#"href="/meetings/{feed}" download"#)),
            "{page}"
        );
        assert!(html.contains("Add to Google Calendar"));
    }
}

#[test]
fn events_are_identical_in_every_feed_they_appear_in() {
    let site = build(&fixture("feeds", "zones"));
    let uid = "ny-monday@feeds.example.net";
    let own = event(&site.read("meetings/ny-monday/calendar.ics"), uid);
    assert!(!own.is_empty());
    for f in [
        "calendar.ics",
        "regions/usa/calendar.ics",
        "regions/usa/new-york/calendar.ics",
        "types/open/calendar.ics",
        "locations/midtown-hall/calendar.ics",
    ] {
        assert_eq!(event(&site.read(f), uid), own, "{f}");
    }
    // A meeting on two days is two events with their own UIDs.
    let two = site.read("meetings/ny-two-days/calendar.ics");
    assert!(!event(&two, "ny-two-days-monday@feeds.example.net").is_empty());
    assert!(!event(&two, "ny-two-days-wednesday@feeds.example.net").is_empty());
}

#[test]
fn recurrence_is_anchored_and_consistent() {
    let site = build(&fixture("feeds", "zones"));
    let all = site.read("calendar.ics");
    let ev = |uid: &str| event(&all, &format!("{uid}@feeds.example.net"));

    let ny = ev("ny-monday");
    assert_eq!(
        prop(&ny, "DTSTART"),
        ["DTSTART;TZID=America/New_York:20260105T190000"]
    );
    assert_eq!(
        prop(&ny, "DTEND"),
        ["DTEND;TZID=America/New_York:20260105T200000"]
    );
    assert_eq!(prop(&ny, "RRULE"), ["RRULE:FREQ=WEEKLY;BYDAY=MO"]);
    assert_eq!(
        prop(&ny, "EXDATE"),
        ["EXDATE;TZID=America/New_York:20260316T190000"]
    );
    assert_eq!(prop(&ny, "DTSTAMP"), ["DTSTAMP:20261001T000000Z"]);
    assert_eq!(prop(&ny, "GEO"), ["GEO:40.7527;-73.9832"]);

    let syd = ev("sydney-last-saturday");
    assert_eq!(
        prop(&syd, "DTSTART"),
        ["DTSTART;TZID=Australia/Sydney:20260131T080000"]
    );
    assert_eq!(prop(&syd, "RRULE"), ["RRULE:FREQ=MONTHLY;BYDAY=-1SA"]);

    let tokyo = ev("tokyo-first-third");
    assert_eq!(
        prop(&tokyo, "DTSTART"),
        ["DTSTART;TZID=Asia/Tokyo:20260104T140000"]
    );
    assert_eq!(prop(&tokyo, "RRULE"), ["RRULE:FREQ=MONTHLY;BYDAY=1SU,3SU"]);

    let akl = ev("auckland-fortnightly");
    assert_eq!(
        prop(&akl, "DTSTART"),
        ["DTSTART;TZID=Pacific/Auckland:20260204T193000"]
    );
    assert_eq!(
        prop(&akl, "RRULE"),
        ["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"]
    );

    let late = ev("st-johns-late");
    assert_eq!(
        prop(&late, "DTSTART"),
        ["DTSTART;TZID=America/St_Johns:20260105T233000"]
    );
    assert_eq!(
        prop(&late, "DTEND"),
        ["DTEND;TZID=America/St_Johns:20260106T003000"]
    );

    // Closed until 2026-03-02: every Monday from the anchor until then is excluded.
    let closed = ev("closed-until-march");
    assert_eq!(
        prop(&closed, "EXDATE"),
        [
            "EXDATE;TZID=America/New_York:20260105T190000,20260112T190000,20260119T190000,\
          20260126T190000,20260202T190000,20260209T190000,20260216T190000,20260223T190000"
        ]
    );
    // Closed with no date: in no feed, but its own feed stays valid for subscribers.
    assert!(!all.contains("closed-indefinitely@"));
    let own = site.read("meetings/closed-indefinitely/calendar.ics");
    assert!(!own.contains("BEGIN:VEVENT"));
    assert!(own.contains("BEGIN:VTIMEZONE"));

    let online = ev("london-tuesday");
    assert!(
        online.contains(
            &"CONFERENCE;FEATURE=VIDEO;LABEL=Join online;VALUE=URI:https://meet.example.net/j/3"
                .to_string()
        ),
        "{online:#?}"
    );
    let header = unfold(&all);
    assert!(header.contains(&"REFRESH-INTERVAL;VALUE=DURATION:PT6H".to_string()));
    assert!(header.contains(&"X-PUBLISHED-TTL:PT6H".to_string()));
    assert!(!header.iter().any(|l| l.starts_with("METHOD")));
}

/// Reverses TEXT escaping, the way a parser does.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_text_stays_inside_its_value() {
    let site = build(&fixture("feeds", "zones"));
    let name = std::fs::read_to_string(fixture("feeds", "zones").join("hostile-name.txt")).unwrap();
    let feed = site.read("meetings/hostile/calendar.ics");
    let ev = event(&feed, "hostile@feeds.example.net");
    let summary = prop(&ev, "SUMMARY")[0].strip_prefix("SUMMARY:").unwrap();
    assert_eq!(unescape(summary), name.trim_end_matches('\n'));
    // As long as a name may be (the Meeting Guide spec's 255 characters), folded many times.
    assert_eq!(name.trim_end_matches('\n').chars().count(), 255);
    // Only the real component boundaries start a line.
    let starts: Vec<&str> = feed
        .split("\r\n")
        .filter(|l| l.starts_with("BEGIN:") || l.starts_with("END:"))
        .collect();
    assert_eq!(
        starts,
        [
            "BEGIN:VCALENDAR",
            "BEGIN:VTIMEZONE",
            "BEGIN:DAYLIGHT",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "END:VEVENT",
            "END:VCALENDAR"
        ]
    );
    assert_eq!(
        unescape(prop(&ev, "LOCATION")[0].strip_prefix("LOCATION:").unwrap()),
        "Hall: \"North\", Room 1; upstairs, 1 Comma, Semicolon; Backslash \\ St, Springfield"
    );
    assert_eq!(
        prop(&ev, "CATEGORIES"),
        ["CATEGORIES:Open,Step\\, Tradition\\; \\\\Study\\\\"]
    );
}

#[test]
fn feeds_are_byte_identical_between_builds() {
    let a = build(&fixture("feeds", "zones"));
    let b = build(&fixture("feeds", "zones"));
    let files = feeds(&a);
    assert_eq!(files, feeds(&b));
    assert!(files.len() > 20);
    for f in &files {
        assert_eq!(a.read(f), b.read(f), "{f} differs");
    }
}

/// Zones whose changes no yearly rule expresses used to stop the build; now their VTIMEZONE
/// lists every change (and agrees with the IANA data hour by hour, as the lint checks).
#[test]
fn a_zone_without_yearly_rules_builds_with_exact_transitions() {
    let site = build(&fixture("feeds", "casablanca"));
    assert_eq!(lint_site(&site), feeds(&site).len());
    let feed = site.read("calendar.ics");
    assert!(feed.contains("TZID:Africa/Casablanca\r\n"), "{feed}");
    let lines = unfold(&feed);
    assert!(!lines.iter().any(|l| l.starts_with("RRULE:FREQ=YEARLY")));
    // Ramadan: two changes a year, each listed, up to 2040.
    let rdates = lines.iter().filter(|l| l.starts_with("RDATE:")).count();
    assert!(rdates >= 30, "{rdates} RDATEs");
    assert!(
        lines.iter().any(|l| l.starts_with("RDATE:2040")),
        "{lines:#?}"
    );
    assert!(lines.contains(&"DTSTART:19700101T000000".to_string()));
}

/// One meeting in every zone chrono-tz knows, built as one real site: each meeting's own feed
/// is a one-meeting calendar, and its VTIMEZONE (parsed back from the file) must give the
/// IANA offset every hour from 2026 to 2040.
#[test]
fn every_iana_zone_builds_and_agrees_hour_by_hour_to_2040() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content/meetings");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        dir.path().join("content/site.yaml"),
        "title: Every zone\nbase_url: https://zones.example.net/\ntimezone: UTC\n",
    )
    .unwrap();
    let mut list = String::new();
    for (i, tz) in chrono_tz::TZ_VARIANTS.iter().enumerate() {
        list.push_str(&format!(
            "- name: Meeting in {n}\n  slug: z-{s}\n  day: monday\n  time: \"19:00\"\n  \
             timezone: {n}\n  online:\n    url: https://meet.example.net/j/1\n",
            n = tz.name(),
            s = i
        ));
    }
    std::fs::write(content.join("zones.yaml"), list).unwrap();
    let site = build(dir.path());
    let start = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let end = NaiveDate::from_ymd_opt(2041, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for (i, tz) in chrono_tz::TZ_VARIANTS.iter().enumerate() {
        let feed = site.read(&format!("meetings/z-{i}/calendar.ics"));
        let lines = unfold(&feed);
        let b = lines.iter().position(|l| l == "BEGIN:VTIMEZONE").unwrap();
        let e = lines.iter().position(|l| l == "END:VTIMEZONE").unwrap();
        let (tzid, obs) = parse_vtimezone(&lines[b..=e]);
        assert_eq!(tzid, tz.name());
        assert!(
            obs.iter()
                .all(|o| o.start.year() == 1970 || o.rule.is_none()),
            "{tzid}: a yearly rule that does not start in 1970"
        );
        assert!(
            obs.iter().all(|o| o.rule.is_some() || !o.rdates.is_empty()),
            "{tzid}: an observance with neither RRULE nor RDATE"
        );
        // Every onset from 2024 on, sorted, then walked alongside the hours.
        let mut all: Vec<(NaiveDateTime, i32)> = (2024..=2040)
            .flat_map(|y| {
                obs.iter()
                    .flat_map(move |o| onsets(o, y).into_iter().map(|s| (s, o.to)))
            })
            .chain(obs.iter().flat_map(|o| {
                onsets(o, 2024)
                    .into_iter()
                    .filter(|s| s.year() < 2024)
                    .map(|s| (s, o.to))
            }))
            .collect();
        all.sort();
        all.dedup();
        let mut t = start;
        let mut k = 0;
        let mut current = None;
        while t < end {
            while k < all.len() && all[k].0 <= t {
                current = Some(all[k].1);
                k += 1;
            }
            let iana = {
                use chrono::Offset;
                tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
            };
            assert_eq!(current, Some(iana), "{tzid} at {t} UTC");
            t += Duration::hours(1);
        }
    }
}
