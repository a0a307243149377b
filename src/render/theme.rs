//! Themes: the default theme compiled into the binary, and a site's own theme or single-template
//! overrides in `themes/<name>/` layered over it (a missing template falls back to the default).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, display_path, rel_path};
use crate::load::files;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

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
    /// Output path (relative) to content.
    pub(crate) assets: BTreeMap<String, Asset>,
    /// Template name -> source path for error messages.
    origins: BTreeMap<String, Origin>,
}

/// The theme's translations file: every user-facing string of the templates.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Strings(pub(crate) BTreeMap<String, String>);

impl Strings {
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }
}

/// Keys every translations file must define (the Rust side formats with them).
/// Translation keys of the months, January first.
pub(crate) const MONTH_KEYS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Keys every translations file must define besides the weekday and month names (the Rust side
/// formats times and dates with them).
pub(crate) const REQUIRED_KEYS: &[&str] = &[
    "am",
    "pm",
    "time_format",
    "day_time",
    "date_format",
    "week_1",
    "week_2",
    "week_3",
    "week_4",
    "week_5",
    "week_last",
    "and",
    "feed_name",
    "feed_description",
    "feed_types",
    "feed_join_online",
    "feed_phone",
    "feed_page",
];

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
        tera.autoescape_on([".html", ".xml"]);
        if let Err(e) = tera.set_fallback_prefixes([DEFAULT_PREFIX]) {
            diags.push(Diagnostic::new("themes", Pos::default(), e.to_string()));
        }
        if let Err(e) = tera.add_raw_templates(templates) {
            diags.push(template_error(&origins, &e));
        }

        let strings = load_strings(site_root, &site_theme, language, &mut diags);

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
            assets,
            origins,
        })
    }

    /// Turns a tera error into a diagnostic pointing at the template file.
    pub(crate) fn error(&self, e: &tera::Error) -> Diagnostic {
        template_error(&self.origins, e)
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

fn load_strings(
    site_root: &Path,
    site_theme: &Path,
    language: &str,
    diags: &mut Diagnostics,
) -> Strings {
    let file = format!("translations/{language}.yaml");
    let mut strings = BTreeMap::new();
    let mut found = false;
    if let Some(f) = DEFAULT_THEME
        .get_file(&file)
        .and_then(|f| f.contents_utf8())
    {
        match crate::load::yaml::parse::<BTreeMap<String, String>>(
            &format!("(default theme) {file}"),
            f,
        ) {
            Ok(map) => {
                strings.extend(map);
                found = true;
            }
            Err(d) => diags.push(d),
        }
    }
    let site_file = site_theme.join(&file);
    if site_file.is_file() {
        let path = rel_path(site_root, &site_file);
        match crate::load::read_checked(site_root, &site_file) {
            Ok(text) => match crate::load::yaml::parse::<BTreeMap<String, String>>(&path, &text) {
                Ok(map) => {
                    strings.extend(map);
                    found = true;
                }
                Err(d) => diags.push(d),
            },
            Err(d) => diags.push(d),
        }
    }
    if !found {
        diags.push(
            Diagnostic::new(
                "content/site.yaml",
                Pos::default(),
                format!("the theme has no translations for language `{language}`"),
            )
            .with_hint(format!(
                "add {} to your theme, or use `language: en`",
                display_path(
                    &Path::new("themes")
                        .join(site_theme.file_name().unwrap_or_default())
                        .join(&file)
                )
            )),
        );
    } else {
        let days = crate::model::schedule::WEEK.map(crate::model::schedule::day_key);
        let required = REQUIRED_KEYS.iter().chain(&days).chain(&MONTH_KEYS);
        for key in required {
            if !strings.contains_key(*key) {
                diags.push(
                    Diagnostic::new(
                        display_path(&site_theme.join(&file)),
                        Pos::default(),
                        format!("the translations have no `{key}`"),
                    )
                    .with_hint("every translations file defines the weekday, month and time words"),
                );
            }
        }
    }
    Strings(strings)
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
