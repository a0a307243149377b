//! Writes a synthetic site for benchmarks: `cargo run --release --example gen_site -- DIR [N]`.
//!
//! N meetings (default 10,000), one file each, spread over N/20 locations in three counties,
//! every weekday, several types, some online. Deterministic, so benchmark runs compare.

use std::fs;
use std::path::Path;

const DAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];
const TYPES: [&str; 8] = ["O", "C", "D", "B", "ST", "BE", "W", "M"];
const COUNTIES: [&str; 3] = ["North County", "South County", "East County"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: gen_site DIR [MEETINGS]")?;
    let n: usize = args.next().map_or(Ok(10_000), |s| s.parse())?;
    let root = Path::new(&dir);
    let content = root.join("content");
    if content.exists() {
        return Err(format!("{} already exists", content.display()).into());
    }
    fs::create_dir_all(content.join("meetings"))?;
    fs::create_dir_all(content.join("locations"))?;
    fs::create_dir_all(content.join("pages"))?;
    fs::write(
        content.join("site.yaml"),
        "title: Synthetic Intergroup\nbase_url: https://example.org/\ntimezone: America/Chicago\nedit_url: https://example.org/edit/{path}\n",
    )?;
    fs::write(
        content.join("pages/newcomers.md"),
        "---\ntitle: Newcomers\n---\nWelcome.\n",
    )?;
    let locations = (n / 20).max(1);
    for l in 0..locations {
        let county = COUNTIES[l % COUNTIES.len()];
        let town = format!("Town {}", l % 40);
        fs::write(
            content.join(format!("locations/hall-{l}.yaml")),
            format!(
                "name: Hall {l}\naddress: {l} Main St\ncity: {town}\nstate: IL\npostal_code: \"6{l:04}\"\nregion: [{county}, {town}]\n"
            ),
        )?;
    }
    for i in 0..n {
        let day = DAYS[i % 7];
        let hour = 6 + (i / 7) % 16;
        let minute = [0, 15, 30, 45][i % 4];
        let t1 = TYPES[i % TYPES.len()];
        let t2 = TYPES[(i / 3 + 1) % TYPES.len()];
        let types = if t1 == t2 {
            format!("[{t1}]")
        } else {
            format!("[{t1}, {t2}]")
        };
        let mut text = format!(
            "name: Meeting {i}\nday: {day}\ntime: \"{hour:02}:{minute:02}\"\nend_time: \"{:02}:{minute:02}\"\ntypes: {types}\nlocation: hall-{}\nnotes: Synthetic meeting number {i}. Coffee from half an hour before.\n",
            hour + 1,
            i % locations
        );
        if i % 5 == 0 {
            text.push_str(&format!(
                "online:\n  url: https://meet.example.org/{i}\n  phone: \"+1 312 555 0100,,{i}#\"\n"
            ));
        }
        fs::write(content.join(format!("meetings/meeting-{i}.yaml")), text)?;
    }
    println!(
        "wrote {n} meetings and {locations} locations to {}",
        root.display()
    );
    Ok(())
}
