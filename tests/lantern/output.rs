//! The output folder: what `--output` may replace, the mark every build leaves, and the
//! staging folders of killed builds. Run through the binary with relative paths, as people do.

use std::fs;
use std::path::Path;

use crate::common::{copy_tree, fixture, lantern, stderr};

/// A copy of the small fixture site with a theme of its own, in a temporary folder.
fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    fs::create_dir_all(site.join("themes/mine/templates")).unwrap();
    fs::write(site.join("themes/mine/templates/note.txt"), "keep me").unwrap();
    (dir, site)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_folder_no_build_wrote_is_never_replaced_without_force() {
    let (_dir, site) = site();
    for target in ["themes", "themes/mine", "../"] {
        let out = lantern(&site, &["build", "--output", target]);
        assert_eq!(out.status.code(), Some(1), "--output {target}");
        let err = stderr(&out);
        assert!(err.contains("refusing"), "--output {target}: {err}");
    }
    assert_eq!(
        fs::read_to_string(site.join("themes/mine/templates/note.txt")).unwrap(),
        "keep me"
    );

    // A folder with someone's files: refused with a hint, replaced only with --force.
    fs::create_dir_all(site.join("docs")).unwrap();
    fs::write(site.join("docs/notes.md"), "mine").unwrap();
    let out = lantern(&site, &["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("refusing to replace docs: it is not empty"),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("--force"), "{err}");
    assert!(site.join("docs/notes.md").exists());
    let out = lantern(&site, &["build", "--output", "docs", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!site.join("docs/notes.md").exists());
    assert!(site.join("docs/.lantern-output").is_file());
    assert!(site.join("docs/index.html").is_file());
    // Marked now: the next build replaces it without being told.
    let out = lantern(&site, &["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_file_or_a_link_is_never_the_output() {
    let (_dir, site) = site();
    fs::write(site.join("notes.txt"), "precious").unwrap();
    for force in [false, true] {
        let mut args = vec!["build", "--output", "notes.txt"];
        if force {
            args.push("--force");
        }
        let out = lantern(&site, &args);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("it is a file, not a folder"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        fs::read_to_string(site.join("notes.txt")).unwrap(),
        "precious"
    );

    #[cfg(unix)]
    {
        let elsewhere = site.parent().unwrap().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("photo.jpg"), "photo").unwrap();
        fs::write(elsewhere.join(".lantern-output"), "").unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.join("out")).unwrap();
        let out = lantern(&site, &["build", "--output", "out", "--force"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert_eq!(names(&elsewhere), [".lantern-output", "photo.jpg"]);
    }
}

#[test]
fn the_default_output_is_marked_and_rebuilt() {
    let (_dir, site) = site();
    for _ in 0..2 {
        let out = lantern(&site, &["build"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let mark = fs::read_to_string(site.join("public/.lantern-output")).unwrap();
    assert!(mark.contains("lantern build"), "{mark}");
    assert_eq!(names(&site), ["content", "public", "themes"]);
}

#[test]
fn what_killed_builds_left_is_cleaned_up() {
    let (_dir, site) = site();
    // As a SIGKILLed build leaves them: a staging folder and a previous output moved aside,
    // named after processes that are gone.
    for leftover in [
        ".public.lantern-tmp-2147483646",
        ".public.lantern-old-2147483645",
    ] {
        fs::create_dir_all(site.join(leftover).join("meetings/a")).unwrap();
        fs::write(site.join(leftover).join("meetings/a/index.html"), "x").unwrap();
    }
    let out = lantern(&site, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&site), ["content", "public", "themes"]);
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_nothing_the_next_build_keeps() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(
        &crate::common::repo().join("content"),
        &site.join("content"),
    );
    for delay_ms in [5, 20, 40, 80] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lantern"))
            .arg("build")
            .current_dir(&site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let out = lantern(&site, &["build"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            names(&site),
            ["content", "public"],
            "after a kill at {delay_ms} ms"
        );
    }
}
