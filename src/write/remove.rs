//! Deleting a built site: the previous output after a swap, or a staging folder left by a
//! failed build.
//!
//! A site has tens of thousands of small files, so this is as much work as writing them. The
//! folders two levels down (`meetings/<slug>/`) are the units of work, deleted in parallel.
//! (Deleting through folder descriptors with rustix was measured and dropped: it saved no more
//! than the run-to-run noise; BENCHMARKS.md, "Writing through folder descriptors".)

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

/// Deletes the folder tree `dir` (nothing when it does not exist). Whatever the parallel pass
/// leaves behind (a file that vanished meanwhile, a folder it could not read) is removed by
/// `fs::remove_dir_all` at the end.
pub(crate) fn remove_tree(dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    remove_contents(dir);
    fs::remove_dir_all(dir)
}

/// Empties `dir` in parallel, a folder two levels down at a time.
fn remove_contents(dir: &Path) {
    let mut units = Vec::new();
    let Ok(top) = fs::read_dir(dir) else { return };
    for entry in top.flatten() {
        // `file_type` does not follow a symbolic link, and `remove_dir_all` removes a link
        // itself, never what it points to.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        match (is_dir, fs::read_dir(entry.path())) {
            (true, Ok(children)) => units.extend(children.flatten().map(|c| c.path())),
            _ => units.push(entry.path()),
        }
    }
    units.par_iter().for_each(|path| {
        let _ = fs::remove_dir_all(path).or_else(|_| fs::remove_file(path));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_every_level_and_never_follows_links() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        let outside = tmp.path().join("keep");
        fs::create_dir_all(outside.join("inner")).unwrap();
        fs::write(outside.join("inner/precious.txt"), "x").unwrap();
        for dir in [
            "meetings/a",
            "meetings/b/deeper/still",
            "regions/x/y/z",
            "empty",
        ] {
            fs::create_dir_all(site.join(dir)).unwrap();
        }
        for file in [
            "index.html",
            "meetings/a/index.html",
            "meetings/a/calendar.ics",
            "meetings/b/deeper/still/file",
            "meetings/top.txt",
            "regions/x/y/z/index.html",
        ] {
            fs::write(site.join(file), "data").unwrap();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, site.join("link-top")).unwrap();
            std::os::unix::fs::symlink(&outside, site.join("meetings/link")).unwrap();
            std::os::unix::fs::symlink(&outside, site.join("meetings/a/link")).unwrap();
        }
        remove_tree(&site).unwrap();
        assert!(!site.exists());
        assert_eq!(
            fs::read_to_string(outside.join("inner/precious.txt")).unwrap(),
            "x"
        );
        // A folder that is not there is nothing to do.
        remove_tree(&site).unwrap();
    }
}
