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
pub fn remove_tree(dir: &Path) -> io::Result<()> {
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
    use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

    use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags};

    use super::*;

    /// One thing to delete: an entry of one of the opened folders.
    struct Unit {
        parent: usize,
        name: CString,
        is_dir: bool,
    }

    pub fn remove_contents(dir: &Path) -> io::Result<()> {
        let root = open_dir(CWD, dir)?;
        let mut parents: Vec<OwnedFd> = Vec::new();
        let mut top_dirs = Vec::new();
        let mut units = Vec::new();
        for (name, is_dir) in entries(root.as_fd())? {
            if is_dir {
                let fd = open_dir(root.as_fd(), &name)?;
                for (child, child_is_dir) in entries(fd.as_fd())? {
                    units.push(Unit {
                        parent: parents.len(),
                        name: child,
                        is_dir: child_is_dir,
                    });
                }
                parents.push(fd);
                top_dirs.push(name);
            } else {
                rustix::fs::unlinkat(root.as_fd(), name.as_c_str(), AtFlags::empty())?;
            }
        }
        units.par_iter().try_for_each(|u| {
            remove_at(parents[u.parent].as_fd(), &u.name, u.is_dir).map_err(io::Error::from)
        })?;
        drop(parents);
        for name in top_dirs {
            rustix::fs::unlinkat(root.as_fd(), name.as_c_str(), AtFlags::REMOVEDIR)?;
        }
        Ok(())
    }

    fn remove_at(parent: BorrowedFd, name: &CStr, is_dir: bool) -> rustix::io::Result<()> {
        if is_dir {
            let fd = open_dir(parent, name)?;
            for (child, child_is_dir) in entries(fd.as_fd())? {
                remove_at(fd.as_fd(), &child, child_is_dir)?;
            }
            rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR)
        } else {
            rustix::fs::unlinkat(parent, name, AtFlags::empty())
        }
    }

    fn open_dir<P: rustix::path::Arg>(parent: impl AsFd, path: P) -> rustix::io::Result<OwnedFd> {
        rustix::fs::openat(
            parent,
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
    }

    /// The entries of a folder (without `.` and `..`), each with whether it is a folder. A
    /// symbolic link is not: it is removed, never followed.
    fn entries(fd: BorrowedFd) -> rustix::io::Result<Vec<(CString, bool)>> {
        let mut out = Vec::new();
        let mut dir = Dir::read_from(fd)?;
        while let Some(entry) = dir.read() {
            let entry = entry?;
            let name = entry.file_name();
            if name == c"." || name == c".." {
                continue;
            }
            let is_dir = match entry.file_type() {
                FileType::Directory => true,
                FileType::Unknown => rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)?,
                _ => false,
            };
            out.push((name.to_owned(), is_dir));
        }
        Ok(out)
    }
}

#[cfg(not(unix))]
mod portable {
    use super::*;

    pub fn remove_contents(dir: &Path) {
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
