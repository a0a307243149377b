//! The printed schedules read back with Debian's poppler-utils: every meeting of the site and
//! of each top-level region is in its PDF in day and time order with its address and type
//! codes, the PDF is tagged with a title, every page renders, two builds give the same bytes,
//! and a bilingual site prints its Spanish edition in Spanish. The tools must be installed
//! (`scripts/test` installs poppler-utils): a missing one fails these tests, never skips them.

use std::path::Path;
use std::process::Command;

use crate::common::{build, copy_tree, repo};

/// Runs a poppler tool and returns its standard output; panics (failing the test) when the
/// tool is missing or fails.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed by the PDF tests (apt-get install poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without any white space, so a name or address wrapped over two lines still matches.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The meeting-days of the Meeting Guide feed, in the order a schedule prints them.
fn records(out: &Path, region: Option<&str>) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("meetings.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut chosen: Vec<serde_json::Value> = all
        .into_iter()
        .filter(|r| match region {
            None => true,
            Some(name) => r["regions"].get(0).and_then(|v| v.as_str()) == Some(name),
        })
        .collect();
    let key = |r: &serde_json::Value| {
        (
            r["day"].as_u64().unwrap_or(9),
            r["time"].as_str().unwrap_or("").to_string(),
            r["name"].as_str().unwrap_or("").to_string(),
        )
    };
    chosen.sort_by_key(key);
    chosen
}

/// The text of every page's three columns (Letter: 36 pt margins, 14 pt gutters), one column
/// after another: the order a reader follows, which pdftotext's own guess does not always keep.
fn columns(path: &str, pages: usize, width: f64) -> String {
    let column = (width - 72.0 - 28.0) / 3.0;
    let mut text = String::new();
    for page in 1..=pages {
        for c in 0..3 {
            let x = 36.0 + f64::from(c) * (column + 14.0) - 3.0;
            let (page, x, w) = (
                page.to_string(),
                format!("{x:.0}"),
                format!("{:.0}", column + 6.0),
            );
            let args = [
                "-layout", "-r", "72", "-f", &page, "-l", &page, "-x", &x, "-y", "0", "-W", &w,
                "-H", "792", path, "-",
            ];
            text.push_str(&poppler("pdftotext", &args));
        }
    }
    text
}

fn check_pdf(pdf: &Path, expected: &[serde_json::Value], title: &str) {
    check_pdf_on(pdf, expected, title, "letter");
}

fn check_pdf_on(pdf: &Path, expected: &[serde_json::Value], title: &str, paper: &str) {
    let path = pdf.to_str().unwrap();
    let info = poppler("pdfinfo", &[path]);
    assert!(info.contains("Tagged:          yes"), "{path}: {info}");
    assert!(
        info.contains(&format!("Title:           {title}")),
        "{path}: {info}"
    );
    assert!(info.contains(&format!("({paper})")), "{path}: {info}");

    // `-layout` keeps the columns side by side, so a name wrapped over two lines has the next
    // column's words between its halves: the entries are read column by column (cropped),
    // and the page's whole layout text only for the legend.
    let whole = poppler("pdftotext", &["-layout", path, "-"]);
    assert!(whole.contains("O = Open"), "{path}: no legend");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let width = if paper == "A4" { 595.28 } else { 612.0 };
    let flow = squeeze(&columns(path, pages, width));
    let layout = flow.clone();
    let mut at = 0;
    for r in expected {
        let name = squeeze(r["name"].as_str().unwrap());
        assert!(layout.contains(&name), "{path}: {name} missing");
        // An online meeting's approximate area is not a place to go, so it is not printed.
        if let Some(address) = r["formatted_address"].as_str()
            && !r["location"].is_null()
        {
            assert!(
                layout.contains(&squeeze(address)),
                "{path}: {address} missing"
            );
        }
        let codes: String = r["types"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| !["ONL", "HY", "TC"].contains(t))
            .collect();
        assert!(
            layout.contains(&codes),
            "{path}: {name}: types {codes} missing"
        );
        match flow[at..].find(&name) {
            Some(i) => at += i + name.len(),
            None => panic!("{path}: {name} ({} {}) out of order", r["day"], r["time"]),
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &["-png", "-r", "30", path, prefix.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        pages,
        "{path}: every page renders"
    );
}

#[test]
fn the_site_and_each_top_level_region_print_every_meeting_in_order() {
    let built = build(&repo());
    let title = "Lake Marren Intergroup";
    check_pdf(
        &built.out.join("schedule.pdf"),
        &records(&built.out, None),
        title,
    );
    for region in ["Eastgate County", "Lake Marren County", "Pine Ridge County"] {
        let slug = region.to_lowercase().replace(' ', "-");
        let pdf = built.out.join(format!("regions/{slug}/schedule.pdf"));
        check_pdf(
            &pdf,
            &records(&built.out, Some(region)),
            &format!("{title} – {region}"),
        );
    }
    // Deeper regions have none; the home and region pages link theirs.
    assert!(!built.exists("regions/eastgate-county/fernhill/schedule.pdf"));
    assert!(
        built
            .read("index.html")
            .contains(r#"href="/schedule.pdf">Print this list</a>"#)
    );
    assert!(
        built
            .read("regions/eastgate-county/index.html")
            .contains(r#"href="/regions/eastgate-county/schedule.pdf">Print this list</a>"#)
    );
}

#[test]
fn two_builds_give_the_same_pdf_bytes() {
    let a = build(&repo());
    let b = build(&repo());
    for path in ["schedule.pdf", "regions/eastgate-county/schedule.pdf"] {
        assert_eq!(
            std::fs::read(a.out.join(path)).unwrap(),
            std::fs::read(b.out.join(path)).unwrap(),
            "{path}"
        );
    }
}

#[test]
fn a_bilingual_site_prints_its_spanish_edition_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        text.replace("\nlanguage: en\n", "\nlanguages: [en, es]\n"),
    )
    .unwrap();
    let built = build(dir.path());
    let pdf = built.out.join("es/schedule.pdf");
    let text = poppler("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    for words in ["Reuniones al", "Domingo", "Página 1", "reuniones abiertas"] {
        assert!(
            text.contains(words),
            "{words} missing from es/schedule.pdf:\n{text}"
        );
    }
    assert!(built.read("es/index.html").contains("Imprimir esta lista"));
}

/// A copy of the example with `print:` settings added to its site.yaml.
fn example_with(print: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}\n{print}")).unwrap();
    dir
}

#[test]
fn print_settings_choose_the_schedules_and_the_paper() {
    let site = example_with("print:\n  site: false\n  regions: all\n  paper: a4\n");
    let built = build(site.path());
    let title = "Lake Marren Intergroup";
    assert!(!built.exists("schedule.pdf"));
    assert!(!built.read("index.html").contains("schedule.pdf"));
    check_pdf_on(
        &built.out.join("regions/eastgate-county/schedule.pdf"),
        &records(&built.out, Some("Eastgate County")),
        &format!("{title} – Eastgate County"),
        "A4",
    );
    // A nested region prints its own, titled with the regions above it.
    let fernhill = built
        .out
        .join("regions/eastgate-county/fernhill/schedule.pdf");
    let info = poppler("pdfinfo", &[fernhill.to_str().unwrap()]);
    assert!(
        info.contains(&format!(
            "Title:           {title} – Eastgate County – Fernhill"
        )),
        "{info}"
    );
    assert!(
        built
            .read("regions/eastgate-county/fernhill/index.html")
            .contains(
                r#"href="/regions/eastgate-county/fernhill/schedule.pdf">Print this list</a>"#
            )
    );

    let none = build(example_with("print:\n  regions: none\n").path());
    assert!(none.exists("schedule.pdf"));
    assert!(!none.exists("regions/eastgate-county/schedule.pdf"));
    assert!(
        !none
            .read("regions/eastgate-county/index.html")
            .contains("schedule.pdf")
    );
}

#[test]
fn check_reports_every_bad_print_setting_with_its_place() {
    let site = example_with("print:\n  regions: some\n  paper: legal\n");
    let out = crate::common::lantern(site.path(), &["check"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines = std::fs::read_to_string(site.path().join("content/site.yaml"))
        .unwrap()
        .lines()
        .count();
    for (at, words) in [
        (
            format!("content/site.yaml:{}:12", lines - 1),
            "`regions` under `print` is `some`",
        ),
        (
            format!("content/site.yaml:{lines}:10"),
            "`paper` under `print` is `legal`",
        ),
    ] {
        assert!(err.contains(&format!("{at}: {words}")), "{at}: {err}");
    }
    assert!(err.contains("hint: use `letter`"), "{err}");

    let site = example_with("print:\n  booklets: true\n");
    // An unknown setting is named, with the ones there are.
    let out = crate::common::lantern(site.path(), &["check"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown field `booklets`"), "{err}");
    assert!(
        err.contains("known fields are: site, regions, paper"),
        "{err}"
    );
}
