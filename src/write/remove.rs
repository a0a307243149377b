//! Deleting a built site: the previous output after a swap, or a staging folder left by a
//! failed build.
//!
//! A site has tens of thousands of small files, so this is as much work as writing them. The
//! folders two levels down (`meetings/<slug>/`) are the units of work, deleted in parallel. On
//! Unix each is opened relative to its parent's descriptor and emptied by name, which spares
//! the kernel a path walk and a few system calls per file compared with `fs::remove_dir_all`.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

/// Deletes the folder tree `dir` (nothing when it does not exist). Whatever the fast path
/// leaves behind (a file that vanished meanwhile, an unusual file type) is removed by
/// `fs::remove_dir_all` at the end.
pub(crate) fn remove_tree(dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    #[cfg(unix)]
    let _ = unix::remove_contents(dir);
    #[cfg(not(unix))]
    portable::remove_contents(dir);
    fs::remove_dir_all(dir)
}

#[cfg(unix)]
mod unix {
    use std::ffi::{CStr, CString};
    use std::os::fd::{AsFd, BorrowedFd};

    use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags};

    use super::*;

    /// One thing to delete: an entry of one of the opened folders.
    struct Unit {
        parent: usize,
        name: CString,
        is_dir: bool,
    }

    pub(crate) fn remove_contents(dir: &Path) -> io::Result<()> {
        let root = list(CWD, dir)?;
        let root_fd = root.dir.fd()?;
        let mut parents: Vec<Dir> = Vec::new();
        let mut top_dirs = Vec::new();
        let mut units = Vec::new();
        for (name, is_dir) in root.entries {
            if is_dir {
                let folder = list(root_fd, &name)?;
                units.extend(
                    folder
                        .entries
                        .into_iter()
                        .map(|(child, child_is_dir)| Unit {
                            parent: parents.len(),
                            name: child,
                            is_dir: child_is_dir,
                        }),
                );
                parents.push(folder.dir);
                top_dirs.push(name);
            } else {
                rustix::fs::unlinkat(root_fd, name.as_c_str(), AtFlags::empty())?;
            }
        }
        units.par_iter().try_for_each(|u| {
            let parent = parents[u.parent].fd()?;
            remove_at(parent, &u.name, u.is_dir).map_err(io::Error::from)
        })?;
        drop(parents);
        for name in top_dirs {
            rustix::fs::unlinkat(root_fd, name.as_c_str(), AtFlags::REMOVEDIR)?;
        }
        Ok(())
    }

    fn remove_at(parent: BorrowedFd, name: &CStr, is_dir: bool) -> rustix::io::Result<()> {
        if is_dir {
            let folder = list(parent, name)?;
            let fd = folder.dir.fd()?;
            for (child, child_is_dir) in &folder.entries {
                remove_at(fd, child, *child_is_dir)?;
            }
            drop(folder);
            rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR)
        } else {
            rustix::fs::unlinkat(parent, name, AtFlags::empty())
        }
    }

    /// An open folder and its entries (without `.` and `..`), each with whether it is a
    /// folder. A symbolic link is not: it is removed, never followed.
    struct Listed {
        dir: Dir,
        entries: Vec<(CString, bool)>,
    }

    fn list<P: rustix::path::Arg>(parent: impl AsFd, path: P) -> rustix::io::Result<Listed> {
        let fd = rustix::fs::openat(
            parent,
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        // The stream owns the descriptor, which then serves for the deletions too.
        let mut dir = Dir::new(fd)?;
        let mut entries = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry?;
            let name = entry.file_name();
            if name == c"." || name == c".." {
                continue;
            }
            let is_dir = match entry.file_type() {
                FileType::Directory => true,
                FileType::Unknown => rustix::fs::statat(dir.fd()?, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)?,
                _ => false,
            };
            entries.push((name.to_owned(), is_dir));
        }
        Ok(Listed { dir, entries })
    }
}

#[cfg(not(unix))]
mod portable {
    use super::*;

    pub(crate) fn remove_contents(dir: &Path) {
        let mut units = Vec::new();
        let Ok(top) = fs::read_dir(dir) else { return };
        for entry in top.flatten() {
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
