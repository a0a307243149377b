//! Incremental loading for `lantern serve`: the raw records of a site kept in memory between
//! edits, re-reading and re-parsing only the files that changed.
//!
//! A file is parsed again when its modification time or size differs from the last read, or
//! when the file watcher names it (some editors keep both). Created and deleted files are found
//! by listing the content folders, which costs a directory read but no file reads. The result
//! is the same `RawInput` that [`crate::load::load`] returns, records in the same order, so
//! validation reports exactly what `lantern check` would.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use super::records::{RawLocation, RawMeeting};
use super::{CONTENT_DIR, RawInput, RawPage, Sourced};
use crate::diagnostics::{Diagnostic, Diagnostics, rel_path};

/// What a file was last read as: modification time and size.
type Stamp = Option<(SystemTime, u64)>;

/// The kinds of record files, each in its own folder of `content/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Site,
    Location,
    Meeting,
    Page,
}

struct Entry {
    stamp: Stamp,
    /// Hash of the text last read, so a save without changes costs no rebuild.
    hash: Option<u64>,
    /// Problems found when the file was last read. Its records are kept beside them (as
    /// [`crate::load::load`] keeps them), so validation reports their other problems too.
    diags: Vec<Diagnostic>,
}

/// A file read again whose text changed: its new entry and records.
type Fresh = (Entry, Parsed);

/// The parsed records of one file.
enum Parsed {
    Site(Box<Option<Sourced<super::records::RawSite>>>),
    Locations(Vec<Sourced<RawLocation>>),
    Meetings(Vec<Sourced<Box<RawMeeting>>>),
    Pages(Vec<RawPage>),
}

/// How many changed files are put in place one by one; above this the lists are re-sorted.
const INSERT_LIMIT: usize = 64;

/// A site's raw records, kept up to date by `update`.
pub(crate) struct SourceCache {
    raw: RawInput,
    files: BTreeMap<PathBuf, (Kind, Entry)>,
    /// Set when the content folder itself is missing.
    missing: Option<Diagnostic>,
    /// Problems met listing the record folders (links leaving the site, unreadable folders).
    listing: Vec<Diagnostic>,
    /// The same for `content/static/`, listed on its own when only static files changed.
    static_listing: Vec<Diagnostic>,
    /// The record files the last update found gone.
    last_removed: Vec<PathBuf>,
}

/// What one `update` did: how many files were parsed again, and whether `serve` has anything
/// to rebuild.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UpdateStats {
    pub(crate) parsed: usize,
    /// Whether any record, problem or static file differs from before.
    pub(crate) changed: bool,
}

impl SourceCache {
    pub(crate) fn new(root: &Path) -> Self {
        SourceCache {
            raw: RawInput::empty(root),
            files: BTreeMap::new(),
            missing: None,
            listing: Vec::new(),
            static_listing: Vec::new(),
            last_removed: Vec::new(),
        }
    }

    /// The records as of the last `update`.
    pub(crate) fn raw(&self) -> &RawInput {
        &self.raw
    }

    /// Every problem found while reading and parsing, as [`crate::load::load`] reports them.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut out = Diagnostics::default();
        if let Some(d) = &self.missing {
            out.push(d.clone());
        }
        for d in self.listing.iter().chain(&self.static_listing) {
            out.push(d.clone());
        }
        for (_, entry) in self.files.values() {
            for d in &entry.diags {
                out.push(d.clone());
            }
        }
        out
    }

    /// Brings the records up to date with the disk. `changed` names files the watcher saw
    /// change; they are read again even when their time and size look the same.
    pub(crate) fn update(&mut self, changed: &HashSet<PathBuf>) -> UpdateStats {
        let root = self.raw.root.clone();
        let content = root.join(CONTENT_DIR);
        if !content.is_dir() {
            self.missing = Some(super::no_content(&root));
            self.files.clear();
            self.raw.site = None;
            self.raw.locations.clear();
            self.raw.meetings.clear();
            self.raw.pages.clear();
            self.raw.static_files.clear();
            self.listing.clear();
            self.static_listing.clear();
            return UpdateStats::default();
        }
        self.missing = None;

        let mut listed: Vec<(PathBuf, Kind)> = vec![(content.join("site.yaml"), Kind::Site)];
        let mut listing = Vec::new();
        for (dir, exts, kind) in [
            ("locations", &["yaml", "yml"][..], Kind::Location),
            ("meetings", &["yaml", "yml"][..], Kind::Meeting),
            ("pages", &["md"][..], Kind::Page),
        ] {
            let (files, problems) = super::files(&root, &content.join(dir), exts);
            listed.extend(files.into_iter().map(|p| (p, kind)));
            listing.extend(problems);
        }
        let listing_changed = listing != self.listing;
        self.listing = listing;

        // Stat every listed file (cheap next to reading it) to find the ones to parse.
        let stamped: Vec<(PathBuf, Kind, Stamp)> = listed
            .into_par_iter()
            .map(|(p, k)| {
                let stamp = std::fs::metadata(&p)
                    .ok()
                    .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
                (p, k, stamp)
            })
            .collect();
        let present: HashSet<&Path> = stamped.iter().map(|(p, _, _)| p.as_path()).collect();
        let removed: Vec<(PathBuf, Kind)> = self
            .files
            .iter()
            .filter(|(p, _)| !present.contains(p.as_path()))
            .map(|(p, (k, _))| (p.clone(), *k))
            .collect();
        let to_parse: Vec<(PathBuf, Kind, Stamp)> = stamped
            .into_iter()
            .filter(|(p, _, stamp)| {
                changed.contains(p)
                    || self
                        .files
                        .get(p)
                        .is_none_or(|(_, e)| e.stamp != *stamp || stamp.is_none())
            })
            .collect();

        let removed: Vec<PathBuf> = removed.into_iter().map(|(p, _)| p).collect();
        let mut stats = self.apply(removed, to_parse);
        stats.changed |= listing_changed;
        let (statics, problems) = super::static_files(&root);
        stats.changed |= statics != self.raw.static_files || problems != self.static_listing;
        self.raw.static_files = statics;
        self.static_listing = problems;
        stats
    }

    /// Re-reads only `changed` (a watcher's batch), without listing any folder. Falls back to
    /// `update` when a path is a folder, or a gone path that may have been one.
    pub(crate) fn update_files(&mut self, changed: &HashSet<PathBuf>) -> UpdateStats {
        let content = self.raw.root.join(CONTENT_DIR);
        if self.missing.is_some() || !content.is_dir() {
            return self.update(changed);
        }
        let mut removed = Vec::new();
        let mut to_parse = Vec::new();
        let mut statics = false;
        for p in changed {
            let Ok(rel) = p.strip_prefix(&content) else {
                continue;
            };
            if rel.components().any(|c| super::is_ignored(c.as_os_str())) {
                continue;
            }
            let class = classify(rel);
            let meta = std::fs::metadata(p).ok();
            if meta.as_ref().is_some_and(|m| m.is_dir()) || (meta.is_none() && self.holds_below(p))
            {
                return self.update(changed);
            }
            match (class, meta) {
                (Class::Static, _) => statics = true,
                (Class::Other, _) => {}
                (Class::Record(kind), Some(m)) => to_parse.push((
                    p.clone(),
                    kind,
                    Some((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len())),
                )),
                // site.yaml is always read: when it is gone that is a problem to report.
                (Class::Record(Kind::Site), None) => to_parse.push((p.clone(), Kind::Site, None)),
                (Class::Record(_), None) => removed.push(p.clone()),
            }
        }
        let mut stats = self.apply(removed, to_parse);
        if statics {
            // A changed static file's bytes are read when served; a new or gone one is a change.
            stats.changed = true;
            (self.raw.static_files, self.static_listing) = super::static_files(&self.raw.root);
        }
        stats
    }

    /// The record files the last update found gone (and dropped).
    pub(crate) fn last_removed(&self) -> &[PathBuf] {
        &self.last_removed
    }

    /// Whether some known file lies below `dir`.
    fn holds_below(&self, dir: &Path) -> bool {
        self.files
            .range(dir.to_path_buf()..)
            .next()
            .is_some_and(|(p, _)| p != dir && p.starts_with(dir))
    }

    fn apply(
        &mut self,
        removed: Vec<PathBuf>,
        to_parse: Vec<(PathBuf, Kind, Stamp)>,
    ) -> UpdateStats {
        let root = self.raw.root.clone();
        let files = &self.files;
        let results: Vec<(PathBuf, Kind, Stamp, Option<Fresh>)> = to_parse
            .into_par_iter()
            .map(|(p, kind, stamp)| {
                let before = files
                    .get(&p)
                    .filter(|(k, _)| *k == kind)
                    .and_then(|(_, e)| e.hash);
                let parsed = parse(&root, &p, kind, before)
                    .map(|(parsed, diags, hash)| (Entry { stamp, hash, diags }, parsed));
                (p, kind, stamp, parsed)
            })
            .collect();
        // Files whose text is unchanged keep their records; only their stamp is new.
        let mut parsed = Vec::new();
        for (p, kind, stamp, result) in results {
            match result {
                Some((entry, records)) => parsed.push((p, kind, entry, records)),
                None => {
                    if let Some((_, e)) = self.files.get_mut(&p) {
                        e.stamp = stamp;
                    }
                }
            }
        }

        let stats = UpdateStats {
            parsed: parsed.len(),
            changed: !parsed.is_empty() || !removed.is_empty(),
        };
        self.last_removed.clone_from(&removed);
        let mut gone: HashSet<String> = HashSet::new();
        for p in &removed {
            self.files.remove(p);
            gone.insert(rel_path(&root, p));
        }
        for (p, _, _, _) in &parsed {
            gone.insert(rel_path(&root, p));
        }
        if !gone.is_empty() {
            self.raw.locations.retain(|s| !gone.contains(&s.path));
            self.raw.meetings.retain(|s| !gone.contains(&s.path));
            self.raw.pages.retain(|s| !gone.contains(&s.path));
        }
        let many = parsed.len() > INSERT_LIMIT;
        for (p, kind, entry, records) in parsed {
            self.files.insert(p, (kind, entry));
            match records {
                Parsed::Site(site) => self.raw.site = *site,
                Parsed::Locations(v) => place(&mut self.raw.locations, v, many, |s| &s.path),
                Parsed::Meetings(v) => place(&mut self.raw.meetings, v, many, |s| &s.path),
                Parsed::Pages(v) => place(&mut self.raw.pages, v, many, |s| &s.path),
            }
        }
        if many {
            // `load` orders records by file path (component by component), then file order.
            sort_by_path(&mut self.raw.locations, |s| &s.path);
            sort_by_path(&mut self.raw.meetings, |s| &s.path);
            sort_by_path(&mut self.raw.pages, |s| &s.path);
        }
        stats
    }
}

enum Class {
    Record(Kind),
    Static,
    Other,
}

/// What a path below `content/` holds, by its folder and extension (as `load` lists them).
fn classify(rel: &Path) -> Class {
    let ext = rel
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let top = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .unwrap_or_default();
    let nested = rel.components().count() > 1;
    match (top.as_str(), ext.as_str()) {
        ("site.yaml", _) if !nested => Class::Record(Kind::Site),
        ("locations", "yaml" | "yml") if nested => Class::Record(Kind::Location),
        ("meetings", "yaml" | "yml") if nested => Class::Record(Kind::Meeting),
        ("pages", "md") if nested => Class::Record(Kind::Page),
        ("static", _) => Class::Static,
        _ => Class::Other,
    }
}

/// Puts one file's records in place: at their sorted position, or at the end when the whole
/// list is sorted afterwards.
fn place<T>(list: &mut Vec<T>, records: Vec<T>, append: bool, path: impl Fn(&T) -> &str) {
    let Some(first) = records.first() else {
        return;
    };
    if append {
        list.extend(records);
        return;
    }
    let key = Path::new(path(first)).to_path_buf();
    let at = list.partition_point(|r| Path::new(path(r)) < key.as_path());
    list.splice(at..at, records);
}

fn sort_by_path<T>(list: &mut [T], path: impl Fn(&T) -> &str) {
    list.sort_by(|a, b| Path::new(path(a)).cmp(Path::new(path(b))));
}

/// Reads and parses one file as [`crate::load::load`] does: its records, its problems and the
/// hash of its text. `None` when the text hashes to `before` (nothing to do).
fn parse(
    root: &Path,
    p: &Path,
    kind: Kind,
    before: Option<u64>,
) -> Option<(Parsed, Vec<Diagnostic>, Option<u64>)> {
    if kind == Kind::Site {
        return Some(match super::parse_site_file(root) {
            Ok(s) => (Parsed::Site(Box::new(Some(s))), Vec::new(), None),
            Err(d) => (Parsed::Site(Box::new(None)), vec![d], None),
        });
    }
    // The watcher names files by path, which may run through a link: check where it leads.
    let text = match super::read_checked(root, p) {
        Ok(t) => t,
        Err(d) => return Some((empty(kind), vec![d], None)),
    };
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        h.finish()
    };
    if before == Some(hash) {
        return None;
    }
    let path = rel_path(root, p);
    let (parsed, diags) = match kind {
        Kind::Location => {
            let (records, diags) = super::parse_locations(&path, &text);
            (Parsed::Locations(records), diags)
        }
        Kind::Meeting => {
            let (records, diags) = super::parse_meetings(&path, &text);
            (Parsed::Meetings(records), diags)
        }
        _ => {
            let (records, diags) = super::parse_page(&path, &text);
            (Parsed::Pages(records), diags)
        }
    };
    Some((parsed, diags, Some(hash)))
}

fn empty(kind: Kind) -> Parsed {
    match kind {
        Kind::Site => Parsed::Site(Box::new(None)),
        Kind::Location => Parsed::Locations(Vec::new()),
        Kind::Meeting => Parsed::Meetings(Vec::new()),
        Kind::Page => Parsed::Pages(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(dir: &Path) {
        fs::create_dir_all(dir.join("content/meetings/sub")).unwrap();
        fs::write(
            dir.join("content/site.yaml"),
            "title: T\nbase_url: https://x.org/\ntimezone: UTC\n",
        )
        .unwrap();
        for (name, slug) in [("a", "a"), ("sub/b", "b"), ("c", "c")] {
            fs::write(
                dir.join(format!("content/meetings/{name}.yaml")),
                format!("name: M {slug}\nday: monday\ntime: \"19:00\"\nonline:\n  url: https://m.org/{slug}\n"),
            )
            .unwrap();
        }
    }

    fn paths(c: &SourceCache) -> Vec<String> {
        c.raw().meetings.iter().map(|m| m.path.clone()).collect()
    }

    #[test]
    fn matches_a_full_load_after_edits() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let mut c = SourceCache::new(dir.path());
        let st = c.update(&HashSet::new());
        assert_eq!(st.parsed, 4);
        let (full, _) = crate::load::load(dir.path());
        let full_paths: Vec<String> = full.meetings.iter().map(|m| m.path.clone()).collect();
        assert_eq!(paths(&c), full_paths);

        // Nothing changed: nothing is parsed again.
        assert_eq!(c.update(&HashSet::new()).parsed, 0);

        // A named file is parsed again; a broken one drops out with its problem.
        let a = dir.path().join("content/meetings/a.yaml");
        fs::write(&a, "name: [unclosed\n").unwrap();
        let st = c.update(&HashSet::from([a.clone()]));
        assert_eq!(st.parsed, 1);
        assert_eq!(c.diagnostics().len(), 1);
        assert!(!paths(&c).contains(&"content/meetings/a.yaml".to_string()));

        // Repaired, deleted and created files.
        fs::write(
            &a,
            "name: M a\nday: monday\ntime: \"19:00\"\nonline:\n  url: https://m.org/a\n",
        )
        .unwrap();
        fs::remove_file(dir.path().join("content/meetings/c.yaml")).unwrap();
        fs::write(
            dir.path().join("content/meetings/aa.yaml"),
            "name: M aa\nday: monday\ntime: \"19:00\"\nonline:\n  url: https://m.org/aa\n",
        )
        .unwrap();
        let st = c.update(&HashSet::from([a]));
        assert!(st.changed);
        assert!(c.diagnostics().is_empty());
        let (full, _) = crate::load::load(dir.path());
        let full_paths: Vec<String> = full.meetings.iter().map(|m| m.path.clone()).collect();
        assert_eq!(paths(&c), full_paths);
        assert_eq!(full_paths.len(), 3);
    }
}
