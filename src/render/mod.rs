//! Stage 3, render: a pure function from the model (and a theme) to the list of output files.
//!
//! Nothing here touches the output folder; `write` does. One module per output format.

pub mod csv;
pub(crate) mod default_theme;
pub(crate) mod html;
pub(crate) mod i18n;
pub mod ical;
pub(crate) mod incremental;
pub(crate) mod jsonld;
pub(crate) mod markdown;
pub(crate) mod meeting_guide;
pub(crate) mod pdf;
pub(crate) mod search_index;
pub(crate) mod sitemap;
pub(crate) mod theme;
pub(crate) mod urls;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use std::sync::Mutex;

use crate::diagnostics::{Diagnostics, Error};
use crate::model::Site;
use crate::timings::time;
pub(crate) use html::ItemCache;
pub(crate) use incremental::Scope;
use rayon::prelude::*;
pub use theme::{Theme, Themes};

/// One file of the built site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, `/`-separated (`meetings/x/index.html`).
    pub path: String,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Pieces that make the file one after another. List pages and calendar feeds share each
    /// meeting's rendered entry or event this way instead of copying it into every page or
    /// feed on the way; the pieces are joined once, when the file is written or served.
    Parts(Vec<Part>),
    /// Copied from this file as it is.
    Copy(PathBuf),
    Static(&'static [u8]),
}

/// A piece of a `Body::Parts` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Owned(String),
    Shared(Arc<str>),
}

impl Part {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Part::Owned(s) => s.as_bytes(),
            Part::Shared(s) => s.as_bytes(),
        }
    }

    /// The pieces as one buffer of the exact size.
    pub(crate) fn join(parts: &[Part]) -> Vec<u8> {
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.as_bytes().len()).sum());
        for p in parts {
            out.extend_from_slice(p.as_bytes());
        }
        out
    }
}

impl Body {
    /// The file's bytes, whatever form it has (a copied file is read from disk).
    pub fn to_bytes(&self) -> std::io::Result<Vec<u8>> {
        Ok(match self {
            Body::Bytes(b) => b.clone(),
            Body::Parts(parts) => Part::join(parts),
            Body::Static(b) => b.to_vec(),
            Body::Copy(p) => std::fs::read(p)?,
        })
    }
}

impl Output {
    pub(crate) fn text(path: impl Into<String>, text: String) -> Self {
        Self {
            path: path.into(),
            body: Body::Bytes(text.into_bytes()),
        }
    }
}

/// Where rendered files go. Rendering only produces; a sink decides what happens to each file
/// (the writer in `write` puts it in the staging folder, `Collect` keeps it in memory).
pub(crate) trait Sink: Sync {
    fn emit(&self, output: Output) -> Result<(), Error>;
}

/// A sink that keeps every output in memory (tests, `check`, serve).
#[derive(Default)]
pub(crate) struct Collect(pub Mutex<Vec<Output>>);

impl Sink for Collect {
    fn emit(&self, output: Output) -> Result<(), Error> {
        self.0
            .lock()
            .map_err(|_| Error::Other("a render thread failed".into()))?
            .push(output);
        Ok(())
    }
}

/// A sink that only counts, for `check`: everything is rendered, nothing is kept.
#[derive(Default)]
pub(crate) struct Discard(pub std::sync::atomic::AtomicUsize);

impl Sink for Discard {
    fn emit(&self, _: Output) -> Result<(), Error> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Puts every file under a folder (`es/`): one language's edition of the site.
struct Prefixed<'a> {
    prefix: &'a str,
    inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn emit(&self, mut output: Output) -> Result<(), Error> {
        if !self.prefix.is_empty() {
            output.path = format!("{}{}", self.prefix, output.path);
        }
        self.inner.emit(output)
    }
}

/// Renders every output of the site into memory, sorted by path.
pub fn render(site: &Site, theme: &Themes) -> Result<Vec<Output>, Error> {
    let sink = Collect::default();
    render_into(site, theme, &sink)?;
    let mut outputs = sink
        .0
        .into_inner()
        .map_err(|_| Error::Other("a render thread failed".into()))?;
    // Keep the last output of each path: a site's static file wins over a generated one.
    outputs.reverse();
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    outputs.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(outputs)
}

/// Renders every output of the site into `sink`. HTML pages are emitted as they are rendered
/// (in parallel) so a large site never sits in memory whole; the site's own static files come
/// last so they win over a generated file of the same path (e.g. robots.txt).
pub(crate) fn render_into(site: &Site, theme: &Themes, sink: &dyn Sink) -> Result<(), Error> {
    render_scoped(
        site,
        theme,
        sink,
        &Scope::All,
        &mut ItemCache::default(),
        true,
    )
    .map(|_| ())
}

/// Outputs made from the whole model besides the calendar feeds: rendered again on every
/// build and rebuild, never scoped to an edit. A new whole-site output format is added here.
/// Each format is made on its own thread: the largest (meetings.json) takes as long as the
/// others together. The sitemap, the Meeting Guide feed and the CSV are one for the whole
/// site (in the default language); each language has its finder index.
pub(crate) fn site_outputs(editions: &[Cow<'_, Site>], strings: &[i18n::Strings]) -> Vec<Output> {
    let site = &editions[0];
    let s = &strings[0];
    type Make<'a> = Box<dyn Fn() -> Vec<Output> + Send + Sync + 'a>;
    let mut makers: Vec<Make> = vec![
        Box::new(|| sitemap::render(editions)),
        Box::new(|| meeting_guide::render(site, s)),
        Box::new(|| csv::render(site, s)),
    ];
    for (edition, s) in editions.iter().zip(strings) {
        makers.push(Box::new(move || {
            let mut index = search_index::render(edition, s);
            index.path = format!("{}{}", edition.config.prefix, index.path);
            vec![index]
        }));
        makers.push(Box::new(move || {
            let mut pdfs = time("print schedules", || pdf::render(edition, s));
            for p in &mut pdfs {
                p.path = format!("{}{}", edition.config.prefix, p.path);
            }
            pdfs
        }));
    }
    makers.par_iter().flat_map_iter(|make| make()).collect()
}

/// Every output made from the whole model (calendar feeds and [`site_outputs`]), in memory.
/// `lantern serve` renders these right after the changed pages, so a reload does not wait.
pub(crate) fn feeds(site: &Site, themes: &Themes) -> Result<Vec<Output>, Diagnostics> {
    let editions = site.editions();
    let strings: Vec<i18n::Strings> = themes.0.iter().map(|t| t.strings.clone()).collect();
    let (feeds, mut outputs) = rayon::join(
        || {
            let mut all = Vec::new();
            for (edition, s) in editions.iter().zip(&strings) {
                let mut feeds = ical::render(edition, s)?;
                for f in &mut feeds {
                    f.path = format!("{}{}", edition.config.prefix, f.path);
                }
                all.append(&mut feeds);
            }
            Ok::<_, Diagnostics>(all)
        },
        || site_outputs(&editions, &strings),
    );
    let mut feeds = feeds?;
    feeds.append(&mut outputs);
    Ok(feeds)
}

/// Renders the calendar feeds and [`site_outputs`] into `sink`, side by side.
fn emit_whole_site(
    editions: &[Cow<'_, Site>],
    strings: &[i18n::Strings],
    sink: &dyn Sink,
) -> Result<(), Error> {
    let (feeds, others) = rayon::join(
        || {
            for (edition, s) in editions.iter().zip(strings) {
                let plan = time("plan feeds", || ical::plan(edition, s)).map_err(Error::Input)?;
                let sink = Prefixed {
                    prefix: &edition.config.prefix,
                    inner: sink,
                };
                time("calendar feeds", || plan.emit(&sink))?;
            }
            Ok(())
        },
        || {
            time("whole-site files", || {
                site_outputs(editions, strings)
                    .into_par_iter()
                    .try_for_each(|o| sink.emit(o))
            })
        },
    );
    feeds.and(others)
}

/// What a scoped render tells its caller besides the files it emitted.
pub(crate) struct Scoped {
    /// HTML pages of the previous model that the site no longer has (scoped renders only).
    pub(crate) gone: Vec<String>,
    /// Paths of the theme's assets and the site's static files emitted.
    pub(crate) site_wide: Vec<String>,
}

/// Renders the HTML pages `scope` names (every page for `Scope::All`), the whole-site feeds
/// when `with_feeds`, the theme's assets and the site's static files into `sink`, in the
/// order of [`render_into`]. `lantern serve` calls this with the scope [`incremental::diff`]
/// finds, without the feeds (it renders them next, with `feeds`), and merges what is emitted
/// into the files it serves.
pub(crate) fn render_scoped(
    site: &Site,
    themes: &Themes,
    sink: &dyn Sink,
    scope: &Scope,
    cache: &mut ItemCache,
    with_feeds: bool,
) -> Result<Scoped, Error> {
    let editions = site.editions();
    let strings: Vec<i18n::Strings> = themes.0.iter().map(|t| t.strings.clone()).collect();
    let languages: Vec<html::Language> = editions
        .iter()
        .zip(&strings)
        .map(|(e, s)| html::Language {
            code: e.config.language.clone(),
            prefix: e.config.prefix.clone(),
            name: s.get("language_name").to_string(),
        })
        .collect();
    cache.editions(editions.len());
    // Pages, feeds and the whole-site files are made side by side so neither core waits for
    // the slowest of them. Everything is rendered even when some of it fails, so a time zone
    // the feeds cannot express is reported together with any template problem.
    let (pages, whole) = rayon::join(
        || {
            time("pages", || {
                let mut gone = Vec::new();
                for ((edition, theme), items) in
                    editions.iter().zip(&themes.0).zip(cache.iter_mut())
                {
                    let prefix = &edition.config.prefix;
                    let sink = Prefixed {
                        prefix,
                        inner: sink,
                    };
                    let g = html::render_scoped(edition, theme, &sink, scope, items, &languages)?;
                    gone.extend(g.into_iter().map(|p| format!("{prefix}{p}")));
                }
                Ok(gone)
            })
        },
        || with_feeds.then(|| emit_whole_site(&editions, &strings, sink)),
    );
    let gone = match (pages, whole) {
        (Ok(gone), None | Some(Ok(()))) => gone,
        (Err(Error::Input(mut a)), Some(Err(Error::Input(b)))) => {
            a.extend(b);
            return Err(Error::Input(a.sorted()));
        }
        (Err(e), _) | (Ok(_), Some(Err(e))) => return Err(e),
    };
    let theme = themes.default();
    let mut outputs = Vec::new();
    let mut site_wide = Vec::new();
    for (path, asset) in &theme.assets {
        let body = match asset {
            theme::Asset::Embedded(bytes) => Body::Static(bytes),
            theme::Asset::File(p) => Body::Copy(p.clone()),
        };
        site_wide.push(format!("assets/{path}"));
        outputs.push(Output {
            path: format!("assets/{path}"),
            body,
        });
    }
    for o in outputs {
        sink.emit(o)?;
    }
    for f in &site.static_files {
        site_wide.push(f.path.clone());
        sink.emit(Output {
            path: f.path.clone(),
            body: Body::Copy(f.source.clone()),
        })?;
    }
    Ok(Scoped { gone, site_wide })
}
