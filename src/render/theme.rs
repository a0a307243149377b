//! Themes: the default theme (compiled into the binary, [`super::default_theme`]) and a site's own
//! theme or single-template overrides in `themes/<name>/` layered over it (a missing template
//! falls back to the default). Their strings come from [`super::i18n`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::Dir;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, display_path, rel_path};
use crate::load::files;

use super::default_theme::DEFAULT_THEME;
use super::i18n::{Strings, load_strings};

/// Template names of the default theme are kept under this prefix so a site's template of the
/// same name wins, and the default is used when the site has none.
const DEFAULT_PREFIX: &str = "lantern-default/";

/// Where a theme file came from, for error messages.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    BuiltIn,
    Site(String),
}

/// A static file of the theme, written to `assets/` (or the path it has under `static/`).
#[derive(Clone, Debug)]
pub(crate) enum Asset {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// A loaded theme: templates ready to render, user-facing strings, and static files.
pub struct Theme {
    pub(crate) tera: Tera,
    pub strings: Strings,
    /// Keys the site's language has no translation of (shown in English), for `check` and
    /// `build` to report.
    pub(crate) warnings: Diagnostics,
    /// Output path (relative) to content.
    pub(crate) assets: BTreeMap<String, Asset>,
    /// Template name -> source path for error messages.
    origins: BTreeMap<String, Origin>,
}

impl Theme {
    /// Loads theme `name` for language `language` from the site at `site_root`.
    pub fn load(site_root: &Path, name: &str, language: &str) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::default();
        let site_theme = site_root.join("themes").join(name);
        if name != "default" && !site_theme.is_dir() {
            diags.push(
                Diagnostic::new(
                    "content/site.yaml",
                    Pos::default(),
                    format!("theme `{name}` not found"),
                )
                .with_hint(format!(
                    "create {}/templates/ or set `theme: default`",
                    display_path(&Path::new("themes").join(name))
                )),
            );
            return Err(diags);
        }

        let mut templates: Vec<(String, String)> = Vec::new();
        let mut origins = BTreeMap::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for f in all_files(dir) {
                let Some(text) = f.contents_utf8() else {
                    continue;
                };
                let rel = f.path().strip_prefix("templates").unwrap_or(f.path());
                let name = format!("{DEFAULT_PREFIX}{}", display_path(rel));
                origins.insert(name.clone(), Origin::BuiltIn);
                templates.push((name, text.to_string()));
            }
        }
        let tpl_dir = site_theme.join("templates");
        let (listed, problems) = files(
            site_root,
            &tpl_dir,
            &["html", "xml", "txt", "json", "js", "css"],
        );
        problems.into_iter().for_each(|d| diags.push(d));
        for path in listed {
            let name = rel_path(&tpl_dir, &path);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    origins.insert(name.clone(), Origin::Site(rel_path(site_root, &path)));
                    templates.push((name, text));
                }
                Err(e) => diags.push(Diagnostic::new(
                    rel_path(site_root, &path),
                    Pos::default(),
                    format!("cannot read the template: {e}"),
                )),
            }
        }

        let mut tera = Tera::new();
        let mut warnings = Diagnostics::default();
        let strings = load_strings(site_root, &site_theme, language, &mut diags, &mut warnings);
        register_count(&mut tera, &strings);
        tera.autoescape_on([".html", ".xml"]);
        if let Err(e) = tera.set_fallback_prefixes([DEFAULT_PREFIX]) {
            diags.push(Diagnostic::new("themes", Pos::default(), e.to_string()));
        }
        if let Err(e) = tera.add_raw_templates(templates) {
            diags.push(template_error(&origins, &e));
        }

        let mut assets = BTreeMap::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            for f in all_files(dir) {
                let rel = f.path().strip_prefix("static").unwrap_or(f.path());
                assets.insert(display_path(rel), Asset::Embedded(f.contents()));
            }
        }
        let static_dir = site_theme.join("static");
        let (listed, problems) = files(site_root, &static_dir, &[]);
        problems.into_iter().for_each(|d| diags.push(d));
        for path in listed {
            assets.insert(rel_path(&static_dir, &path), Asset::File(path));
        }

        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme {
            tera,
            strings,
            warnings,
            assets,
            origins,
        })
    }

    /// The same theme in another language: the templates as they are, the strings (and
    /// the `count` function) of `language`.
    fn in_language(
        &self,
        site_root: &Path,
        name: &str,
        language: &str,
    ) -> Result<Theme, Diagnostics> {
        let site_theme = site_root.join("themes").join(name);
        let (mut diags, mut warnings) = (Diagnostics::default(), Diagnostics::default());
        let strings = load_strings(site_root, &site_theme, language, &mut diags, &mut warnings);
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut tera = self.tera.clone();
        register_count(&mut tera, &strings);
        Ok(Theme {
            tera,
            strings,
            warnings,
            assets: self.assets.clone(),
            origins: self.origins.clone(),
        })
    }

    /// Turns a tera error into a diagnostic pointing at the template file.
    pub(crate) fn error(&self, e: &tera::Error) -> Diagnostic {
        template_error(&self.origins, e)
    }
}

/// `{{ count(key="meetings_count", n=3) }}` in a template: the phrase in the plural form the
/// language uses for that number.
fn register_count(tera: &mut Tera, strings: &Strings) {
    let counted = strings.clone();
    tera.register_function("count", move |kwargs: tera::Kwargs, _: &tera::State| {
        let key: &str = kwargs.must_get("key")?;
        let n: i64 = kwargs.must_get("n")?;
        Ok::<_, tera::Error>(counted.count(key, usize::try_from(n).unwrap_or(0)))
    });
}

/// The theme once per language of the site, the default language first (a one-language
/// site has one). The templates are parsed once and shared; each language has its strings.
pub struct Themes(pub(crate) Vec<Theme>);

impl Themes {
    /// Loads theme `name` for each of `languages` (the default first) from the site at
    /// `site_root`; the problems of every language at once.
    pub fn load(site_root: &Path, name: &str, languages: &[String]) -> Result<Themes, Diagnostics> {
        let default = languages.first().map_or("en", String::as_str);
        let first = Theme::load(site_root, name, default)?;
        let mut diags = Diagnostics::default();
        let mut others = Vec::new();
        for language in languages.iter().skip(1) {
            match first.in_language(site_root, name, language) {
                Ok(t) => others.push(t),
                Err(d) => diags.extend(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags.sorted());
        }
        let mut all = vec![first];
        all.extend(others);
        Ok(Themes(all))
    }

    /// The default language's theme: its assets are the site's, its strings the feeds'.
    pub fn default(&self) -> &Theme {
        &self.0[0]
    }

    /// Every language's missing translations.
    pub(crate) fn warnings(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        for t in &self.0 {
            all.extend(t.warnings.clone());
        }
        all
    }
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(all_files(d));
    }
    out.sort_by_key(|f| f.path());
    out
}

fn template_error(origins: &BTreeMap<String, Origin>, e: &tera::Error) -> Diagnostic {
    // Tera reports most errors with a span; some checks made while templates are linked
    // (inheritance, blocks) arrive as finished text with a ` --> name:line:col` line instead.
    let (name, line, col, mut message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            Some(r.filename().to_string()),
            r.span().start_line as u64,
            r.span().start_col as u64 + 1,
            r.message().to_string(),
        ),
        _ => {
            let text = e.to_string();
            let located = text.lines().find_map(|l| {
                let rest = l.trim_start().strip_prefix("--> ")?;
                let mut parts = rest.rsplitn(3, ':');
                let col: u64 = parts.next()?.trim().parse().ok()?;
                let line: u64 = parts.next()?.trim().parse().ok()?;
                Some((parts.next()?.to_string(), line, col))
            });
            let first = text
                .lines()
                .map(|l| l.trim().trim_start_matches("error: "))
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .to_string();
            match located {
                Some((n, l, c)) => (Some(n), l, c, first),
                None => (None, 0, 0, text),
            }
        }
    };
    let mut source_err: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source_err {
        message = format!("{message}: {s}");
        source_err = s.source();
    }
    let (path, pos) = match name {
        Some(name) => {
            let path = match origins.get(&name) {
                Some(Origin::Site(p)) => p.clone(),
                _ => format!(
                    "(default theme) templates/{}",
                    name.strip_prefix(DEFAULT_PREFIX).unwrap_or(&name)
                ),
            };
            (path, Pos::new(line, col))
        }
        None => ("themes".to_string(), Pos::default()),
    };
    Diagnostic::new(path, pos, format!("template error: {message}")).with_hint(
        "fix the template; every variable a template uses must exist, and a base.html of your own must define the blocks `head` and `content`",
    )
}
