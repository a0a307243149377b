//! Symbolic links and unreadable folders: nothing outside the site folder is ever read or
//! published, and nothing is left out in silence.

use std::fs;

use crate::common::{copy_tree, fixture, lantern, stderr};

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("build", "small"), &site);
    (dir, site)
}

#[cfg(unix)]
#[test]
fn links_that_leave_the_site_are_refused_in_every_folder() {
    use std::os::unix::fs::symlink;
    let (dir, site) = site();
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "TOKEN=hunter2\n").unwrap();
    fs::create_dir_all(site.join(".git")).unwrap();
    fs::write(site.join(".git/config"), "TOKEN=hunter2\n").unwrap();
    symlink("/proc/self/environ", site.join("content/static/env")).unwrap();
    symlink(&secret, site.join("content/static/leak.txt")).unwrap();
    symlink(dir.path(), site.join("content/static/up")).unwrap();
    symlink("../../.git/config", site.join("content/static/config")).unwrap();
    symlink(&secret, site.join("content/meetings/passwd.yaml")).unwrap();
    symlink(&secret, site.join("content/pages/leaked.md")).unwrap();
    fs::create_dir_all(site.join("themes/default/templates")).unwrap();
    fs::create_dir_all(site.join("themes/default/static")).unwrap();
    symlink(&secret, site.join("themes/default/templates/page.html")).unwrap();
    symlink(&secret, site.join("themes/default/static/x.css")).unwrap();

    for verb in ["check", "build"] {
        let out = lantern(&site, &[verb]);
        assert_eq!(out.status.code(), Some(1), "{verb}");
        let err = stderr(&out);
        assert!(!err.contains("hunter2"), "{verb} printed the secret: {err}");
        for path in [
            "content/static/env",
            "content/static/leak.txt",
            "content/static/up",
            "content/static/config",
            "content/meetings/passwd.yaml",
            "content/pages/leaked.md",
        ] {
            assert!(
                err.contains(&format!(
                    "{path}: this is a symbolic link to a place outside"
                )),
                "{verb}: {path} not refused: {err}"
            );
        }
        assert!(err.contains("hint: copy the file into the site"), "{err}");
    }
    assert!(!site.join("public").exists(), "nothing was published");
}

#[cfg(unix)]
#[test]
fn theme_links_that_leave_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let (dir, site) = site();
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "TOKEN=hunter2\n").unwrap();
    fs::create_dir_all(site.join("themes/default/templates")).unwrap();
    fs::create_dir_all(site.join("themes/default/static")).unwrap();
    symlink(&secret, site.join("themes/default/templates/page.html")).unwrap();
    symlink(&secret, site.join("themes/default/static/x.css")).unwrap();
    let out = lantern(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains("hunter2"), "{err}");
    assert!(
        err.contains("themes/default/templates/page.html: this is a symbolic link"),
        "{err}"
    );
    assert!(
        err.contains("themes/default/static/x.css: this is a symbolic link"),
        "{err}"
    );
    assert!(!site.join("public").exists());
}

#[cfg(unix)]
#[test]
fn links_within_the_site_are_followed() {
    use std::os::unix::fs::symlink;
    let (_dir, site) = site();
    fs::write(site.join("LICENSE.txt"), "free").unwrap();
    symlink("../../LICENSE.txt", site.join("content/static/license.txt")).unwrap();
    let out = lantern(&site, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(site.join("public/license.txt")).unwrap(),
        "free"
    );
}

#[cfg(unix)]
#[test]
fn a_link_loop_and_a_dangling_link_are_problems() {
    use std::os::unix::fs::symlink;
    let (_dir, site) = site();
    symlink(".", site.join("content/meetings/loop")).unwrap();
    symlink("gone.yaml", site.join("content/meetings/dangling.yaml")).unwrap();
    let out = lantern(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/meetings/loop: this symbolic link leads back to a folder above it"),
        "{err}"
    );
    assert!(
        err.contains("content/meetings/dangling.yaml: this symbolic link leads to nothing"),
        "{err}"
    );
}

/// Root reads every folder whatever its mode, so as root the binary runs without the
/// capabilities that allow it (util-linux's setpriv), as an ordinary user would.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_a_problem_not_a_gap() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, site) = site();
    let hidden = site.join("content/meetings/north");
    fs::create_dir_all(&hidden).unwrap();
    fs::copy(
        site.join("content/meetings/monday-night.yaml"),
        hidden.join("north-monday.yaml"),
    )
    .unwrap();
    let statics = site.join("content/static/private");
    fs::create_dir_all(&statics).unwrap();
    fs::set_permissions(&hidden, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&statics, fs::Permissions::from_mode(0o000)).unwrap();
    let bin = env!("CARGO_BIN_EXE_lantern");
    let run = |verb: &str| {
        let mut cmd = if rustix_is_root() {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--bounding-set=-dac_override,-dac_read_search", "--", bin]);
            c
        } else {
            std::process::Command::new(bin)
        };
        cmd.arg(verb)
            .current_dir(&site)
            .output()
            .expect("setpriv (util-linux) runs")
    };
    for verb in ["check", "build"] {
        let out = run(verb);
        let err = stderr(&out);
        fs::set_permissions(&hidden, fs::Permissions::from_mode(0o755)).ok();
        assert_eq!(out.status.code(), Some(1), "{verb}: {err}");
        fs::set_permissions(&hidden, fs::Permissions::from_mode(0o000)).unwrap();
        assert!(
            err.contains("content/meetings/north: cannot read this folder: permission denied"),
            "{verb}: {err}"
        );
        assert!(
            err.contains("content/static/private: cannot read this folder: permission denied"),
            "{verb}: {err}"
        );
    }
    fs::set_permissions(&hidden, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&statics, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!site.join("public").exists());
}

#[cfg(unix)]
fn rustix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}
