//! Building fixture sites and the bundled example, and checking the files they produce.

use std::collections::BTreeSet;

use crate::common::{build, copy_tree, fixture, lantern, repo, stderr, stdout};

const SMALL_FILES: &[&str] = &[
    ".lantern-output",
    "404.html",
    "about/index.html",
    "assets/favicon.svg",
    "assets/finder.css",
    "assets/finder.js",
    "assets/meeting.js",
    "assets/style.css",
    "assets/time.js",
    "calendar.ics",
    "days/friday/index.html",
    "days/index.html",
    "days/monday/index.html",
    "days/saturday/index.html",
    "days/sunday/index.html",
    "days/thursday/index.html",
    "days/tuesday/index.html",
    "days/wednesday/index.html",
    "files/hello.txt",
    "find/index.html",
    "find/index.json",
    "help/first-meeting/index.html",
    "index.html",
    "locations/hall/calendar.ics",
    "locations/hall/index.html",
    "locations/index.html",
    "locations/lake-park-pavilion/calendar.ics",
    "locations/lake-park-pavilion/index.html",
    "meetings.csv",
    "meetings.json",
    "meetings/closed-for-now/calendar.ics",
    "meetings/closed-for-now/index.html",
    "meetings/first-and-third/calendar.ics",
    "meetings/first-and-third/index.html",
    "meetings/hostile/calendar.ics",
    "meetings/hostile/index.html",
    "meetings/late-night/calendar.ics",
    "meetings/late-night/index.html",
    "meetings/monday-night/calendar.ics",
    "meetings/monday-night/index.html",
    "meetings/online-only/calendar.ics",
    "meetings/online-only/index.html",
    "meetings/park-meeting/calendar.ics",
    "meetings/park-meeting/index.html",
    "regions/index.html",
    "regions/online/calendar.ics",
    "regions/online/index.html",
    "regions/online/schedule.pdf",
    "regions/sangamon-county/calendar.ics",
    "regions/sangamon-county/index.html",
    "regions/sangamon-county/schedule.pdf",
    "regions/sangamon-county/springfield/calendar.ics",
    "regions/sangamon-county/springfield/downtown/calendar.ics",
    "regions/sangamon-county/springfield/downtown/index.html",
    "regions/sangamon-county/springfield/index.html",
    "regions/sangamon-county/springfield/northside/calendar.ics",
    "regions/sangamon-county/springfield/northside/index.html",
    "robots.txt",
    "schedule.pdf",
    "sitemap.xml",
    "types.json",
    "types/closed/calendar.ics",
    "types/closed/index.html",
    "types/discussion/calendar.ics",
    "types/discussion/index.html",
    "types/index.html",
    "types/open/calendar.ics",
    "types/open/index.html",
    "types/parking-lot/calendar.ics",
    "types/parking-lot/index.html",
];

#[test]
fn small_site_has_the_public_url_layout() {
    let site = build(&fixture("build", "small"));
    let files = site.files();
    for f in SMALL_FILES {
        assert!(files.iter().any(|x| x == f), "missing {f}; got {files:#?}");
    }
    // Nothing else: drafts, inactive meetings and unused locations are not published.
    assert_eq!(
        files,
        SMALL_FILES
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert!(!site.exists("secret/index.html"));
    assert!(!site.exists("meetings/gone/index.html"));
    assert!(!site.exists("locations/unused/index.html"));
}

#[test]
fn record_text_cannot_inject_markup() {
    let site = build(&fixture("build", "small"));
    for page in [
        "meetings/hostile/index.html",
        "days/monday/index.html",
        "index.html",
        "locations/hall/index.html",
    ] {
        let html = site.read(page);
        // The theme's own inline scripts are the only ones (the list's week order).
        assert!(
            !html.contains("<script>alert"),
            "{page} contains the record's script"
        );
        let inline = html.matches("<script>").count();
        let theme = html.matches("<script>document.documentElement").count()
            + html.matches("<script>(function (w)").count();
        assert_eq!(inline, theme, "{page}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Friends"),
            "{page}"
        );
    }
    let html = site.read("meetings/hostile/index.html");
    assert!(html.contains("Hello &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("<strong>real bold</strong>"));
    assert!(html.contains("<title>&lt;script&gt;"));
}

#[test]
fn links_use_the_base_path_of_base_url() {
    let site = build(&fixture("build", "small"));
    let html = site.read("index.html");
    assert!(html.contains(r#"<link rel="stylesheet" href="/meetings/assets/style.css">"#));
    assert!(html.contains(r#"<link rel="canonical" href="https://example.org/meetings/">"#));
    assert!(html.contains(r#"href="/meetings/meetings/monday-night/""#));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/meetings/meetings/monday-night/</loc>"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/meetings/sitemap.xml")
    );
}

#[test]
fn days_list_meetings_by_time_and_meeting_pages_say_when() {
    let site = build(&fixture("build", "small"));
    let monday = site.read("days/monday/index.html");
    let early = monday.find("Friends</a>").unwrap();
    let late = monday.find("Monday Night</a>").unwrap();
    assert!(early < late, "7:30 am must come before 7:00 pm");
    assert!(monday.contains("<p class=\"meeting-time\">7:30 am</p>"));

    let m = site.read("meetings/monday-night/index.html");
    assert!(
        m.contains("<strong>Monday, 7:00 pm</strong> – 8:00 pm"),
        "default end is one hour later"
    );
    assert!(m.contains("<p class=\"when-zone\">Chicago time</p>"), "{m}");
    assert!(
        m.contains(r#"<a href="/meetings/types/parking-lot/">Parking lot</a>"#),
        "custom type"
    );
    assert!(m.contains("Meets in the parking lot."));
    // Every place of the site is in the US: its addresses need not say so.
    assert!(
        m.contains("123 Main St<br>Springfield, IL 62701</p>"),
        "{m}"
    );
    // Directions to the place, not a pin on a map; a button under the time, and in the address.
    assert_eq!(
        m.matches("https://www.openstreetmap.org/directions?from=&amp;to=39.79901%2C-89.64401")
            .count(),
        2,
        "{m}"
    );
    // The region is named once (in the footer), not again with the address.
    assert_eq!(
        m.matches("/meetings/regions/sangamon-county/\"").count(),
        1,
        "{m}"
    );
    assert!(m.contains(r#"href="geo:39.79901,-89.64401""#));
    assert!(m.contains(
        r#"href="https://git.example.org/repo/edit/main/content/meetings/monday-night.yaml""#
    ));
    assert!(m.contains("mailto:feedback@example.org?subject="));
    assert!(m.contains("Group: Serenity Group"));
    assert!(m.contains("Last updated: November 1, 2026"));

    let late = site.read("meetings/late-night/index.html");
    assert!(late.contains("<strong>Saturday, 11:00 pm</strong> – 12:30 am (the next day)"));

    let online = site.read("meetings/online-only/index.html");
    assert!(online.contains("<strong>Tuesday, 12:00 pm</strong>"));
    assert!(online.contains("<strong>Thursday, 12:00 pm</strong>"));
    assert!(
        online.contains("<p class=\"when-zone\">New York time</p>"),
        "{online}"
    );
    assert!(online.contains(r#"href="tel:+15550100,,1%23""#));
    // Join comes first of the actions, under the time.
    assert!(
        online.contains(r#"<li><a class="button primary" href="https://meet.example.org/j/1""#)
    );
    // The number reads as a number; the link dials the whole string.
    assert!(
        online.contains(r#"<a href="tel:+15550100,,1%23">+1 555 0100</a>, then dial 1#"#),
        "{online}"
    );
    // A meeting in another zone shows its zone in lists.
    assert!(
        site.read("days/tuesday/index.html")
            .contains("<span class=\"tz\">New York time</span>")
    );

    let monthly = site.read("meetings/first-and-third/index.html");
    assert!(monthly.contains("The 1st and 3rd Wednesday of each month"));
}

#[test]
fn closed_meetings_show_a_banner_and_regions_nest() {
    let site = build(&fixture("build", "small"));
    let closed = site.read("meetings/closed-for-now/index.html");
    assert!(closed.contains(
        "This meeting is temporarily closed.</strong> It plans to meet again from January 15, 2027."
    ));
    assert!(
        site.read("days/friday/index.html")
            .contains("class=\"meeting is-closed\"")
    );

    let springfield = site.read("regions/sangamon-county/springfield/index.html");
    assert!(
        springfield.contains(r#"Downtown <span class="count">(4)</span>"#),
        "{springfield}"
    );
    assert!(springfield.contains(r#"Northside <span class="count">(1)</span>"#));
    assert!(
        springfield.contains("Park Meeting"),
        "meetings directly in the region are listed"
    );
    assert!(springfield.contains("Late Night"), "and those below it");
    let regions = site.read("regions/index.html");
    assert!(
        regions.contains("Sangamon County</a> <span class=\"count\">(6)</span>"),
        "{regions}"
    );
    assert!(regions.contains("Online</a> <span class=\"count\">(1)</span>"));

    let loc = site.read("locations/lake-park-pavilion/index.html");
    assert!(loc.contains("Park Meeting"), "inline locations get a page");
}

#[test]
fn pages_render_markdown_in_menu_order() {
    let site = build(&fixture("build", "small"));
    let about = site.read("about/index.html");
    assert!(about.contains("<p>We are <strong>volunteers</strong>.</p>"));
    let first = about.find(">Your first meeting</a>").unwrap();
    let second = about.find(">About</a>").unwrap();
    assert!(first < second, "pages are ordered by weight in the menu");
    assert_eq!(site.read("files/hello.txt"), "hello\n");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build(&repo());
    let b = build(&repo());
    let files = a.files();
    assert_eq!(files, b.files());
    for f in &files {
        assert_eq!(
            std::fs::read(a.out.join(f)).unwrap(),
            std::fs::read(b.out.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn bundled_example_covers_the_documented_cases() {
    let site = build(&repo());
    let files = site.files();
    let meetings = files
        .iter()
        .filter(|f| f.starts_with("meetings/") && f.ends_with("/index.html"))
        .count();
    assert!(meetings >= 40, "{meetings} meetings");
    let regions = files
        .iter()
        .filter(|f| f.starts_with("regions/") && f.matches('/').count() == 2)
        .count();
    assert!(regions >= 4, "{regions} top-level regions (plus the index)");
    for p in [
        "about/index.html",
        "newcomers/index.html",
        "contact/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(site.exists(p), "{p}");
    }
    let home = site.read("index.html");
    assert!(home.contains("temporarily closed"));
    assert!(home.contains("each month"));
    assert!(home.contains("Every other week"));
    assert!(home.contains("New York time"));
    // No real person's name or phone number: phones use the 555-01xx fiction range.
    for f in files.iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(f);
        for tel in html
            .match_indices("href=\"tel:")
            .map(|(i, _)| &html[i + 10..i + 22])
        {
            assert!(tel.starts_with("+1555"), "{f}: {tel}");
        }
    }
}

#[test]
fn a_site_theme_overrides_single_templates_and_strings() {
    let site = build(&fixture("build", "custom-theme"));
    let page = site.read("meetings/tuesday/index.html");
    // base.html comes from the site's theme, meeting.html from the built-in one.
    assert!(
        page.contains(r#"<body class="plain-theme"><nav>Find a meeting</nav>"#),
        "{page}"
    );
    assert!(page.contains("<h1>Tuesday Group</h1>"));
    // The site's translations override single keys: 24-hour times here.
    assert!(
        page.contains("<strong>Tuesday, 20:00</strong> – 21:00"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"when-zone\">London time</p>"),
        "{page}"
    );
    assert_eq!(
        site.read("assets/extra.css"),
        "body { font-family: serif; }\n"
    );
    assert!(
        site.exists("assets/style.css"),
        "the default theme's assets stay available"
    );
}

#[test]
fn the_file_count_counts_a_replaced_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    // A site's own robots.txt and stylesheet replace the generated and the theme's ones.
    std::fs::write(site.join("content/static/robots.txt"), "User-agent: *\n").unwrap();
    std::fs::create_dir_all(site.join("content/static/assets")).unwrap();
    std::fs::write(site.join("content/static/assets/style.css"), "body{}").unwrap();
    let out = dir.path().join("public");
    let report = build_into(&site, &out);
    let on_disk = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    assert_eq!(report.files, on_disk);
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("assets/style.css")).unwrap(),
        "body{}"
    );
}

/// Builds `site` into `out` with the library, as `lantern build` does.
fn build_into(site: &std::path::Path, out: &std::path::Path) -> lantern::build::BuildReport {
    lantern::build::build(&lantern::build::BuildOptions {
        site: site.to_path_buf(),
        output: out.to_path_buf(),
        base_url: None,
        force: false,
    })
    .unwrap()
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    let out = dir.path().join("public");
    build_into(&site, &out);
    let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
    let about = inode("about/index.html");
    let monday = inode("meetings/monday-night/index.html");
    // A site's static file and a theme asset, copied as they are.
    let hello = inode("files/hello.txt");
    let style = inode("assets/style.css");

    let record = site.join("content/meetings/monday-night.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replace("name: Monday Night", "name: Monday Nights"),
    )
    .unwrap();
    build_into(&site, &out);

    // The same file, not a copy: an unchanged page keeps its identity and modification time.
    assert_eq!(inode("about/index.html"), about);
    assert_eq!(
        inode("files/hello.txt"),
        hello,
        "static files are linked too"
    );
    assert_eq!(inode("assets/style.css"), style);
    assert_ne!(inode("meetings/monday-night/index.html"), monday);
    assert!(
        std::fs::read_to_string(out.join("meetings/monday-night/index.html"))
            .unwrap()
            .contains("Monday Nights")
    );
    // The previous output is gone and nothing else is left beside the new one.
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let mut beside = beside;
    beside.sort();
    assert_eq!(beside, ["public", "site"]);
}

#[test]
fn a_file_changed_by_hand_in_the_output_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(&fixture("build", "small"), &out);
    let page = out.join("about/index.html");
    let generated = std::fs::read_to_string(&page).unwrap();
    // Same length, other bytes: only a comparison of the contents can tell.
    std::fs::write(&page, "x".repeat(generated.len())).unwrap();
    build_into(&fixture("build", "small"), &out);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), generated);
}

#[test]
fn a_static_file_replacing_a_linked_one_leaves_the_previous_site_alone() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    let out = dir.path().join("public");
    build_into(&site, &out);
    let generated = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    // A second name for the previous site's robots.txt shows whether anything wrote into it.
    let witness = dir.path().join("witness.txt");
    std::fs::hard_link(out.join("robots.txt"), &witness).unwrap();

    std::fs::write(site.join("content/static/robots.txt"), "User-agent: *\n").unwrap();
    build_into(&site, &out);
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
    assert_eq!(std::fs::read_to_string(&witness).unwrap(), generated);
}

/// The count a list page states, and the entries and day headings it shows.
fn listed(html: &str) -> (Option<usize>, usize, Vec<String>) {
    let stated = html
        .split_once("list-count\">")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok());
    let entries = html.matches("<li class=\"meeting").count();
    let days = html
        .split("<h2 id=\"day-")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(k, _)| k.to_string()))
        .collect();
    (stated, entries, days)
}

/// The weekdays as the site's URLs spell them, Sunday first.
const DAY_KEYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

#[test]
fn list_pages_show_each_meeting_once_and_their_counts_match() {
    let site = build(&repo());
    for day in DAY_KEYS {
        let (stated, entries, days) = listed(&site.read(&format!("days/{day}/index.html")));
        assert_eq!(
            days,
            vec![day.to_string()],
            "the {day} page lists only {day}"
        );
        assert_eq!(stated, Some(entries), "{day}: the count is what is listed");
    }
    let mut pages = 0;
    for f in site.files() {
        let list_page = ["regions/", "locations/", "types/"]
            .iter()
            .any(|p| f.starts_with(p))
            && f.ends_with("/index.html")
            && f.matches('/').count() >= 2;
        if !list_page {
            continue;
        }
        let (stated, entries, _) = listed(&site.read(&f));
        assert_eq!(stated, Some(entries), "{f}: the count is what is listed");
        pages += 1;
    }
    assert!(pages > 20, "only {pages} list pages were looked at");
    // A meeting on several days names them in its entry.
    let loc = site.read("locations/northside-community-center/index.html");
    assert!(loc.contains("<p class=\"meeting-days\">"), "{loc}");
}

#[test]
fn every_page_has_one_h1_and_only_real_addresses_are_canonical() {
    let site = build(&repo());
    for f in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(f);
        assert_eq!(html.matches("<h1").count(), 1, "{f}");
    }
    assert!(!site.read("404.html").contains("rel=\"canonical\""));
    let find = site.read("find/index.html");
    assert_eq!(find.matches(">Find a meeting</h").count(), 1, "{find}");
}

/// A site of `n` online meetings, each on one day, written into a temporary folder.
fn generated_site(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    std::fs::create_dir_all(c.join("meetings")).unwrap();
    std::fs::write(
        c.join("site.yaml"),
        "title: Big Intergroup\nbase_url: https://big.example.org/\ntimezone: America/Chicago\n",
    )
    .unwrap();
    let days = DAY_KEYS;
    let mut yaml = String::new();
    for i in 0..n {
        yaml.push_str(&format!(
            "- name: Daily Reflections {i}\n  day: {}\n  time: \"{:02}:00\"\n  online:\n    url: https://meet.example.org/j/{i}\n",
            days[i % 7],
            6 + i % 16
        ));
    }
    std::fs::write(c.join("meetings/all.yaml"), yaml).unwrap();
    dir
}

#[test]
fn a_large_site_links_its_days_from_the_home_and_finder_pages() {
    // 300 meeting-days are still listed in full...
    let small = generated_site(300);
    let built = build(small.path());
    let home = built.read("index.html");
    assert_eq!(home.matches("<li class=\"meeting").count(), 300);
    assert!(!home.contains("class=\"week-days\""));

    // ...one more, and the pages link each day (with its count) instead of listing the week,
    // so they stay small however large the site grows; every meeting is on its day's page.
    let large = generated_site(301);
    let built = build(large.path());
    for page in ["index.html", "find/index.html"] {
        let html = built.read(page);
        assert_eq!(html.matches("<li class=\"meeting").count(), 0, "{page}");
        assert!(
            html.contains("<h2 id=\"week\">Meetings by day</h2>"),
            "{page}"
        );
        assert!(
            html.contains("<a href=\"/days/sunday/\"><span class=\"day-name\">Sunday</span> <span class=\"count\">43 meetings</span></a>"),
            "{page}"
        );
        assert!(html.contains("301 meetings this week"), "{page}");
    }
    let find = built.read("find/index.html");
    assert!(find.contains("Choose a day below to see its meetings"));
    let listed: usize = DAY_KEYS
        .iter()
        .map(|d| {
            built
                .read(&format!("days/{d}/index.html"))
                .matches("<li class=\"meeting")
                .count()
        })
        .sum();
    assert_eq!(listed, 301);
}

#[test]
fn online_meetings_get_the_sites_service_area_in_the_feeds() {
    // Without a service area, check says what TSML UI and the plugin will do.
    let site = generated_site(2);
    let o = lantern(site.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        out.contains("content/site.yaml:1:1: warning: 2 online meetings have no location and the site has no `service_area`"),
        "{out}"
    );
    assert!(out.contains("service_area: Chicago, IL, USA"), "{out}");

    // With one, every online meeting without a location of its own carries it, approximate.
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}service_area: Marren City, IL, USA\n")).unwrap();
    let o = lantern(site.path(), &["check"]);
    assert!(!format!("{}{}", stdout(&o), stderr(&o)).contains("service_area"));
    let built = build(site.path());
    let feed: Vec<serde_json::Value> = serde_json::from_str(&built.read("meetings.json")).unwrap();
    assert_eq!(feed.len(), 2);
    for m in &feed {
        assert_eq!(m["formatted_address"], "Marren City, IL, USA", "{m}");
        assert_eq!(m["approximate"], "yes", "{m}");
    }
    assert!(
        built
            .read("meetings.csv")
            .contains("\"Marren City, IL, USA\"")
    );
    // Never a place to go on the pages or in the calendar feeds.
    assert!(!built.read("index.html").contains("Marren City, IL"));
    assert!(!built.read("calendar.ics").contains("Marren City"));
}

/// HTML rendering and the sitemap list the site's pages from one function: every page
/// written is in the sitemap and every address there is a page written, in each language.
/// Dropping a page from either side fails here.
#[test]
fn the_sitemap_lists_exactly_the_pages_written() {
    let bilingual = crate::languages::bilingual_example();
    for (dir, languages) in [(repo(), 1), (bilingual.path().to_path_buf(), 2)] {
        let site = build(&dir);
        // The 404 page is served at any address that has nothing: it has none of its own.
        let written: BTreeSet<String> = site
            .files()
            .into_iter()
            .filter(|f| f.ends_with(".html") && f != "404.html" && !f.ends_with("/404.html"))
            .collect();
        let sitemap = site.read("sitemap.xml");
        let listed: BTreeSet<String> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .map(|url| {
                let dir = url
                    .strip_prefix("https://meetings.example.org/")
                    .unwrap_or_else(|| panic!("{url} is outside the site"));
                format!("{dir}index.html")
            })
            .collect();
        assert_eq!(listed, written, "{}", dir.display());
        // Each meeting's page at least, in each language: the sets are not empty by mistake.
        assert!(written.len() > 51 * languages);
        if languages == 2 {
            assert!(written.contains("es/index.html") && listed.contains("es/index.html"));
        }
    }
}
