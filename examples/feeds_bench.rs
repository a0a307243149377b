//! Benchmark of the calendar feeds for a synthetic 10,000-meeting site.
//!
//! Builds the model in memory (deterministic pseudo-random meetings in several zones, with
//! multi-day, monthly, biweekly, skipped, closed, online and hybrid meetings), then times
//! rendering every feed of the site, and writing them with the build's own write stage.
//! Reports the median of several runs. Reproduce with:
//!
//!     RAYON_NUM_THREADS=2 cargo run --release --example feeds_bench [meetings] [runs]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use lantern::model::schedule::WEEK;
use lantern::model::{
    Entity, Location, Meeting, Online, Recurrence, RegionTree, Site, SiteConfig, Status, TypeTable,
};
use lantern::render::{Output, Themes, ical, render};

/// A small deterministic generator, so every run builds the same site.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "Serenity",
    "Hope",
    "Lakeside",
    "Sunrise",
    "Big Book",
    "Step",
    "Friday Night",
    "Keep It Simple",
    "Back to Basics",
    "Happy Hour",
    "Living Sober",
    "Candlelight",
    "Daily Reprieve",
    "Brown Bag",
];
const TYPES: &[&str] = &[
    "O", "C", "D", "B", "ST", "W", "M", "LIT", "X", "SP", "BE", "TR",
];

fn site(n: usize) -> Site {
    let mut rng = Lcg(42);
    let zones: [Tz; 6] = [
        chrono_tz::America::Chicago,
        chrono_tz::America::New_York,
        chrono_tz::America::Denver,
        chrono_tz::America::Los_Angeles,
        chrono_tz::Europe::London,
        chrono_tz::Australia::Sydney,
    ];
    let locations: Vec<Location> = (0..n / 5)
        .map(|i| {
            let county = i % 12;
            let city = i % 97;
            Location {
                slug: format!("location-{i:05}"),
                name: format!("{} Hall {i}", WORDS[i % WORDS.len()]),
                address: Some(format!("{} Main St", 100 + i)),
                city: Some(format!("City {city}")),
                state: Some("IL".into()),
                postal_code: Some(format!("6{:04}", i % 10_000)),
                country: Some("US".into()),
                region: vec![format!("County {county}"), format!("City {city}")],
                latitude: Some(39.0 + (i as f64) / 10_000.0),
                longitude: Some(-88.0 - (i as f64) / 10_000.0),
                approximate: false,
                timezone: None,
                notes: None,
                translations: Default::default(),
                source: format!("content/locations/location-{i:05}.yaml"),
            }
        })
        .collect();
    let mut meetings: Vec<Meeting> = (0..n)
        .map(|i| {
            let day_count = match rng.below(10) {
                0 => 3,
                1 | 2 => 2,
                _ => 1,
            };
            let first = rng.below(7) as usize;
            let mut days: Vec<Weekday> =
                (0..day_count).map(|k| WEEK[(first + 2 * k) % 7]).collect();
            days.sort_by_key(|d| d.num_days_from_sunday());
            days.dedup();
            let hour = 6 + rng.below(16) as u32;
            let time = NaiveTime::from_hms_opt(hour, [0, 15, 30, 45][rng.below(4) as usize], 0)
                .unwrap_or_default();
            let end_time = time + chrono::Duration::minutes(60 + 30 * rng.below(2) as i64);
            let recurrence = match rng.below(20) {
                0 | 1 => Recurrence::Monthly(vec![1, 3]),
                2 => Recurrence::Monthly(vec![-1]),
                3 => {
                    let from = NaiveDate::from_ymd_opt(2026, 1, 4).unwrap_or_default()
                        + chrono::Days::new(days[0].num_days_from_sunday() as u64);
                    Recurrence::Biweekly(from)
                }
                _ => Recurrence::Weekly,
            };
            let zone = if rng.below(10) < 8 {
                zones[0]
            } else {
                zones[rng.below(6) as usize]
            };
            let online = (rng.below(10) < 3).then(|| Online {
                url: Some(format!("https://meet.example.org/j/{i}")),
                notes: Some(format!("Meeting ID {i}, passcode serenity")),
                phone: (rng.below(2) == 0).then(|| "+1 555 0100,,123#".to_string()),
                phone_notes: None,
            });
            let location = (online.is_none() || rng.below(3) == 0)
                .then(|| rng.below(locations.len() as u64) as usize);
            let types: Vec<String> = {
                let mut t: Vec<String> = (0..2 + rng.below(3))
                    .map(|_| TYPES[rng.below(TYPES.len() as u64) as usize].to_string())
                    .collect();
                t.dedup();
                t
            };
            let closed = rng.below(50) == 0;
            Meeting {
                slug: format!("meeting-{i:05}"),
                name: format!("{} Group {i}", WORDS[i % WORDS.len()]),
                days,
                time,
                end_time,
                types,
                location,
                place: location,
                online,
                region: location.map_or(vec!["Online".into()], |l| locations[l].region.clone()),
                group: None,
                notes: (rng.below(2) == 0).then(|| {
                    "Meets in the **basement**; use the side door. Coffee from 6:30, \
                     newcomers welcome."
                        .to_string()
                }),
                translations: Default::default(),
                timezone: zone,
                status: if closed {
                    Status::TemporarilyClosed
                } else {
                    Status::Active
                },
                closed_until: closed
                    .then(|| NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()),
                recurrence,
                skip: Vec::new(),
                contact_email: None,
                updated_time: None,
                updated: Some(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default()),
                source: format!("content/meetings/meeting-{i:05}.yaml"),
            }
        })
        .collect();
    meetings.sort_by(|a, b| a.slug.cmp(&b.slug));
    let regions = RegionTree::build(&meetings);
    Site {
        config: SiteConfig {
            title: "Synthetic Intergroup".into(),
            base_url: "https://meetings.example.org/".into(),
            language: "en".into(),
            languages: vec!["en".into()],
            prefix: String::new(),
            timezone: zones[0],
            theme: "default".into(),
            description: Some("A synthetic site for benchmarks.".into()),
            edit_url: None,
            feedback_email: None,
            feed_refresh_hours: 12,
            service_area: None,
            entity: Entity::default(),
            print: lantern::model::Print::default(),
        },
        types: TypeTable::builtin("en"),
        meetings,
        locations,
        regions,
        pages: Vec::new(),
        static_files: Vec::new(),
        inactive: Vec::new(),
        warnings: Default::default(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// CPU time (user + system, all threads) this process has used so far, from /proc (Linux);
/// zero elsewhere. On a shared machine it shows the work done, whatever the waiting.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the line: 11 and 12 after the name.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

fn fail(what: &str, e: impl std::fmt::Debug) -> ! {
    eprintln!("{what}: {e:?}");
    std::process::exit(1)
}

/// Writes `outputs` with the build's write stage into a fresh folder; returns the time taken.
fn timed_write(outputs: &[Output], tag: &str) -> Duration {
    let dir = std::env::temp_dir().join(format!("lantern-bench-{tag}-{}", std::process::id()));
    let t = Instant::now();
    if let Err(e) = lantern::write::write(outputs, &dir) {
        fail("write", e);
    }
    let took = t.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    took
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let write_runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let site = site(n);
    let themes = Themes::load(std::path::Path::new("."), "default", &["en".to_string()])
        .unwrap_or_else(|d| fail("theme", d));

    // 1. The full-site feed alone: every event rendered, calendar.ics assembled and written.
    let mut full = Vec::new();
    let mut full_file = Vec::new();
    let cpu_start = cpu_time();
    for _ in 0..runs {
        let t = Instant::now();
        let one = ical::render_some(&site, &themes.default().strings, |p| p == "calendar.ics")
            .unwrap_or_else(|d| fail("render", d));
        let rendered = t.elapsed();
        full.push(rendered + timed_write(&one, "one"));
        full_file = one;
    }
    let full_cpu = (cpu_time() - cpu_start) / runs as u32;
    // 1b. The shared part: time zones and every meeting's events, no feed assembled.
    let mut shared = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        ical::render_some(&site, &themes.default().strings, |_| false)
            .unwrap_or_else(|d| fail("render", d));
        shared.push(t.elapsed());
    }
    println!(
        "zones + events only:                 median {:>7.1} ms  runs {:?}",
        ms(median(shared.clone())),
        shared.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    // 2. Every feed of the site (regions, locations, types, meetings too), rendered.
    let mut all = Vec::new();
    let mut feeds = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        feeds =
            ical::render(&site, &themes.default().strings).unwrap_or_else(|d| fail("render", d));
        all.push(t.elapsed());
    }
    // 3. What writing the feeds adds to writing the rest of the site (same folders).
    let outputs = if write_runs == 0 {
        Vec::new()
    } else {
        render(&site, &themes).unwrap_or_else(|d| fail("render site", d))
    };
    let without: Vec<Output> = outputs
        .iter()
        .filter(|o| !o.path.ends_with(".ics"))
        .cloned()
        .collect();
    let (mut w_with, mut w_without) = (Vec::new(), Vec::new());
    for _ in 0..write_runs {
        w_without.push(timed_write(&without, "without"));
        w_with.push(timed_write(&outputs, "with"));
    }

    let bytes = |o: &Output| o.body.to_bytes().map_or(0, |b| b.len());
    let events = full_file.first().map_or(0, |o| {
        o.body.to_bytes().map_or(0, |b| {
            String::from_utf8_lossy(&b).matches("BEGIN:VEVENT").count()
        })
    });
    println!(
        "{n} meetings, {} rayon threads; full-site feed: {events} events, {:.1} MB",
        rayon::current_num_threads(),
        full_file.iter().map(bytes).sum::<usize>() as f64 / 1e6
    );
    println!(
        "full-site feed rendered + written:   median {:>7.1} ms  runs {:?}",
        ms(median(full.clone())),
        full.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "full-site feed CPU time per run (all threads): {:.0} ms",
        ms(full_cpu)
    );
    println!(
        "all {} feeds rendered ({:.1} MB):   median {:>7.1} ms  runs {:?}",
        feeds.len(),
        feeds.iter().map(bytes).sum::<usize>() as f64 / 1e6,
        ms(median(all.clone())),
        all.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "write site without feeds ({} files): median {:>7.1} ms  runs {:?}",
        without.len(),
        ms(median(w_without.clone())),
        w_without.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "write site with feeds ({} files):    median {:>7.1} ms  runs {:?}",
        outputs.len(),
        ms(median(w_with.clone())),
        w_with.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
}
