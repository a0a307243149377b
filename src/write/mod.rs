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

/// The file every output folder Lantern writes holds, so that a later build knows the folder is
/// its own to replace. A folder without it is never replaced unless the user says `--force`:
/// `--output` pointed at the wrong folder must not delete someone's files.
pub(crate) const MARKER: &str = ".lantern-output";

const MARKER_TEXT: &str = "This folder is written by `lantern build` and replaced as a whole on every build.\n\
Do not keep files of your own in it: put them in content/static/ instead.\n";

/// Checks that `output` is a safe place to write: never the site, its content folder, or a
/// folder containing them (swapping it would delete the editors' files); never a file or a
/// symbolic link; and a folder that is not empty only when an earlier build marked it as its
/// own, or when `force` says to replace it anyway.
pub(crate) fn check_output(site_root: &Path, output: &Path, force: bool) -> Result<(), Error> {
    let site = absolute(site_root);
    let content = site.join(crate::load::CONTENT_DIR);
    let out = absolute(output);
    let own_folder = format!(
        "use an output folder of its own, such as {}",
        display_path(&site_root.join("public"))
    );
    if out == site || content.starts_with(&out) || out.starts_with(&content) {
        return Err(Error::hinted(
            format!(
                "refusing to write the site into {}: it is, contains or is inside the content folder {}",
                display_path(output),
                display_path(&content),
            ),
            own_folder,
        ));
    }
    let Ok(meta) = fs::symlink_metadata(output) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(Error::hinted(
            format!(
                "refusing to write the site into {}: it is a symbolic link, and the build replaces it as a whole",
                display_path(output)
            ),
            match fs::canonicalize(output) {
                Ok(target) => format!(
                    "give the folder itself as --output ({}), or {own_folder}",
                    display_path(&target)
                ),
                Err(_) => own_folder,
            },
        ));
    }
    if !meta.is_dir() {
        return Err(Error::hinted(
            format!(
                "refusing to write the site into {}: it is a file, not a folder",
                display_path(output)
            ),
            own_folder,
        ));
    }
    if force || is_marked(output) {
        return Ok(());
    }
    let empty = fs::read_dir(output)
        .map_err(|e| Error::io(format!("cannot read {}", display_path(output)), e))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    Err(Error::hinted(
        format!(
            "refusing to replace {}: it is not empty and no earlier build wrote it (it has no {MARKER} file), so replacing it would delete its files",
            display_path(output)
        ),
        format!(
            "{own_folder}; if this folder really is an old build output, delete it or pass --force once"
        ),
    ))
}

/// Whether `dir` holds the mark of a Lantern output (a regular file, not a link to one).
fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
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
pub(crate) fn write_site(
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
    remove_leftovers(&parent, &name);
    let staging = parent.join(staging_name(&name, "tmp", std::process::id()));
    let _ = remove_tree(&staging);
    fs::create_dir_all(&staging)
        .map_err(|e| Error::io(format!("cannot create {}", display_path(&staging)), e))?;

    let folder = Folder::open(&staging)
        .map_err(|e| Error::io(format!("cannot open {}", display_path(&staging)), e))?;
    // Marked first, so that even a staging folder left by a killed build is known as Lantern's.
    let marked = folder
        .write(MARKER, MARKER_TEXT.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", display_path(&staging)), e));
    let previous = Folder::open(&output).ok();
    let sink = DirSink::new(folder, previous);
    sink.count.fetch_add(1, Ordering::Relaxed);
    let result = marked
        .and_then(|()| produce(&sink))
        .and_then(|()| swap(&staging, &output, &parent, &name));
    if result.is_err() {
        let _ = remove_tree(&staging);
    }
    result.map(|()| sink.count.load(Ordering::Relaxed))
}

/// `.public.lantern-tmp-123`: a folder beside the output named `name`, owned by process `pid`.
fn staging_name(name: &str, kind: &str, pid: u32) -> String {
    format!(".{name}.lantern-{kind}-{pid}")
}

/// Deletes the staging and old-output folders that builds killed before they could clean up
/// (SIGKILL, a power cut) left beside the output. A folder whose build is still running (its
/// process is alive) is left alone.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| leftover_pid(n, name)) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = time("remove leftovers", || remove_tree(&entry.path()));
        }
    }
}

/// The process id in a staging or old-output folder name of output `name`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(&format!(".{name}.lantern-"))?;
    let pid = rest
        .strip_prefix("tmp-")
        .or_else(|| rest.strip_prefix("old-"))?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // EPERM: the process exists but belongs to someone else.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap way to ask, a folder might belong to a running build: keep it.
    true
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
                // Through the same compare-and-link path as pages, so an unchanged static file
                // keeps its modification time too (and deploys that compare times skip it).
                match &o.body {
                    Body::Static(b) => self.write_or_link(&o.path, b),
                    Body::Copy(src) => {
                        fs::read(src).and_then(|bytes| self.write_or_link(&o.path, &bytes))
                    }
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

/// Moves the staged site into place. Where the system can exchange two names in one step
/// (Linux), the old and new sites trade places, so the output path never stops holding a
/// whole site, not even for a moment; elsewhere the old output is moved aside and the new one
/// renamed in. The old site is deleted afterwards.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    let had_old = fs::symlink_metadata(output).is_ok();
    if had_old && exchange(staging, output).is_ok() {
        let _ = time("remove old output", || remove_tree(staging));
        return Ok(());
    }
    let old = parent.join(staging_name(name, "old", std::process::id()));
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

/// Swaps the names `a` and `b` atomically (`renameat2` with `RENAME_EXCHANGE`). Fails where
/// the system or the file system cannot (then the caller renames twice).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
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
        for force in [false, true] {
            assert!(check_output(dir.path(), dir.path(), force).is_err());
            assert!(check_output(dir.path(), &dir.path().join("content"), force).is_err());
            assert!(check_output(dir.path(), &dir.path().join("content/x"), force).is_err());
            assert!(
                check_output(&dir.path().join("."), &dir.path().join("public/.."), force).is_err()
            );
        }
        assert!(check_output(dir.path(), &dir.path().join("public"), false).is_ok());
    }

    #[test]
    fn refuses_folders_it_did_not_write_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        let themes = site.join("themes");
        fs::create_dir_all(themes.join("mine")).unwrap();
        let e = check_output(&site, &themes, false).unwrap_err().to_string();
        assert!(e.contains("not empty and no earlier build wrote it"), "{e}");
        assert!(e.contains("--force"), "{e}");
        assert!(check_output(&site, &themes, true).is_ok());

        let empty = dir.path().join("empty");
        fs::create_dir_all(&empty).unwrap();
        assert!(check_output(&site, &empty, false).is_ok());

        let marked = dir.path().join("marked");
        fs::create_dir_all(&marked).unwrap();
        fs::write(marked.join("index.html"), "x").unwrap();
        fs::write(marked.join(MARKER), "").unwrap();
        assert!(check_output(&site, &marked, false).is_ok());

        let file = dir.path().join("file.txt");
        fs::write(&file, "precious").unwrap();
        for force in [false, true] {
            let e = check_output(&site, &file, force).unwrap_err().to_string();
            assert!(e.contains("is a file, not a folder"), "{e}");
        }

        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&marked, &link).unwrap();
            for force in [false, true] {
                let e = check_output(&site, &link, force).unwrap_err().to_string();
                assert!(e.contains("symbolic link"), "{e}");
            }
        }
    }

    #[test]
    fn write_replaces_the_whole_folder_and_marks_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let outputs = vec![Output::text("a/index.html", "new".into())];
        assert_eq!(write(&outputs, &out).unwrap(), 2, "the page and the mark");
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(is_marked(&out));
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A process id no system hands out (above Linux's largest pid_max).
        let dead = dir.path().join(".public.lantern-tmp-2147483646");
        let dead_old = dir.path().join(".public.lantern-old-2147483645");
        // This test's parent process is alive, and so is a build it runs.
        let live = dir.path().join(format!(
            ".public.lantern-tmp-{}",
            std::os::unix::process::parent_id()
        ));
        let other = dir.path().join(".other.lantern-tmp-2147483646");
        for d in [&dead, &dead_old, &live, &other] {
            fs::create_dir_all(d.join("meetings/x")).unwrap();
            fs::write(d.join("meetings/x/index.html"), "x").unwrap();
        }
        write(&[Output::text("index.html", "new".into())], &out).unwrap();
        assert!(!dead.exists() && !dead_old.exists());
        assert!(live.exists(), "a running build's folder is kept");
        assert!(other.exists(), "another output's folder is not touched");
    }

    #[test]
    fn leftover_names() {
        assert_eq!(leftover_pid(".public.lantern-tmp-12", "public"), Some(12));
        assert_eq!(leftover_pid(".public.lantern-old-7", "public"), Some(7));
        assert_eq!(leftover_pid(".public.lantern-tmp-", "public"), None);
        assert_eq!(leftover_pid(".public.lantern-tmp-1x", "public"), None);
        assert_eq!(leftover_pid(".site.lantern-tmp-1", "public"), None);
        assert_eq!(leftover_pid("public", "public"), None);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_swap_exchanges_old_and_new_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("which"), "a").unwrap();
        fs::write(b.join("which"), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("which")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("which")).unwrap(), "a");
    }
}
