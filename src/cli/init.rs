//! `lantern init DIR [--language CODE]`: a small working site that builds at once, written in
//! the language asked for (its records, its page and its `language:` setting).

use std::fs;
use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Error, display_path};

/// One starter site per language: `init_site/<code>/` is what goes in the new site's `content/`.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/cli/init_site");

/// The languages `lantern init` has a starter site in.
pub(crate) fn languages() -> Vec<&'static str> {
    let mut out: Vec<&str> = STARTER
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str())
        .collect();
    out.sort_unstable();
    out
}

pub(crate) fn run(dir: &Path, language: &str) -> Result<(), Error> {
    let Some(starter) = STARTER.get_dir(language) else {
        return Err(Error::hinted(
            format!("there is no starter site in the language `{language}`"),
            format!(
                "use one of: {}; a site in another language starts from one of these with its own translations file (docs/languages.md)",
                languages().join(", ")
            ),
        ));
    };
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| Error::io(format!("cannot read {}", display_path(dir)), e))?
            .next()
            .is_some()
    {
        return Err(Error::hinted(
            format!("{} already exists and is not empty", display_path(dir)),
            "choose a new folder name; init never overwrites files",
        ));
    }
    write_dir(starter, starter.path(), &dir.join("content"))?;
    println!("Created a new site in {}.", display_path(dir));
    println!(
        "Next: edit {}/content/site.yaml, then run `lantern build --site {}`.",
        display_path(dir),
        display_path(dir)
    );
    Ok(())
}

/// Writes the files under `d` to `root`, named by their path below `base`.
fn write_dir(d: &Dir, base: &Path, root: &Path) -> Result<(), Error> {
    for f in d.files() {
        let target = root.join(f.path().strip_prefix(base).unwrap_or(f.path()));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}", display_path(parent)), e))?;
        }
        fs::write(&target, f.contents())
            .map_err(|e| Error::io(format!("cannot write {}", display_path(&target)), e))?;
    }
    for sub in d.dirs() {
        write_dir(sub, base, root)?;
    }
    Ok(())
}
