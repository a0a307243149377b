//! Listing and reading a site's files without ever leaving the site folder.
//!
//! Git stores symbolic links, so a contributor's commit can hold `content/static/env ->
//! /proc/self/environ` or a record linked to `/etc/passwd`, and a host that builds every push
//! would publish them. Every link met while listing, and every single file read by name, is
//! resolved first: a link whose target lies outside the site folder, or inside a hidden folder
//! of it (`.git/config` can hold a deploy token), is refused with a problem instead of read.
//! Links within the site are followed as usual.
//!
//! A folder that cannot be read is a problem too, never a silent gap in the site.

use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Pos, rel_path};

/// Files below `dir` with one of `extensions` (any file when empty), sorted, skipping hidden
/// files and editor backups so a half-saved swap file never becomes a record. Also returns a
/// problem for every link that leaves the site folder `root` (not followed) and every folder
/// or link that cannot be read.
pub(crate) fn files(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return (out, problems);
    }
    let real_root = real(root);
    if let Err(d) = stays_inside(root, &real_root, dir) {
        problems.push(d);
        return (out, problems);
    }
    if !dir.is_dir() {
        return (out, problems);
    }
    let mut walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(walk_problem(root, dir, &e));
                continue;
            }
        };
        if entry.path_is_symlink()
            && let Err(d) = stays_inside(root, &real_root, entry.path())
        {
            problems.push(d);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        if extensions.is_empty()
            || path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.iter().any(|e| x.eq_ignore_ascii_case(e)))
        {
            out.push(path);
        }
    }
    out.sort();
    (out, problems)
}

/// Reads the text file `path` of the site `root`, refusing it when it is, or lies below, a
/// link that leaves the site folder. For files named from outside a listing (site.yaml, a
/// path the file watcher reports, a theme's translations).
pub(crate) fn read_checked(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    stays_inside(root, &real(root), path)?;
    read(root, path)
}

/// Reads the text file `path` that a listing of `files` returned.
pub(crate) fn read(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        let message = match e.kind() {
            io::ErrorKind::NotFound => "file not found".to_string(),
            io::ErrorKind::PermissionDenied => {
                return Diagnostic::new(
                    rel_path(root, path),
                    Pos::default(),
                    "cannot read the file: permission denied",
                )
                .with_hint("make the file readable (for example `chmod a+r` on it)");
            }
            _ => format!("cannot read the file: {e}"),
        };
        Diagnostic::new(rel_path(root, path), Pos::default(), message)
    })?;
    if let Some(at) = control_character(&bytes) {
        let code = match bytes.get(at) {
            Some(0xC2) => bytes.get(at + 1).map_or(0, |&b| u32::from(b)),
            Some(&b) => u32::from(b),
            None => 0,
        };
        return Err(Diagnostic::new(
            rel_path(root, path),
            position_after(bytes.get(..at).unwrap_or_default()),
            format!("the file holds a control character (U+{code:04X}), which is not text"),
        )
        .with_hint(
            "delete it: it is invisible in most editors, and often comes from a copy out of another program or a broken save",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Diagnostic::new(
            rel_path(root, path),
            position_after(valid),
            "the file is not valid UTF-8 text",
        )
        .with_hint("save the file as UTF-8 (most editors have this under \"Save with encoding\")")
    })
}

/// Where the first control character other than tab, line feed and carriage return stands:
/// C0 and DEL as bytes, C1 as their UTF-8 encoding (0xC2 0x80..0x9F, never inside another
/// character). A NUL or an escape character in a page or a feed is at best noise and at worst
/// a way to reach through the output's own markers.
pub(crate) fn control_character(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    })
}

/// The position just after `text`: where the first byte that is not UTF-8 stands.
fn position_after(text: &[u8]) -> Pos {
    let line = text.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&text[start..]).chars().count() as u64 + 1;
    Pos::new(line, column)
}

/// The site folder as the system names it, with every link resolved.
fn real(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Checks that `path`, with every link resolved, is inside the site folder and in no hidden
/// folder of it. A path that does not exist (yet) passes: there is nothing to read.
fn stays_inside(root: &Path, real_root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Diagnostic::new(
                    rel_path(root, path),
                    Pos::default(),
                    "this symbolic link leads to nothing",
                )
                .with_hint("remove the link, or put the file itself here"));
            }
            return Ok(());
        }
        Err(e) => {
            return Err(Diagnostic::new(
                rel_path(root, path),
                Pos::default(),
                format!("cannot follow this path: {e}"),
            ));
        }
    };
    let inside = target.strip_prefix(real_root).ok().filter(|rel| {
        !rel.components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    });
    match inside {
        Some(_) => Ok(()),
        None => Err(Diagnostic::new(
            rel_path(root, path),
            Pos::default(),
            "this is a symbolic link to a place outside the site folder (or into a hidden folder of it); Lantern never reads or publishes through such links",
        )
        .with_hint("copy the file into the site instead of linking to it, or remove the link")),
    }
}

/// A problem met while listing `dir`.
fn walk_problem(root: &Path, dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(dir);
    if e.loop_ancestor().is_some() {
        return Diagnostic::new(
            rel_path(root, path),
            Pos::default(),
            "this symbolic link leads back to a folder above it",
        )
        .with_hint("remove the link: it would make the folder endless");
    }
    match e.io_error().map(io::Error::kind) {
        Some(io::ErrorKind::PermissionDenied) => Diagnostic::new(
            rel_path(root, path),
            Pos::default(),
            "cannot read this folder: permission denied, so its files would be left out",
        )
        .with_hint(
            "make the folder readable (for example `chmod a+rx` on it), or move it out of content/",
        ),
        Some(io::ErrorKind::NotFound) => Diagnostic::new(
            rel_path(root, path),
            Pos::default(),
            "this symbolic link leads to nothing",
        )
        .with_hint("remove the link, or put the file itself here"),
        _ => Diagnostic::new(
            rel_path(root, path),
            Pos::default(),
            format!("cannot read this folder: {e}"),
        ),
    }
}

/// Hidden files, editor swap and backup files.
pub(crate) fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_after_counts_lines_and_characters() {
        assert_eq!(position_after(b""), Pos::new(1, 1));
        assert_eq!(position_after(b"a: 1\nb: \xc3\xa9"), Pos::new(2, 5));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_links_outside_are_refused() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let dir = root.join("content/static");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::fs::write(root.join("README.md"), "readme").unwrap();
        std::fs::write(tmp.path().join("secret"), "secret").unwrap();
        std::fs::write(dir.join("plain.txt"), "x").unwrap();
        symlink(root.join("README.md"), dir.join("readme.txt")).unwrap();
        symlink(tmp.path().join("secret"), dir.join("secret.txt")).unwrap();
        symlink(root.join(".git/config"), dir.join("config.txt")).unwrap();
        symlink(tmp.path(), dir.join("up")).unwrap();
        symlink(root.join("missing"), dir.join("dangling.txt")).unwrap();
        let (files, problems) = files(&root, &dir, &[]);
        let names: Vec<String> = files.iter().map(|p| rel_path(&dir, p)).collect();
        assert_eq!(names, ["plain.txt", "readme.txt"]);
        let mut paths: Vec<&str> = problems.iter().map(|d| d.path.as_str()).collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                "content/static/config.txt",
                "content/static/dangling.txt",
                "content/static/secret.txt",
                "content/static/up"
            ]
        );
        let e = read_checked(&root, &dir.join("secret.txt")).unwrap_err();
        assert!(e.message.contains("outside the site folder"), "{e}");
        assert!(!e.to_string().contains("secret\n"));
        assert_eq!(
            read_checked(&root, &dir.join("readme.txt")).unwrap(),
            "readme"
        );
    }

    #[test]
    fn control_characters_are_refused_with_their_position() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.yaml");
        for (text, at, code) in [
            (&b"name: A\nnotes: x\x00y\n"[..], "a.yaml:2:9", "U+0000"),
            (b"name: \x1b[31m\n", "a.yaml:1:7", "U+001B"),
            (b"name: caf\xc3\xa9 \xc2\x85\n", "a.yaml:1:12", "U+0085"),
        ] {
            std::fs::write(&p, text).unwrap();
            let e = read(tmp.path(), &p).unwrap_err();
            assert_eq!(e.location(), at);
            assert!(e.message.contains(code), "{e}");
        }
        std::fs::write(&p, "name: a\tb\r\nnotes: caf\u{e9} \u{a0}\n").unwrap();
        assert!(
            read(tmp.path(), &p).is_ok(),
            "tab, CR LF, accents and NBSP are text"
        );
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.yaml");
        std::fs::write(&p, b"name: A\nnotes: caf\xe9\n").unwrap();
        let e = read(tmp.path(), &p).unwrap_err();
        assert_eq!(e.location(), "a.yaml:2:11");
    }
}
