//! Stage 3, render: a pure function from the model (and a theme) to the list of output files.
//!
//! Nothing here touches the output folder; `write` does. One module per output format.

pub mod format;
pub mod html;
pub mod incremental;
pub mod markdown;
pub mod sitemap;
pub mod theme;
pub mod urls;

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::model::Site;
pub use html::{ItemCache, Rendered};
pub use incremental::Scope;
pub use theme::Theme;

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
    /// Copied from this file as it is.
    Copy(PathBuf),
    Static(&'static [u8]),
}

impl Output {
    pub fn text(path: impl Into<String>, text: String) -> Self {
        Self {
            path: path.into(),
            body: Body::Bytes(text.into_bytes()),
        }
    }
}

/// Renders every output of the site, sorted by path.
pub fn render(site: &Site, theme: &mut Theme) -> Result<Vec<Output>, Diagnostics> {
    render_scoped(site, theme, &Scope::All, &mut ItemCache::default()).map(|r| r.outputs)
}

/// Renders the HTML pages `scope` names (all of them for `Scope::All`) and every whole-site
/// output, sorted by path. `lantern serve` calls this with the scope `incremental::diff`
/// finds and merges the result into the files it serves.
pub fn render_scoped(
    site: &Site,
    theme: &mut Theme,
    scope: &Scope,
    cache: &mut ItemCache,
) -> Result<Rendered, Diagnostics> {
    let Rendered {
        mut outputs, gone, ..
    } = html::render_scoped(site, theme, scope, cache)?;
    let pages = outputs.len();
    // Whole-site outputs, rendered again on every rebuild, incremental or not. A new output
    // format that cannot be scoped to an edit is added here (see `incremental`).
    outputs.extend(sitemap::render(site));
    for (path, asset) in &theme.assets {
        let body = match asset {
            theme::Asset::Embedded(bytes) => Body::Static(bytes),
            theme::Asset::File(p) => Body::Copy(p.clone()),
        };
        outputs.push(Output {
            path: format!("assets/{path}"),
            body,
        });
    }
    for f in &site.static_files {
        outputs.push(Output {
            path: f.path.clone(),
            body: Body::Copy(f.source.clone()),
        });
    }
    let site_wide: Vec<String> = outputs[pages..].iter().map(|o| o.path.clone()).collect();
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    // A site's own static file wins over a generated file of the same path (e.g. robots.txt).
    let mut deduped: Vec<Output> = Vec::with_capacity(outputs.len());
    for o in outputs {
        match deduped.last_mut() {
            Some(last) if last.path == o.path => {
                if matches!(o.body, Body::Copy(_)) {
                    *last = o;
                }
            }
            _ => deduped.push(o),
        }
    }
    Ok(Rendered {
        outputs: deduped,
        gone,
        site_wide,
    })
}
