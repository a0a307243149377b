//! Stage 4, write: the only place that touches the output folder.
//!
//! The site is written into a fresh temporary folder beside the target and swapped in only
//! when every file was written, so a failed build leaves the previous site untouched.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Error, display_path};
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::render::{Body, Output, Part, Sink};
use crate::timings::time;

mod folder;
mod remove;
use folder::Folder;
use remove::remove_tree;

/// Checks that `output` is a safe place to write: never the site, its content folder, or a
/// folder containing them (swapping it would delete the editors' files).
pub fn check_output(site_root: &Path, output: &Path) -> Result<(), Error> {
    let site = absolute(site_root);
    let content = site.join(crate::load::CONTENT_DIR);
    let out = absolute(output);
    if out == site || content.starts_with(&out) || out.starts_with(&content) {
        return Err(Error::Other(format!(
            "refusing to write the site into {}: it is, contains or is inside the content folder {}\n  hint: use an output folder of its own, such as {}",
            display_path(output),
            display_path(&content),
            display_path(&site_root.join("public"))
        )));
    }
    Ok(())
}

/// Writes all outputs to `output`, replacing what was there only once everything is written.
/// Returns the number of files written.
pub fn write(outputs: &[Output], output: &Path) -> Result<usize, Error> {
    write_site(output, |sink| {
        outputs.par_iter().try_for_each(|o| sink.emit(o.clone()))
    })
}

/// Runs `produce` with a sink that writes into a fresh staging folder beside `output`, then
/// swaps the staging folder in. If `produce` or any write fails, `output` is left untouched.
pub fn write_site(
    output: &Path,
    produce: impl FnOnce(&dyn Sink) -> Result<(), Error>,
) -> Result<usize, Error> {
    let output = absolute(output);
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent)
        .map_err(|e| Error::io(format!("cannot create {}", display_path(&parent)), e))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.lantern-tmp-{}", std::process::id()));
    let _ = remove_tree(&staging);
    fs::create_dir_all(&staging)
        .map_err(|e| Error::io(format!("cannot create {}", display_path(&staging)), e))?;

    let folder = Folder::open(&staging)
        .map_err(|e| Error::io(format!("cannot open {}", display_path(&staging)), e))?;
    let previous = Folder::open(&output).ok();
    let sink = DirSink::new(folder, previous);
    let result = produce(&sink).and_then(|()| swap(&staging, &output, &parent, &name));
    if result.is_err() {
        let _ = remove_tree(&staging);
    }
    result.map(|()| sink.count.load(Ordering::Relaxed))
}

/// Writes each output into the staging folder as it arrives.
///
/// Sites have tens of thousands of small files, so system calls dominate: folders already made
/// are remembered here instead of asked of the file system each time.
///
/// A file whose bytes are the same as in the previous output is hard-linked from there rather
/// than written again: most files of a rebuild are unchanged, a link costs the system less than
/// a new file, and deleting the previous output afterwards then only drops names. An unchanged
/// page also keeps its modification time, so tools that deploy by comparing times (rsync)
/// upload only what changed. Nothing is ever written through such a link: the previous site
/// stays as it was until the swap, whatever happens.
struct DirSink {
    dir: Folder,
    /// The output folder as the previous build left it, if there is one.
    previous: Option<Folder>,
    /// Cleared when the file system refuses a hard link (some cannot make them), so the rest
    /// of the build does not compare files it cannot link.
    can_link: AtomicBool,
    count: AtomicUsize,
    made: Mutex<HashSet<String>>,
}

impl DirSink {
    fn new(dir: Folder, previous: Option<Folder>) -> Self {
        Self {
            dir,
            previous,
            can_link: AtomicBool::new(true),
            count: AtomicUsize::new(0),
            made: Mutex::new(HashSet::new()),
        }
    }

    fn make_parent(&self, path: &str) -> Result<(), Error> {
        let Some((parent, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let known = self
            .made
            .lock()
            .map(|m| m.contains(parent))
            .unwrap_or(false);
        if !known {
            self.dir
                .create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create the folder for {path}"), e))?;
            if let Ok(mut m) = self.made.lock() {
                m.insert(parent.to_string());
            }
        }
        Ok(())
    }

    /// Links the previous output's copy of `path` when it has exactly `bytes`, else writes.
    fn write_or_link(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(previous) = &self.previous
            && self.can_link.load(Ordering::Relaxed)
            && same_contents(previous, path, bytes)
        {
            match self.dir.link_from(previous, path) {
                Ok(()) => return Ok(()),
                Err(_) => self.can_link.store(false, Ordering::Relaxed),
            }
        }
        self.dir.write(path, bytes)
    }
}

impl Sink for DirSink {
    fn emit(&self, o: Output) -> Result<(), Error> {
        self.make_parent(&o.path)?;
        let r = match &o.body {
            // Generated files have paths of their own.
            Body::Bytes(b) => self.write_or_link(&o.path, b),
            // The pieces are joined first: one copy, then one write (the system copies many small
            // pieces more slowly than one buffer).
            Body::Parts(parts) => self.write_or_link(&o.path, &Part::join(parts)),
            // Files copied as they are (the theme's assets, then the site's static files) come
            // last and may replace one emitted before (a site's own robots.txt). The earlier
            // one goes first: it may be a link into the previous site, which must not change.
            Body::Static(_) | Body::Copy(_) => {
                let target = self.dir.join(&o.path);
                let replaced = fs::symlink_metadata(&target).is_ok();
                if replaced {
                    fs::remove_file(&target)
                        .map_err(|e| Error::io(format!("cannot replace {}", o.path), e))?;
                    // A file written twice counts once.
                    self.count.fetch_sub(1, Ordering::Relaxed);
                }
                match &o.body {
                    Body::Static(b) => fs::write(&target, b),
                    Body::Copy(src) => fs::copy(src, &target).map(|_| ()),
                    Body::Bytes(_) | Body::Parts(_) => Ok(()),
                }
            }
        };
        r.map_err(|e| Error::io(format!("cannot write {}", o.path), e))?;
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether `path` in `folder` is a regular file (not a link to one) holding exactly `bytes`.
fn same_contents(folder: &Folder, path: &str, bytes: &[u8]) -> bool {
    let Ok(mut file) = folder.open_file(path) else {
        return false;
    };
    if !file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    // Through `take`, the read needs no second look at the file's size and position.
    let mut old = Vec::with_capacity(bytes.len() + 1);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, bytes.len() as u64 + 1),
        &mut old,
    )
    .is_ok()
        && old == bytes
}

/// Moves the staged site into place: the old output is moved aside, the new one renamed in,
/// then the old one deleted. Renames within one folder are atomic on every platform we target.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    let old = parent.join(format!(".{name}.lantern-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old {
        let _ = remove_tree(&old);
        fs::rename(output, &old).map_err(|e| {
            Error::io(
                format!("cannot move the old {} aside", display_path(output)),
                e,
            )
        })?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_old {
            let _ = fs::rename(&old, output);
        }
        return Err(Error::io(
            format!("cannot move the new site into {}", display_path(output)),
            e,
        ));
    }
    if had_old {
        let _ = time("remove old output", || remove_tree(&old));
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Resolve `.` and `..` by hand (the folder may not exist yet), then symlinks in the
    // longest part that exists, so comparisons are meaningful.
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_content_folder_and_site_root() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        assert!(check_output(dir.path(), dir.path()).is_err());
        assert!(check_output(dir.path(), &dir.path().join("content")).is_err());
        assert!(check_output(dir.path(), &dir.path().join("content/x")).is_err());
        assert!(check_output(&dir.path().join("."), &dir.path().join("public/..")).is_err());
        assert!(check_output(dir.path(), &dir.path().join("public")).is_ok());
    }

    #[test]
    fn write_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let outputs = vec![Output::text("a/index.html", "new".into())];
        assert_eq!(write(&outputs, &out).unwrap(), 1);
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
