//! `lantern init DIR`: a small working site that builds at once.

use std::fs;
use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Error, display_path};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/cli/init_site");

pub(crate) fn run(dir: &Path) -> Result<(), Error> {
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
    write_dir(&STARTER, dir)?;
    println!("Created a new site in {}.", display_path(dir));
    println!(
        "Next: edit {}/content/site.yaml, then run `lantern build --site {}`.",
        display_path(dir),
        display_path(dir)
    );
    Ok(())
}

fn write_dir(d: &Dir, root: &Path) -> Result<(), Error> {
    for f in d.files() {
        let target = root.join(f.path());
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}", display_path(parent)), e))?;
        }
        fs::write(&target, f.contents())
            .map_err(|e| Error::io(format!("cannot write {}", display_path(&target)), e))?;
    }
    for sub in d.dirs() {
        write_dir(sub, root)?;
    }
    Ok(())
}
