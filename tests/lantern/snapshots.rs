//! Whole pages and feeds of the bundled example, compared with the snapshots kept in
//! `tests/lantern/snapshots/`. The other tests check single facts; these show every change a
//! commit makes to what visitors and readers get, so it can be looked at before it lands.
//!
//! When output changes on purpose: `INSTA_UPDATE=always cargo nextest run -E 'test(snapshot)'`
//! rewrites the snapshots, and `git diff tests/lantern/snapshots/` is the review (or
//! `cargo insta review` with cargo-insta installed). In CI a difference fails the test.

use crate::common::{Built, build, repo};

/// One snapshot per file, named after its path in the output.
fn snapshot(site: &Built, path: &str) {
    let name = path
        .trim_end_matches("/index.html")
        .replace(['/', '.'], "_");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, site.read(path));
    });
}

#[test]
fn the_example_site_page_by_page() {
    let site = build(&repo());
    for path in [
        // The visitor's way in.
        "index.html",
        "find/index.html",
        "days/wednesday/index.html",
        // Lists by place and kind.
        "regions/index.html",
        "regions/lake-marren-county/index.html",
        "locations/grace-methodist-church/index.html",
        "types/index.html",
        "types/american-sign-language/index.html",
        // A meeting of each kind: hybrid, online, temporarily closed, in person.
        "meetings/friday-night-speaker/index.html",
        "meetings/dial-in-serenity/index.html",
        "meetings/harbor-lights/index.html",
        "meetings/hope-at-noon/index.html",
        // A Markdown page and the error page.
        "about/index.html",
        "404.html",
    ] {
        snapshot(&site, path);
    }
}

#[test]
fn the_example_feeds_whole() {
    let site = build(&repo());
    for path in [
        "meetings.json",
        "types.json",
        "meetings.csv",
        "calendar.ics",
        "meetings/friday-night-speaker/calendar.ics",
        "sitemap.xml",
        "robots.txt",
        "find/index.json",
    ] {
        snapshot(&site, path);
    }
}
