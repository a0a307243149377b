//! Applying a plan: refuse to overwrite without `--force`, write every file, read the site
//! back through Lantern's own loader and validator, and undo every write if anything fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::TimeDelta;

use super::plan::Plan;
use super::{Draft, Report};
use crate::diagnostics::{Error, display_path};

/// Writes a plan into `site` (never over an existing file without `force`), reads the site
/// back and compares every meeting; on any failure every written file is restored or removed.
pub(crate) fn apply(site: &Path, plan: Plan, force: bool) -> Result<Report, Error> {
    let Plan {
        site_yaml,
        files,
        drafts,
        slugs,
        expected_notes,
        locations,
        locations_reused,
        notes,
    } = plan;
    let conflicts: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| site.join(p).exists())
        .collect();
    if !conflicts.is_empty() && !force {
        return Err(Error::Other(format!(
            "these files exist already, and import never overwrites without --force:\n  {}\nnothing was written",
            conflicts.join("\n  ")
        )));
    }

    // Write, then read everything back; undo on failure.
    let mut undo = Undo::default();
    let mut written = Vec::new();
    let mut result = Ok(());
    if let Some(text) = &site_yaml {
        result = undo.write(site, "content/site.yaml", text);
        written.push("content/site.yaml".to_string());
    }
    for (rel, text) in &files {
        if result.is_err() {
            break;
        }
        result = undo.write(site, rel, text);
        written.push(rel.clone());
    }
    let result = result.and_then(|()| verify(site, &drafts, &slugs, &expected_notes));
    if let Err(e) = result {
        return Err(undo.undo(e));
    }

    Ok(Report {
        meetings: drafts.len(),
        locations,
        locations_reused,
        files: written,
        notes,
    })
}

/// What the writes changed, to put back: each file's earlier bytes (None: it was new) and
/// the folders the writes created, in the order they were made.
#[derive(Default)]
struct Undo {
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
    folders: Vec<PathBuf>,
}

impl Undo {
    /// Writes `text` to `rel` in `site`, keeping what is needed to undo it.
    fn write(&mut self, site: &Path, rel: &str, text: &str) -> Result<(), Error> {
        let path = site.join(rel);
        let before = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            // A file that cannot be read cannot be put back: leave it alone.
            Err(e) => {
                return Err(Error::io(
                    format!(
                        "cannot read {} to keep its text before replacing it",
                        display_path(&path)
                    ),
                    e,
                ));
            }
        };
        if let Some(dir) = path.parent() {
            let mut missing: Vec<PathBuf> = dir
                .ancestors()
                .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            self.folders.extend(missing);
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}", display_path(dir)), e))?;
        }
        self.files.push((path.clone(), before));
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("cannot write {}", display_path(&path)), e))
    }

    /// Puts every file back as it was and removes the folders the writes created, newest
    /// first; `cause` is why. Anything that cannot be put back is added to the error, so the
    /// user knows which files to look at.
    fn undo(self, cause: Error) -> Error {
        let mut failed = Vec::new();
        for (path, before) in self.files.into_iter().rev() {
            let (result, what) = match before {
                Some(bytes) => (std::fs::write(&path, bytes), "restore"),
                None => (std::fs::remove_file(&path), "remove"),
            };
            if let Err(e) = result {
                failed.push(format!("cannot {what} {}: {e}", display_path(&path)));
            }
        }
        for dir in self.folders.into_iter().rev() {
            // A folder that is not empty now holds something the import did not write.
            let _ = std::fs::remove_dir(&dir);
        }
        if failed.is_empty() {
            cause
        } else {
            Error::Other(format!(
                "{cause}\nand undoing the import failed, so check these files:\n  {}",
                failed.join("\n  ")
            ))
        }
    }
}

/// Loads the site with Lantern's own loader and validator and checks that every imported
/// meeting reads back as planned.
fn verify(
    site: &Path,
    drafts: &[Draft],
    slugs: &[String],
    notes: &BTreeMap<String, Option<String>>,
) -> Result<(), Error> {
    let s = crate::build::load_site(site, None).map_err(|e| match e {
        Error::Input(d) => Error::Other(format!(
            "the imported records do not pass Lantern's checks, so nothing was kept:\n{d}"
        )),
        other => other,
    })?;
    for (d, slug) in drafts.iter().zip(slugs) {
        let Some(m) = s.meetings.iter().find(|m| &m.slug == slug) else {
            return Err(Error::Other(format!(
                "internal error: imported meeting `{slug}` is missing after reading the site back; nothing was kept"
            )));
        };
        let end = d.end_time.unwrap_or(d.time + TimeDelta::minutes(60));
        let ok = m.name == d.name
            && m.days == d.days
            && m.time == d.time
            && m.end_time == end
            && m.types == d.types
            && m.group == d.group
            && notes.get(slug).cloned().flatten() == m.notes
            && m.online
                .as_ref()
                .map(|o| (&o.url, &o.notes, &o.phone, &o.phone_notes))
                == d.online
                    .as_ref()
                    .map(|o| (&o.url, &o.notes, &o.phone, &o.phone_notes));
        if !ok {
            return Err(Error::Other(format!(
                "internal error: meeting `{slug}` reads back differently from what was imported ({}); nothing was kept",
                d.origin
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(files: &[(&str, &str)]) -> Plan {
        Plan {
            site_yaml: None,
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            drafts: Vec::new(),
            slugs: Vec::new(),
            expected_notes: BTreeMap::new(),
            locations: 0,
            locations_reused: 0,
            notes: Vec::new(),
        }
    }

    /// A failed import leaves the folder as it found it: files put back, new ones and the
    /// folders made for them gone (a `content/meetings/` left behind would make the next try
    /// fail with "has records but no content/site.yaml").
    #[test]
    fn a_failed_import_leaves_no_file_or_folder_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content/locations")).unwrap();
        std::fs::write(site.join("content/locations/hall.yaml"), "name: Hall\n").unwrap();
        // No site.yaml: the read-back fails after every file is written.
        let plan = plan_of(&[
            ("content/locations/hall.yaml", "name: New Hall\n"),
            ("content/meetings/deep/a.yaml", "name: A\n"),
        ]);
        assert!(apply(&site, plan, true).is_err());
        assert_eq!(
            std::fs::read_to_string(site.join("content/locations/hall.yaml")).unwrap(),
            "name: Hall\n"
        );
        assert!(!site.join("content/meetings").exists());
    }

    #[test]
    fn existing_files_are_refused_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content/meetings")).unwrap();
        std::fs::write(tmp.path().join("content/meetings/a.yaml"), "name: A\n").unwrap();
        let plan = plan_of(&[("content/meetings/a.yaml", "name: B\n")]);
        let e = apply(tmp.path(), plan, false).unwrap_err().to_string();
        assert!(
            e.contains("content/meetings/a.yaml\nnothing was written"),
            "{e}"
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("content/meetings/a.yaml")).unwrap(),
            "name: A\n"
        );
    }
}
