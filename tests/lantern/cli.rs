//! The command line: help, version, exit codes, `init`, and output folder safety.

use crate::common::{lantern, stderr, stdout};

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = lantern(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    for verb in ["build", "check", "init", "serve", "new"] {
        assert!(stdout(&out).contains(verb), "{}", stdout(&out));
    }
    let out = lantern(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&out),
        format!("lantern {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        lantern(dir.path(), &["build", "--nope"]).status.code(),
        Some(2)
    );
    assert_eq!(lantern(dir.path(), &["frobnicate"]).status.code(), Some(2));
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = lantern(dir.path(), &["init", "mysite"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = lantern(&dir.path().join("mysite"), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.starts_with("Built 2 meetings and 1 page: "),
        "{summary}"
    );
    assert!(summary.trim_end().ends_with("-> public"), "{summary}");
    assert!(
        dir.path()
            .join("mysite/public/meetings/monday-night-group/index.html")
            .exists()
    );
    // init never overwrites.
    let again = lantern(dir.path(), &["init", "mysite"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists and is not empty"));
}

#[test]
fn refuses_to_write_over_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(lantern(dir.path(), &["init", "s"]).status.code(), Some(0));
    let site = dir.path().join("s");
    for out in [".", "content", "content/public"] {
        let o = lantern(&site, &["build", "--output", out]);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(
            stderr(&o).contains("refusing to write the site into"),
            "{}",
            stderr(&o)
        );
    }
    assert!(site.join("content/site.yaml").exists());
}

#[test]
fn base_url_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(lantern(dir.path(), &["init", "s"]).status.code(), Some(0));
    let site = dir.path().join("s");
    let o = lantern(
        &site,
        &["build", "--base-url", "http://localhost:8080/preview"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(html.contains(r#"href="/preview/assets/style.css""#));
    assert!(html.contains(r#"<link rel="canonical" href="http://localhost:8080/preview/">"#));
    // A wrong address is a usage error, said before anything is read.
    for bad in [
        "ftp://x",
        "https://x.org/?a=b",
        "https://x.org/#top",
        "https://u:p@x.org/",
    ] {
        let o = lantern(&site, &["build", "--base-url", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("not a web address the site can be published at"));
    }
}

#[test]
fn a_bad_base_url_is_a_usage_error_before_the_site_is_read() {
    // No content/ here: were `--base-url` checked after loading, this would be exit 1 ("no
    // content folder") instead of clap's usage error naming the flag and the value.
    let dir = tempfile::tempdir().unwrap();
    let o = lantern(dir.path(), &["build", "--base-url", "example.org/meetings"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: invalid value 'example.org/meetings' for '--base-url <URL>': "),
        "{err}"
    );
    assert!(err.contains("starting with http:// or https://"), "{err}");
    assert!(err.contains("try '--help'"), "{err}");
    assert_eq!(stdout(&o), "");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn base_url_and_contact_email_are_strict_in_records() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(lantern(dir.path(), &["init", "s"]).status.code(), Some(0));
    let site = dir.path().join("s");
    let yaml = site.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let base = text.lines().find(|l| l.starts_with("base_url:")).unwrap();
    std::fs::write(
        &yaml,
        text.replace(base, "base_url: https://example.org/?utm=x"),
    )
    .unwrap();
    let meetings = site.join("content/meetings");
    let first = std::fs::read_dir(&meetings)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let m = std::fs::read_to_string(&first).unwrap();
    std::fs::write(
        &first,
        format!("{m}\ncontact_email: x@example.org?bcc=all@example.org\n"),
    )
    .unwrap();
    let o = lantern(&site, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/site.yaml:") && err.contains("has a query or fragment"),
        "{err}"
    );
    assert!(
        err.contains(
            "`x@example.org?bcc=all@example.org` in `contact_email` is not an e-mail address"
        ),
        "{err}"
    );
}
