//! A folder that files are made in by relative path.
//!
//! Paths are joined to the folder's own. Holding the folder open and working relative to its
//! descriptor (rustix's `openat`, `mkdirat`, `linkat`) was measured side by side and saved
//! 1-3 % of a build, within the machine's run-to-run noise (BENCHMARKS.md, "Writing through
//! folder descriptors"), so the portable code is the only code.

use std::fs;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) struct Folder {
    path: PathBuf,
}

impl Folder {
    pub(crate) fn open(path: &Path) -> io::Result<Folder> {
        if !path.is_dir() {
            return Err(io::ErrorKind::NotFound.into());
        }
        Ok(Folder {
            path: path.to_path_buf(),
        })
    }

    /// Makes the folder `rel` and any missing folders above it.
    pub(crate) fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        fs::create_dir_all(self.path.join(rel))
    }

    /// Creates (or truncates) the file `rel` with `bytes`.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.path.join(rel), bytes)
    }

    /// Opens the regular file `rel` for reading; a symbolic link is not followed (the file is
    /// only compared with what a build would write, and a link is never what a build wrote).
    pub(crate) fn open_file(&self, rel: &str) -> io::Result<File> {
        let path = self.path.join(rel);
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(io::ErrorKind::InvalidInput.into());
        }
        File::open(path)
    }

    /// Gives the file `rel` of `from` a second name, `rel` in this folder.
    pub(crate) fn link_from(&self, from: &Folder, rel: &str) -> io::Result<()> {
        fs::hard_link(from.path.join(rel), self.path.join(rel))
    }

    /// The full path of `rel` in this folder.
    pub(crate) fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_folders_writes_reads_and_links_by_relative_path() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("a/old")).unwrap();
        std::fs::create_dir_all(tmp.path().join("b")).unwrap();
        let a = Folder::open(&tmp.path().join("a")).unwrap();
        let b = Folder::open(&tmp.path().join("b")).unwrap();
        a.create_dir_all("x/y/z").unwrap();
        a.create_dir_all("x/y").unwrap();
        a.write("x/y/z/page.html", b"hello").unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("a/x/y/z/page.html")).unwrap(),
            "hello"
        );
        let mut text = String::new();
        std::io::Read::read_to_string(&mut a.open_file("x/y/z/page.html").unwrap(), &mut text)
            .unwrap();
        assert_eq!(text, "hello");
        b.create_dir_all("x/y/z").unwrap();
        b.link_from(&a, "x/y/z/page.html").unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("b/x/y/z/page.html")).unwrap(),
            "hello"
        );
        assert!(a.open_file("missing.html").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                tmp.path().join("a/x/y/z/page.html"),
                tmp.path().join("a/link.html"),
            )
            .unwrap();
            assert!(a.open_file("link.html").is_err(), "links are not followed");
        }
    }
}
