//! Writes a synthetic Lantern site of N meetings with a realistic mix of fields, for benchmarks.
//!
//! cargo run --release --example gen_site -- 10000 /dev/shm/site-10k
//!
//! The output is deterministic for a given N (a fixed-seed generator), so benchmark runs on
//! different days build the same input.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use lantern::model::schedule::{WEEK, day_key};

/// xorshift64*: small, deterministic, good enough to spread fields.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const TYPES: [&str; 24] = [
    "O", "C", "D", "SP", "B", "ST", "BE", "W", "M", "Y", "LGBTQ", "S", "X", "ASL", "MED", "LIT",
    "TR", "12x12", "CAN", "BA", "OUT", "A", "SEN", "XT",
];
const WORDS: [&str; 24] = [
    "Serenity",
    "Hope",
    "Courage",
    "Wisdom",
    "Sunrise",
    "Sunset",
    "Lakeside",
    "Hilltop",
    "Freedom",
    "Promises",
    "Gratitude",
    "Acceptance",
    "Unity",
    "Service",
    "Recovery",
    "Harmony",
    "Peace",
    "Joy",
    "Faith",
    "Willingness",
    "Honesty",
    "Patience",
    "Tolerance",
    "Kindness",
];
const KINDS: [&str; 8] = [
    "Group",
    "Meeting",
    "Step Study",
    "Big Book",
    "Discussion",
    "Speakers",
    "Breakfast",
    "Candlelight",
];
const PLACES: [&str; 8] = [
    "Church Hall",
    "Community Center",
    "Library Room",
    "Recovery Club",
    "Clinic Room",
    "Parish Hall",
    "Grange Hall",
    "Fellowship Hall",
];
const ZONES: [&str; 5] = [
    "America/New_York",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(out)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_site <meetings> <folder>");
        std::process::exit(2);
    };
    let root = Path::new(out);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let content = root.join("content");
    fs::create_dir_all(content.join("locations"))?;
    fs::create_dir_all(content.join("pages"))?;
    // GEN_LANGUAGES=en,es makes a site published in those languages (the first at `/`).
    let languages = match std::env::var("GEN_LANGUAGES") {
        Ok(list) if list.contains(',') => format!("languages: [{list}]"),
        Ok(one) if !one.is_empty() => format!("language: {one}"),
        _ => "language: en".to_string(),
    };
    fs::write(
        content.join("site.yaml"),
        format!(
            "title: Synthetic Intergroup\nbase_url: https://bench.example.org/\n{languages}\ntimezone: America/Chicago\nfeedback_email: meetings@example.org\nedit_url: https://git.example.org/site/edit/main/{{path}}\n"
        ),
    )?;
    fs::write(
        content.join("pages/about.md"),
        "---\ntitle: About\nweight: 1\n---\nA synthetic site for benchmarks.\n",
    )?;

    // The weekdays as records spell them, Sunday first.
    let days = WEEK.map(day_key);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    // About four meetings per location, in 10 counties x 8 cities x 5 neighbourhoods.
    let locations = (n / 4).max(1);
    let mut loc_regions = Vec::with_capacity(locations);
    for i in 0..locations {
        let county = rng.below(10);
        let city = rng.below(8);
        let hood = rng.below(5);
        let region = format!("[County {county}, City {county}-{city}, Neighbourhood {hood}]");
        let mut y = String::new();
        writeln!(y, "name: {} {}", rng.pick(&WORDS), rng.pick(&PLACES))?;
        writeln!(
            y,
            "address: {} {} St",
            1 + rng.below(9000),
            rng.pick(&WORDS)
        )?;
        writeln!(y, "city: City {county}-{city}")?;
        writeln!(
            y,
            "state: IL\npostal_code: \"6{:04}\"\ncountry: US",
            rng.below(10000)
        )?;
        writeln!(y, "region: {region}")?;
        writeln!(
            y,
            "latitude: {:.5}\nlongitude: {:.5}",
            37.0 + rng.below(500_000) as f64 / 100_000.0,
            -91.0 + rng.below(400_000) as f64 / 100_000.0
        )?;
        if rng.chance(30) {
            writeln!(
                y,
                "notes: Use the side entrance; the room is on the lower level."
            )?;
        }
        fs::write(
            content.join("locations").join(format!("loc-{i:06}.yaml")),
            y,
        )?;
        loc_regions.push(county);
    }

    for i in 0..n {
        let loc = rng.below(locations as u64) as usize;
        let online_only = rng.chance(12);
        let hybrid = !online_only && rng.chance(10);
        let dir = content.join("meetings").join(if online_only {
            "online".to_string()
        } else {
            format!("county-{}", loc_regions[loc])
        });
        fs::create_dir_all(&dir)?;
        let mut y = String::new();
        writeln!(y, "name: {} {}", rng.pick(&WORDS), rng.pick(&KINDS))?;
        let day = days[rng.below(7) as usize];
        if rng.chance(8) {
            let other = days[rng.below(7) as usize];
            if other != day {
                writeln!(y, "day: [{day}, {other}]")?;
            } else {
                writeln!(y, "day: {day}")?;
            }
        } else {
            writeln!(y, "day: {day}")?;
        }
        let start = 6 * 60 + rng.below(16 * 4) * 15;
        writeln!(y, "time: \"{:02}:{:02}\"", start / 60, start % 60)?;
        if rng.chance(60) {
            let end = (start + 60 + rng.below(3) * 30) % (24 * 60);
            writeln!(y, "end_time: \"{:02}:{:02}\"", end / 60, end % 60)?;
        }
        let mut types: Vec<&str> = (0..1 + rng.below(4)).map(|_| rng.pick(&TYPES)).collect();
        types.sort_unstable();
        types.dedup();
        writeln!(y, "types: [{}]", types.join(", "))?;
        if !online_only {
            writeln!(y, "location: loc-{loc:06}")?;
        }
        if online_only || hybrid {
            writeln!(
                y,
                "online:\n  url: https://meet.example.org/j/{}\n  notes: \"Meeting ID {}\"",
                100_000_000 + i,
                100_000_000 + i
            )?;
        }
        if online_only {
            writeln!(y, "region: [Online]")?;
            if rng.chance(30) {
                writeln!(y, "timezone: {}", rng.pick(&ZONES))?;
            }
        }
        if rng.chance(40) {
            writeln!(y, "group: {} Group", rng.pick(&WORDS))?;
        }
        if rng.chance(30) {
            writeln!(
                y,
                "notes: |\n  Newcomers welcome. **Literature** available.\n  Coffee from 15 minutes before."
            )?;
        }
        if rng.chance(3) {
            writeln!(y, "monthly: [1, 3]")?;
        } else if rng.chance(2) {
            // 2026-01-04 is a Sunday; shift to the meeting's first day.
            let offset = days.iter().position(|d| *d == day).unwrap_or(0);
            writeln!(y, "biweekly_from: 2026-01-{:02}", 4 + offset)?;
        }
        if rng.chance(2) {
            writeln!(y, "status: temporarily-closed\nclosed_until: 2027-02-01")?;
        } else if rng.chance(1) {
            writeln!(y, "status: inactive")?;
        }
        if rng.chance(50) {
            writeln!(
                y,
                "updated: 2026-{:02}-{:02}",
                1 + rng.below(10),
                1 + rng.below(28)
            )?;
        }
        fs::write(dir.join(format!("m-{i:06}.yaml")), y)?;
    }
    println!(
        "wrote {n} meetings and {locations} locations to {}",
        root.display()
    );
    Ok(())
}
