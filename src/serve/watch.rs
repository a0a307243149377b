//! Watching `content/` and `themes/` for changes (`notify` with `notify-debouncer-full`).
//!
//! Editors save in bursts (a swap file, a rename, a write, a metadata change); the debouncer
//! folds each burst into one batch, and this module drops what never affects the site:
//! hidden files, swap and backup files, and reads.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostics::{Error, display_path};
use crate::load::is_ignored;

/// How long a burst of events may last before the site is rebuilt.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(20);

/// How long a file that vanished may take to come back before the site is rebuilt without
/// it. Vim and other editors save by renaming the file aside, writing a new one and deleting
/// the old: between the rename and the write the file is gone, and a rebuild then would
/// remove its page for a moment, so a visitor reloading would see a 404.
pub(crate) const GONE_GRACE: Duration = Duration::from_millis(300);

/// One batch of changes.
pub(crate) struct Batch {
    /// Changed paths that may matter to the site.
    pub(crate) paths: Vec<PathBuf>,
    /// The watcher lost track (too many events): everything must be checked.
    pub(crate) rescan: bool,
}

pub(crate) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rx: Receiver<DebounceEventResult>,
    /// Which of content/ and themes/ are watched (they may be created later).
    watched: [bool; 2],
    /// A batch taken by [`Watcher::has_batch`], handed out by the next [`Watcher::next_batch`].
    ready: Option<Batch>,
}

const DIRS: [&str; 2] = [crate::load::CONTENT_DIR, "themes"];

impl Watcher {
    /// Watches the site folder itself (to see content/ or themes/ appear) and both folders.
    pub(crate) fn new(root: &Path) -> Result<Self, Error> {
        let (tx, rx) = channel();
        let debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(5)), tx)
            .map_err(|e| Error::Other(format!("cannot watch for changes: {e}")))?;
        // Events name absolute paths; a relative root (`lantern serve` run in the site folder,
        // as the README says) would match none of them.
        let root = std::path::absolute(root)
            .map_err(|e| Error::Other(format!("cannot find {}: {e}", display_path(root))))?;
        let mut w = Watcher {
            root: root.clone(),
            debouncer,
            rx,
            watched: [false; 2],
            ready: None,
        };
        w.debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Other(format!("cannot watch {}: {e}", display_path(&root))))?;
        w.watch_dirs();
        Ok(w)
    }

    fn watch_dirs(&mut self) {
        for (i, dir) in DIRS.iter().enumerate() {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            if exists && !self.watched[i] {
                match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => self.watched[i] = true,
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", display_path(&path)),
                }
            } else if !exists && self.watched[i] {
                let _ = self.debouncer.unwatch(&path);
                self.watched[i] = false;
            }
        }
    }

    /// Waits for the next batch that may change the site. `None` when the watcher stopped.
    pub(crate) fn next_batch(&mut self) -> Option<Batch> {
        if let Some(batch) = self.ready.take() {
            return Some(batch);
        }
        loop {
            let first = self.rx.recv().ok()?;
            if let Some(batch) = self.gather(first) {
                return Some(batch);
            }
        }
    }

    /// Whether a batch that may change the site is already waiting (without waiting).
    pub(crate) fn has_batch(&mut self) -> bool {
        while self.ready.is_none() {
            match self.rx.try_recv() {
                Ok(first) => self.ready = self.gather(first),
                Err(_) => break,
            }
        }
        self.ready.is_some()
    }

    /// A batch from `first` and whatever else is already waiting, so one rebuild covers it
    /// all; `None` when none of it can change the site.
    fn gather(&mut self, first: DebounceEventResult) -> Option<Batch> {
        let mut batch = Batch {
            paths: Vec::new(),
            rescan: false,
        };
        self.add(first, &mut batch);
        loop {
            match self.rx.recv_timeout(Duration::ZERO) {
                Ok(more) => self.add(more, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.wait_for_gone(&mut batch);
        if batch.paths.iter().any(|p| p.parent() == Some(&self.root)) {
            self.watch_dirs();
            batch.rescan = true;
        }
        if batch.rescan || !batch.paths.is_empty() {
            batch.paths.sort();
            batch.paths.dedup();
            Some(batch)
        } else {
            None
        }
    }

    /// Gives files of the batch that no longer exist `GONE_GRACE` to reappear, gathering the
    /// events meanwhile, so a save by rename is one change and never a removal.
    fn wait_for_gone(&mut self, batch: &mut Batch) {
        let until = Instant::now() + GONE_GRACE;
        while batch
            .paths
            .iter()
            .any(|p| std::fs::symlink_metadata(p).is_err())
        {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                break;
            };
            match self.rx.recv_timeout(left.min(Duration::from_millis(10))) {
                Ok(more) => self.add(more, batch),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    }

    fn add(&self, result: DebounceEventResult, batch: &mut Batch) {
        match result {
            Ok(events) => {
                for e in events {
                    if e.need_rescan() {
                        batch.rescan = true;
                    }
                    let relevant = match e.kind {
                        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
                        EventKind::Access(_) => false,
                        _ => true,
                    };
                    if !relevant {
                        continue;
                    }
                    batch
                        .paths
                        .extend(e.paths.iter().filter(|p| self.matters(p)).cloned());
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
                batch.rescan = true;
            }
        }
    }

    /// Paths in content/ or themes/ (or those folders themselves), not hidden or swap files.
    fn matters(&self, p: &Path) -> bool {
        let Ok(rel) = p.strip_prefix(&self.root) else {
            return false;
        };
        let mut parts = rel.components();
        let top = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string());
        if !top.as_deref().is_some_and(|t| DIRS.contains(&t)) {
            return false;
        }
        !rel.components().any(|c| is_ignored(c.as_os_str()))
    }
}
