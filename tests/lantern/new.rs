//! `lantern new meeting|location`: commented records that load and build, refused overwrites,
//! and argument problems reported with validation's own messages.

use std::path::Path;

use crate::common::{build, copy_tree, fixture, lantern, stderr, stdout};

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &root);
    (dir, root)
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--site", root.to_str().unwrap()]);
    lantern(Path::new("."), &all)
}

#[test]
fn new_meeting_is_commented_valid_and_published() {
    let (_d, root) = site();
    let out = run(
        &root,
        &[
            "meeting",
            "Tuesday Night Big Book",
            "--day",
            "tuesday",
            "--time",
            "19:30",
            "--location",
            "hall",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("tuesday-night-big-book.yaml"));
    let file = root.join("content/meetings/tuesday-night-big-book.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() >= 8,
        "{text}"
    );
    assert!(!text.contains("status: inactive"), "{text}");

    let check = lantern(Path::new("."), &["check", "--site", root.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let built = build(&root);
    let page = built.read("meetings/tuesday-night-big-book/index.html");
    assert!(page.contains("Tuesday Night Big Book"));
    assert!(page.contains("7:30"), "{page}");
    // Its "Suggest a change" link points at the new file.
    assert!(page.contains(
        "https://git.example.org/repo/edit/main/content/meetings/tuesday-night-big-book.yaml"
    ));

    // Never overwrites.
    let again = run(
        &root,
        &["meeting", "Tuesday Night Big Book", "--location", "hall"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn without_day_and_time_the_meeting_waits_unpublished() {
    let (_d, root) = site();
    let out = run(
        &root,
        &[
            "meeting",
            "Sunday Serenity",
            "--online",
            "https://meet.example.org/x",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(root.join("content/meetings/sunday-serenity.yaml")).unwrap();
    assert!(text.contains("status: inactive"), "{text}");
    let built = build(&root);
    assert!(!built.exists("meetings/sunday-serenity/index.html"));
}

#[test]
fn bad_arguments_get_validation_messages_and_write_nothing() {
    let (_d, root) = site();
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "meeting",
                "A",
                "--day",
                "mondy",
                "--time",
                "19:00",
                "--location",
                "hall",
            ],
            "unknown weekday `mondy`\n  hint: did you mean `monday`?",
        ),
        (
            &[
                "meeting",
                "A",
                "--day",
                "monday",
                "--time",
                "7pm",
                "--location",
                "hall",
            ],
            "`7pm` in `time` is not a time in 24-hour HH:MM form",
        ),
        (
            &[
                "meeting",
                "A",
                "--day",
                "monday",
                "--time",
                "19:00",
                "--location",
                "hal",
            ],
            "no location `hal`",
        ),
        (
            &["meeting", "A"],
            "neither a `location` nor `online` details",
        ),
    ];
    for (args, message) in cases {
        let out = run(&root, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(!root.join("content/meetings/a.yaml").exists(), "{args:?}");
    }
}

#[test]
fn new_location_loads_and_is_usable() {
    let (_d, root) = site();
    let out = run(&root, &["location", "St. Mark's Annex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = root.join("content/locations/st-mark-s-annex.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Written as import writes records: plain where YAML reads it back unchanged.
    assert!(text.contains("name: St. Mark's Annex\n"), "{text}");
    let out = run(
        &root,
        &[
            "meeting",
            "Annex Group",
            "--day",
            "friday",
            "--time",
            "18:00",
            "--location",
            "st-mark-s-annex",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let built = build(&root);
    assert!(
        built
            .read("locations/st-mark-s-annex/index.html")
            .contains("Annex Group")
    );
    let again = run(&root, &["location", "St. Mark's Annex"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn new_needs_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["location", "Hall"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no content folder here"),
        "{}",
        stderr(&out)
    );
}

/// Names YAML would misread unquoted (a colon and space, a comment sign, a leading quote, a
/// word YAML reads as a boolean or null) are quoted, and read back exactly.
#[test]
fn tricky_names_read_back_exactly() {
    let (_d, root) = site();
    for (name, file) in [
        ("Hope: Group #1", "hope-group-1"),
        ("'Twelve' & Twelve", "twelve-twelve"),
        ("Null", "null"),
        ("No", "no"),
    ] {
        let out = run(&root, &["location", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text =
            std::fs::read_to_string(root.join(format!("content/locations/{file}.yaml"))).unwrap();
        let parsed: std::collections::BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(&text).unwrap();
        assert_eq!(parsed["name"], name, "{text}");
    }
}
