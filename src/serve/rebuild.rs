//! The in-memory build behind `lantern serve`: the same stages as `lantern build`, kept warm
//! between edits so that a change re-parses only its file and re-renders only the pages that
//! show it.
//!
//! Stages: [`SourceCache::update`] (re-parse changed files) ->
//! [`crate::validate::validate_ref`] (the whole model, cheap in memory) ->
//! [`crate::render::incremental::diff`] against the last good model ->
//! [`crate::render::render_scoped`]
//! (the pages that changed plus every whole-site output) -> merge into the last good file map.
//! Nothing is replaced until every stage succeeded, so a broken edit leaves the last good site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostics, Error};
use crate::load::cache::{SourceCache, UpdateStats};
use crate::model::Site;
use crate::render::{self, Body, Collect, ItemCache, Scope, Themes};

/// The files of the built site by output path (`meetings/x/index.html`).
pub type Files = HashMap<Arc<str>, Arc<Body>>;

/// What one rebuild did.
#[derive(Clone, Debug)]
pub struct Rebuilt {
    /// Pages rendered this time; the rest were kept.
    pub rendered: usize,
    pub(crate) files: usize,
    pub full: bool,
    /// Nothing the site is made of changed (a save without changes, a stray event): the
    /// served files are the same and open pages need not reload.
    pub(crate) unchanged: bool,
    pub meetings: usize,
    /// Time per stage, for `bench_serve` and the curious.
    pub stages: Vec<(&'static str, Duration)>,
}

pub struct Rebuilder {
    /// The site folder as an absolute path: the file watcher reports absolute paths, and they
    /// must match the records' paths.
    root: PathBuf,
    /// The site folder as the user gave it, for messages.
    shown: PathBuf,
    base_url: String,
    sources: SourceCache,
    theme: Option<Themes>,
    site: Option<Site>,
    items: ItemCache,
    files: Arc<Files>,
    /// Paths of last time's whole-site outputs (sitemap, feeds, assets, static files).
    site_wide: HashSet<String>,
    /// Set after a failed render: the item cache may hold entries of the failed model.
    force_full: bool,
    /// Whether the last rebuild succeeded (else an unchanged input is still broken).
    good: bool,
    /// Paths of the feeds in `files` ([`crate::render::feeds`]), and whether they are behind
    /// the pages.
    feed_paths: HashSet<String>,
    feeds_pending: bool,
}

impl Rebuilder {
    /// A builder for the site at `root` whose pages link to `base_url`. Nothing is read yet.
    /// Changed paths given to `rebuild` are absolute, as the file watcher reports them.
    pub fn new(root: &Path, base_url: &str) -> Self {
        let shown = root.to_path_buf();
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Rebuilder {
            sources: SourceCache::new(&root),
            root,
            shown,
            base_url: base_url.to_string(),
            theme: None,
            site: None,
            items: ItemCache::default(),
            files: Arc::new(Files::new()),
            site_wide: HashSet::new(),
            force_full: true,
            good: false,
            feed_paths: HashSet::new(),
            feeds_pending: false,
        }
    }

    /// Serves `files` (a previous rebuilder's last good site) until this one has built.
    pub(crate) fn keep_serving(&mut self, files: Arc<Files>) {
        self.files = files;
    }

    /// The last good site's files.
    pub fn files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// A record file that was gone when it was read may be back already: an editor saving by
    /// rename (aside, write, delete) can slip between the watcher's look and the read. Read it
    /// again rather than drop its page; one still gone gets `GONE_GRACE` to come back, so a
    /// visitor never meets a 404 for a page that is only being saved.
    fn settle_removals(&mut self, mut update: UpdateStats) -> UpdateStats {
        let deadline = Instant::now() + super::watch::GONE_GRACE;
        let mut pending: HashSet<PathBuf> = self.sources.last_removed().iter().cloned().collect();
        // Bounded: an editor saving without pause could keep a file flapping forever.
        let mut rounds = 0;
        while !pending.is_empty() && rounds < 100 {
            rounds += 1;
            let back: HashSet<PathBuf> = pending
                .iter()
                .filter(|p| std::fs::symlink_metadata(p).is_ok())
                .cloned()
                .collect();
            if back.is_empty() {
                if Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            pending.retain(|p| !back.contains(p));
            let again = self.sources.update_files(&back);
            update.parsed += again.parsed;
            update.changed |= again.changed;
            pending.extend(self.sources.last_removed().iter().cloned());
        }
        update
    }

    /// Brings the site up to date after `changed` paths changed (any paths; those outside
    /// `content/` and `themes/` are ignored; none means check every file). Returns the problems, with paths as `lantern
    /// check --site <root>` shows them, when the site is broken; the last good files stay.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        let themes = self.root.join("themes");
        let site_yaml = self.root.join(crate::load::CONTENT_DIR).join("site.yaml");
        // No paths means the watcher lost track: the theme is read again as well.
        let theme_changed = self.theme.is_none()
            || changed.is_empty()
            || changed
                .iter()
                .any(|p| p.starts_with(&themes) || *p == site_yaml);
        let named: HashSet<PathBuf> = changed.iter().cloned().collect();
        let mut stages = Vec::new();
        let mut t = Instant::now();
        let mut lap = |name: &'static str| {
            stages.push((name, t.elapsed()));
            t = Instant::now();
        };
        let update = if changed.is_empty() {
            self.sources.update(&named)
        } else {
            self.sources.update_files(&named)
        };
        let update = self.settle_removals(update);
        lap("load");
        if !update.changed && !theme_changed && !self.force_full && self.good {
            return Ok(Rebuilt {
                rendered: 0,
                files: self.files.len(),
                full: false,
                unchanged: true,
                meetings: self.site.as_ref().map_or(0, |s| s.meetings.len()),
                stages,
            });
        }
        self.good = false;

        let relative = |d: Diagnostics| d.relative_to(&self.shown);

        let mut site =
            crate::validate::validate_ref(self.sources.raw(), self.sources.diagnostics())
                .map_err(relative)?;
        crate::build::override_base_url(&mut site, &self.base_url);
        lap("validate");

        let mut new_theme = None;
        if theme_changed {
            new_theme = Some(
                Themes::load(&self.root, &site.config.theme, &site.config.languages)
                    .map_err(relative)?,
            );
        }
        let scope = match (&self.site, &new_theme, self.force_full) {
            (Some(old), None, false) => render::incremental::diff(old, &site),
            _ => Scope::All,
        };
        lap("theme+diff");
        let theme = match (&new_theme, &self.theme) {
            (Some(t), _) | (None, Some(t)) => t,
            (None, None) => unreachable_theme()?,
        };
        let sink = Collect::default();
        let rendered =
            match render::render_scoped(&site, theme, &sink, &scope, &mut self.items, false) {
                Ok(r) => r,
                Err(e) => {
                    self.items.clear();
                    self.force_full = true;
                    return Err(relative(as_diagnostics(e)));
                }
            };
        let outputs = sink.0.into_inner().unwrap_or_else(|p| p.into_inner());

        lap("render");
        // Keep the pages that were not rendered again, less those that are gone and the
        // whole-site outputs of last time that are not made any more; take everything new.
        let full = scope == Scope::All;
        let count = outputs.len();
        let site_wide: HashSet<String> = rendered.site_wide.into_iter().collect();
        let mut files: Files = if full {
            Files::with_capacity(count)
        } else {
            let mut files = (*self.files).clone();
            for p in rendered
                .gone
                .iter()
                .chain(self.site_wide.difference(&site_wide))
            {
                files.remove(p.as_str());
            }
            files
        };
        // In emission order, so a site's static file wins over a generated file of its path.
        for o in outputs {
            files.insert(Arc::from(o.path), Arc::new(o.body));
        }
        self.site_wide = site_wide;
        if let Some(t) = new_theme {
            self.theme = Some(t);
        }
        self.force_full = false;
        self.good = true;
        self.feeds_pending = true;
        let meetings = site.meetings.len();
        let old_site = self.site.replace(site);
        let old_files = std::mem::replace(&mut self.files, Arc::new(files));
        // Freeing a 10,000-meeting model takes milliseconds; do it off the reload's path.
        std::thread::spawn(move || drop((old_site, old_files)));
        lap("merge");
        Ok(Rebuilt {
            rendered: count,
            files: self.files.len(),
            full,
            unchanged: false,
            meetings,
            stages,
        })
    }
}

impl Rebuilder {
    /// Renders the whole-site feeds (calendars, sitemap, Meeting Guide JSON, CSV, search
    /// index) of the last good model, after `rebuild` made its pages ready. Returns the time
    /// it took, or `None` when they were up to date. A feed that cannot be written (a time
    /// zone a calendar cannot express) is reported like any other problem; the previous
    /// feeds stay.
    pub fn rebuild_feeds(&mut self) -> Result<Option<Duration>, Diagnostics> {
        if !self.feeds_pending {
            return Ok(None);
        }
        let start = Instant::now();
        let (Some(site), Some(theme)) = (&self.site, &self.theme) else {
            return Ok(None);
        };
        let outputs = match render::feeds(site, theme) {
            Ok(o) => o,
            Err(d) => {
                // Try again on the next save, even an unchanged one.
                self.good = false;
                self.feeds_pending = false;
                return Err(d.relative_to(&self.shown));
            }
        };
        let fresh: HashSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
        // A site's own static file wins over a generated file of the same path.
        let statics: HashSet<&str> = site.static_files.iter().map(|f| f.path.as_str()).collect();
        let mut files = (*self.files).clone();
        for p in self.feed_paths.difference(&fresh) {
            if !statics.contains(p.as_str()) {
                files.remove(p.as_str());
            }
        }
        for o in outputs {
            if !statics.contains(o.path.as_str()) {
                files.insert(Arc::from(o.path), Arc::new(o.body));
            }
        }
        let old = std::mem::replace(&mut self.files, Arc::new(files));
        std::thread::spawn(move || drop(old));
        self.feed_paths = fresh;
        self.feeds_pending = false;
        Ok(Some(start.elapsed()))
    }

    /// Paths of the feeds, so requests for them can wait while they are behind the pages.
    pub(crate) fn feed_paths(&self) -> Arc<HashSet<String>> {
        Arc::new(self.feed_paths.clone())
    }
}

/// Problems as diagnostics; an error that is not about the input (a failed render thread)
/// becomes one too, so the overlay shows it.
fn as_diagnostics(e: Error) -> Diagnostics {
    match e {
        Error::Input(d) => d,
        other => Diagnostics(vec![crate::diagnostics::Diagnostic::new(
            "lantern",
            Default::default(),
            other.to_string(),
        )]),
    }
}

/// A theme is loaded on the first rebuild, so there is always one by the time it is needed.
fn unreachable_theme<T>() -> Result<T, Diagnostics> {
    Err(Diagnostics(vec![crate::diagnostics::Diagnostic::new(
        "themes",
        Default::default(),
        "internal: no theme loaded",
    )]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn copy_small() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/small");
        for e in walkdir::WalkDir::new(&from).into_iter().map(Result::unwrap) {
            let to = dir.path().join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(e.path(), &to).unwrap();
            }
        }
        dir
    }

    fn bytes(b: &Body) -> Vec<u8> {
        b.to_bytes().unwrap()
    }

    /// The incremental result (pages, then feeds) must be exactly what a full build of the
    /// same files gives.
    fn assert_same_as_full(dir: &Path, r: &mut Rebuilder) {
        r.rebuild_feeds().unwrap();
        let mut site = crate::build::load_site(dir, Some("http://127.0.0.1:1/")).unwrap();
        crate::build::override_base_url(&mut site, "http://127.0.0.1:1/");
        let theme = Themes::load(dir, &site.config.theme, &site.config.languages).unwrap();
        let full = render::render(&site, &theme).unwrap();
        let files = r.files();
        let mut want: Vec<&str> = full.iter().map(|o| o.path.as_str()).collect();
        let mut got: Vec<&str> = files.keys().map(|k| &**k).collect();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
        for o in &full {
            assert!(
                bytes(&files[o.path.as_str()]) == bytes(&o.body),
                "{} differs from a full build",
                o.path
            );
        }
    }

    #[test]
    fn incremental_rebuilds_match_full_builds() {
        let dir = copy_small();
        let root = dir.path();
        let mut r = Rebuilder::new(root, "http://127.0.0.1:1/");
        assert!(r.rebuild(&[]).unwrap().full);
        assert_same_as_full(root, &mut r);

        // An edit to one meeting renders a few pages, not the site.
        let meeting = root.join("content/meetings/monday-night.yaml");
        let text = fs::read_to_string(&meeting).unwrap();
        fs::write(&meeting, text.replace("name:", "name: Renamed")).unwrap();
        let done = r.rebuild(std::slice::from_ref(&meeting)).unwrap();
        assert!(!done.full);
        assert!(done.rendered < done.files, "{done:?}");
        assert_same_as_full(root, &mut r);

        // Saving without a change is not a rebuild.
        let same = r.files();
        let done = r.rebuild(std::slice::from_ref(&meeting)).unwrap();
        assert!(done.unchanged);
        assert!(Arc::ptr_eq(&same, &r.files()));

        // A broken file keeps the last good files.
        let before = r.files();
        fs::write(&meeting, "name: [oops\n").unwrap();
        let err = r.rebuild(std::slice::from_ref(&meeting)).unwrap_err();
        assert!(err.to_string().contains("monday-night.yaml:"), "{err}");
        assert!(Arc::ptr_eq(&before, &r.files()));

        // Repaired with its day changed (counts on every page change: a full render).
        fs::write(&meeting, text.replace("monday", "tuesday")).unwrap();
        r.rebuild(std::slice::from_ref(&meeting)).unwrap();
        assert_same_as_full(root, &mut r);

        // A location edit reaches its meetings' pages.
        let hall = root.join("content/locations/hall.yaml");
        let h = fs::read_to_string(&hall).unwrap();
        fs::write(
            &hall,
            h.replace("Side door; downstairs.", "Side door after six."),
        )
        .unwrap();
        assert!(!r.rebuild(std::slice::from_ref(&hall)).unwrap().full);
        assert_same_as_full(root, &mut r);

        // A meeting's types change: the type pages and the types overview follow.
        let now = fs::read_to_string(&meeting).unwrap();
        fs::write(
            &meeting,
            now.replace("types: [O, D, PARK]", "types: [C, D]"),
        )
        .unwrap();
        assert!(!r.rebuild(std::slice::from_ref(&meeting)).unwrap().full);
        assert_same_as_full(root, &mut r);

        // A deleted meeting disappears with its page.
        fs::remove_file(&meeting).unwrap();
        r.rebuild(std::slice::from_ref(&meeting)).unwrap();
        assert_same_as_full(root, &mut r);

        // A deleted static file, and a region no meeting uses any more.
        let stat = root.join("content/static/files/hello.txt");
        fs::remove_file(&stat).unwrap();
        assert!(!r.rebuild(std::slice::from_ref(&stat)).unwrap().full);
        assert_same_as_full(root, &mut r);
        let list = root.join("content/meetings/more/list.yaml");
        let l = fs::read_to_string(&list).unwrap();
        fs::write(&list, l.replace("Northside", "Eastside")).unwrap();
        assert!(!r.rebuild(std::slice::from_ref(&list)).unwrap().full);
        assert!(
            !r.files()
                .contains_key("regions/sangamon-county/springfield/northside/index.html")
        );
        assert_same_as_full(root, &mut r);

        // A theme override is picked up; a template error keeps the last good site.
        let tpl = root.join("themes/default/templates/404.html");
        fs::create_dir_all(tpl.parent().unwrap()).unwrap();
        fs::write(
            &tpl,
            "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock %}",
        )
        .unwrap();
        let before = r.files();
        let err = r.rebuild(std::slice::from_ref(&tpl)).unwrap_err();
        assert!(err.to_string().contains("404.html"), "{err}");
        assert!(Arc::ptr_eq(&before, &r.files()));
        fs::write(
            &tpl,
            "{% extends \"base.html\" %}{% block content %}Gone{% endblock %}",
        )
        .unwrap();
        r.rebuild(std::slice::from_ref(&tpl)).unwrap();
        assert_same_as_full(root, &mut r);
    }
}
