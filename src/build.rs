//! The build pipeline: named stages run in order, each timed.
//!
//! `load` -> `validate` -> `render` -> `write`. Everything before `write` is free of side
//! effects, so `check` runs the same stages and simply stops before writing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostics, Error};
use crate::model::Site;
use crate::render::Themes;
use crate::timings::Step;

/// What a build needs to know.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub site: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` from site.yaml (for previews and local serving).
    pub base_url: Option<String>,
    /// Replace the output folder even when no earlier build marked it as Lantern's.
    pub force: bool,
}

/// What a finished build reports.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub meetings: usize,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Shown, with paths as the user typed the site folder; they do not stop the build.
    pub warnings: Diagnostics,
}

/// Loads and validates a site: every problem in every file, or the model.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<Site, Error> {
    let step = Step::start("load");
    let (raw, diags) = crate::load::load(root);
    step.end();
    let step = Step::start("validate");
    let mut site = crate::validate::validate(raw, diags).map_err(Error::Input)?;
    step.end();
    if let Some(url) = base_url {
        override_base_url(&mut site, url);
    }
    Ok(site)
}

/// Replaces the site's `base_url` (for previews and local serving).
pub(crate) fn override_base_url(site: &mut Site, url: &str) {
    site.config.base_url = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
}

/// Runs every stage and writes the site. Pages stream from the renderer to the staging folder,
/// which replaces the output folder only when everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    crate::write::check_output(&opts.site, &opts.output, opts.force)?;

    let site =
        load_site(&opts.site, opts.base_url.as_deref()).map_err(|e| relative(e, &opts.site))?;
    let theme = Themes::load(&opts.site, &site.config.theme, &site.config.languages)
        .map_err(|e| relative(Error::Input(e), &opts.site))?;

    let step = Step::start("render+write");
    let files = crate::write::write_site(&opts.output, |sink| {
        crate::render::render_into(&site, &theme, sink)
    })
    .map_err(|e| relative(e, &opts.site))?;
    step.end();

    Ok(BuildReport {
        meetings: site.meetings.len(),
        pages: site.pages.len(),
        files,
        elapsed: start.elapsed(),
        warnings: theme_warnings(&site, &theme).relative_to(&opts.site),
    })
}

/// Loads, validates and renders without writing anything. The site's warnings come back with
/// paths as the user typed `root`.
pub fn check(root: &Path) -> Result<Site, Error> {
    let site = load_site(root, None).map_err(|e| relative(e, root))?;
    let theme = Themes::load(root, &site.config.theme, &site.config.languages)
        .map_err(|e| relative(Error::Input(e), root))?;
    crate::render::render_into(&site, &theme, &crate::render::Discard::default())
        .map_err(|e| relative(e, root))?;
    let mut site = site;
    site.warnings = theme_warnings(&site, &theme).relative_to(root);
    Ok(site)
}

/// The site's warnings and the theme's (translations the site's language lacks), in order.
fn theme_warnings(site: &Site, theme: &Themes) -> crate::diagnostics::Diagnostics {
    let mut all = site.warnings.clone();
    all.extend(theme.warnings());
    all.sorted()
}

/// Shows diagnostic paths relative to where the user ran the command.
fn relative(e: Error, root: &Path) -> Error {
    match e {
        Error::Input(d) => Error::Input(Diagnostics::relative_to(d, root)),
        other => other,
    }
}
