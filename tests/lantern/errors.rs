//! Every problem in every file is reported, each with `path:line:column`, a message and a hint.

use crate::common::{copy_tree, fixture, lantern, stderr};

/// Each error fixture holds broken files and `expected-errors.txt`, the exact output of
/// `lantern check` (every message, line and column, and hint).
#[test]
fn check_reports_every_problem_exactly() {
    for name in ["many-problems", "more-problems", "shapes"] {
        let site = fixture("errors", name);
        let out = lantern(&site, &["check"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let expected = std::fs::read_to_string(site.join("expected-errors.txt")).unwrap();
        assert_eq!(stderr(&out), expected, "{name}");
        // `build` reports the same and writes nothing.
        let out = lantern(&site, &["build", "--output", "/nonexistent/never-written"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(stderr(&out), expected, "{name}");
    }
}

#[test]
fn paths_are_shown_from_where_the_command_runs() {
    let site = fixture("errors", "many-problems");
    let out = lantern(
        &site.join("../.."),
        &["check", "--site", "errors/many-problems"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("errors/many-problems/content/meetings/typo.yaml:5:1: unknown field `grup`\n  hint: did you mean `group`?\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failed_build_writes_nothing_and_keeps_the_old_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    let ok = lantern(&site, &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = std::fs::read_to_string(site.join("public/index.html")).unwrap();

    std::fs::write(
        site.join("content/meetings/broken.yaml"),
        "name: Broken\nday: weekly\ntime: \"19:00\"\nlocation: hall\n",
    )
    .unwrap();
    let bad = lantern(&site, &["build"]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        stderr(&bad),
        "content/meetings/broken.yaml:2:6: unknown weekday `weekly`\n  hint: write a weekday name in English: monday, tuesday, ... sunday\nerror: 1 problem in 1 file; nothing was written\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("public/index.html")).unwrap(),
        before
    );
    let leftovers: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lantern-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_broken_template_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    std::fs::create_dir_all(site.join("themes/default/templates")).unwrap();
    std::fs::write(site.join("themes/default/templates/page.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope }}\n{% endblock content %}\n").unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("themes/default/templates/page.html:3:"),
        "{err}"
    );
    assert!(err.contains("template error"), "{err}");
}

#[test]
fn missing_site_yaml_and_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = lantern(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .starts_with("content: no content folder here\n  hint: run Lantern in a site folder"),
        "{}",
        stderr(&out)
    );

    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let out = lantern(dir.path(), &["check"]);
    assert_eq!(
        stderr(&out),
        "content/site.yaml: file not found\n  hint: every site needs content/site.yaml with at least title, base_url and timezone\nerror: 1 problem in 1 file; nothing was written\n"
    );
}

#[test]
fn yes_stays_a_string_and_duplicate_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    // `group: yes` must stay the text "yes" (strict booleans), not become true.
    std::fs::write(
        site.join("content/meetings/yes.yaml"),
        "name: Yes Group\ngroup: yes\nday: monday\ntime: \"10:00\"\nlocation: hall\n",
    )
    .unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(
        site.join("content/meetings/dup.yaml"),
        "name: Dup\nday: monday\nday: friday\ntime: \"10:00\"\nlocation: hall\n",
    )
    .unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("content/meetings/dup.yaml:3:1: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_theme_and_language_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    let yaml = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    std::fs::write(
        site.join("content/site.yaml"),
        format!("{yaml}language: xx\n"),
    )
    .unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "content/site.yaml: the theme has no translations for the language `xx`; it has en"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("or add themes/default/translations/xx.yaml"),
        "{}",
        stderr(&out)
    );

    std::fs::write(
        site.join("content/site.yaml"),
        format!("{yaml}theme: fancy\n"),
    )
    .unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "content/site.yaml: theme `fancy` not found\n  hint: create themes/fancy/templates/"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_base_template_missing_a_block_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    std::fs::create_dir_all(site.join("themes/default/templates")).unwrap();
    std::fs::write(
        site.join("themes/default/templates/base.html"),
        "<html>{% block content %}{% endblock content %}</html>\n",
    )
    .unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    // The first default template that fills the block is named, with the block's position.
    let err = stderr(&out);
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("(default theme) templates/"), "{err}");
    assert!(
        first
            .ends_with(":2:10: template error: Block `head` is not defined in any parent template"),
        "{err}"
    );
    assert!(err.contains("\n  hint: fix the template; every variable a template uses must exist, and a base.html of your own must define the blocks `head` and `content`\n"), "{err}");
}

#[test]
fn a_build_failing_while_pages_are_written_keeps_the_old_site() {
    // Pages stream into a staging folder as they render; a template that fails on some pages
    // only must still leave the previous site as it was, with no staging folder behind.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    assert_eq!(lantern(&site, &["build"]).status.code(), Some(0));
    let before =
        std::fs::read_to_string(site.join("public/meetings/monday-night/index.html")).unwrap();

    std::fs::create_dir_all(site.join("themes/default/templates")).unwrap();
    std::fs::write(
        site.join("themes/default/templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}{{ page.missing_field }}{% endblock content %}\n",
    )
    .unwrap();
    let out = lantern(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("themes/default/templates/page.html:2:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(site.join("public/meetings/monday-night/index.html")).unwrap(),
        before
    );
    // The failed build linked the unchanged page into its staging folder; deleting that folder
    // left the page with its one name again.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let page = site.join("public/meetings/monday-night/index.html");
        assert_eq!(std::fs::metadata(page).unwrap().nlink(), 1);
    }
    assert!(site.join("public/about/index.html").exists());
    let leftovers: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lantern-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Writes `files` (path, text) into a new site folder.
pub fn site_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const SITE: &str = "title: T\nbase_url: https://example.org/\ntimezone: America/Chicago\n";
const HALL: &str = "name: Hall\naddress: 1 Main St\ncity: Springfield\n";

#[test]
fn warnings_and_unpublished_records_are_shown_but_do_not_stop_the_build() {
    let site = site_of(&[
        ("content/site.yaml", SITE),
        ("content/locations/hall.yaml", HALL),
        (
            "content/meetings/late.yaml",
            "name: Late\nday: monday\ntime: \"19:30\"\nend_time: \"18:00\"\nlocation: hall\n",
        ),
        (
            "content/meetings/night.yaml",
            "name: Night\nday: friday\ntime: \"23:00\"\nend_time: \"01:00\"\nlocation: hall\n",
        ),
        (
            "content/meetings/draft.yaml",
            "name: Draft\nday: monday\ntime: \"12:00\"\nlocation: hall\nstatus: inactive\n",
        ),
        ("content/pages/about.md", "---\ntitle: About\n---\nHello.\n"),
    ]);
    let warning = "content/meetings/late.yaml:4:11: warning: `end_time` 18:00 is before `time` 19:30, so the meeting runs past midnight for 22 h 30 min\n  hint: check both times (24-hour clock: 7:30 pm is \"19:30\"); a meeting that really ends the next morning can stay as it is\n";
    let out = lantern(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        warning,
        "a short night meeting is meant; a day-long one is not"
    );
    assert_eq!(
        crate::common::stdout(&out),
        "No problems found: 2 meetings, 1 location, 1 page; 1 warning.\n\
         Not published (status: inactive): content/meetings/draft.yaml:5:9\n"
    );
    let out = lantern(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), warning);
    assert!(
        crate::common::stdout(&out).starts_with("Built 2 meetings and 1 page: "),
        "{}",
        crate::common::stdout(&out)
    );
}

#[test]
fn a_lone_value_is_taken_where_a_list_is_expected() {
    let site = site_of(&[
        ("content/site.yaml", SITE),
        ("content/locations/hall.yaml", HALL),
        (
            "content/meetings/one.yaml",
            "name: One\nday: monday\ntime: \"19:30\"\ntypes: O\nlocation: hall\n",
        ),
    ]);
    let out = lantern(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = std::fs::read_to_string(site.path().join("public/meetings.json")).unwrap();
    assert!(json.contains(r#""types":["O"]"#), "{json}");
}

#[test]
fn names_too_long_for_a_folder_and_deep_regions_are_handled_by_check() {
    // Under the 255 characters a name may have, yet too long for a readable folder name.
    let long = "Very Long Region ".repeat(14);
    let meeting = format!(
        "name: {long}\nday: monday\ntime: \"19:30\"\nlocation: {{name: {long}, address: 1 Main St, city: X}}\nregion: [{long}, Inner]\n"
    );
    let site = site_of(&[
        ("content/site.yaml", SITE),
        ("content/meetings/long.yaml", &meeting),
    ]);
    let out = lantern(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let slug = "very-long-region-very-long-region-very-long-region-very-long-region-very-long";
    for page in [
        format!("public/regions/{slug}/inner/index.html"),
        format!("public/locations/{slug}/index.html"),
    ] {
        assert!(site.path().join(&page).is_file(), "{page}");
    }

    let levels: Vec<String> = (1..=9).map(|i| format!("Level {i}")).collect();
    let deep = format!(
        "name: Deep\nday: monday\ntime: \"19:30\"\nlocation: hall\nregion: [{}]\n",
        levels.join(", ")
    );
    let site = site_of(&[
        ("content/site.yaml", SITE),
        ("content/locations/hall.yaml", HALL),
        ("content/meetings/deep.yaml", &deep),
    ]);
    let out = lantern(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "content/meetings/deep.yaml:5:9: `region` has 9 levels; Lantern shows at most 8\n"
        ),
        "{}",
        stderr(&out)
    );
}

/// A time with a multi-byte character (`🕖` and `7€` are four bytes, like `7:00`) once cut a
/// character in half while guessing the hint, and `check`, `build` and `serve` panicked.
#[test]
fn times_with_multibyte_characters_are_problems_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    std::fs::write(
        site.join("content/meetings/clock.yaml"),
        "name: Clock\nday: monday\ntime: \"🕖\"\nlocation: hall\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/meetings/euro.yaml"),
        "name: Euro\nday: monday\ntime: \"7€\"\nend_time: \"8€\"\nlocation: hall\n",
    )
    .unwrap();
    let expected = "content/meetings/clock.yaml:3:7: `🕖` in `time` is not a time in 24-hour HH:MM form\n  hint: write times as \"HH:MM\" on the 24-hour clock, in quotes, for example \"19:00\"\ncontent/meetings/euro.yaml:3:7: `7€` in `time` is not a time in 24-hour HH:MM form\n  hint: write times as \"HH:MM\" on the 24-hour clock, in quotes, for example \"19:00\"\ncontent/meetings/euro.yaml:4:11: `8€` in `end_time` is not a time in 24-hour HH:MM form\n  hint: write times as \"HH:MM\" on the 24-hour clock, in quotes, for example \"19:00\"\n";
    for cmd in ["check", "build"] {
        let out = lantern(&site, &[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        assert!(!err.contains("panicked"), "{cmd}: {err}");
        assert!(err.starts_with(expected), "{cmd}:\n{err}");
    }
}
