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
    let mut undo: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    let mut write = |rel: &str, text: &str| -> Result<(), Error> {
        let path = site.join(rel);
        let before = std::fs::read(&path).ok();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::Io {
                context: format!("cannot create {}", display_path(dir)),
                source: e,
            })?;
        }
        undo.push((path.clone(), before));
        std::fs::write(&path, text).map_err(|e| Error::Io {
            context: format!("cannot write {}", display_path(&path)),
            source: e,
        })
    };
    let mut written = Vec::new();
    let mut result = Ok(());
    if let Some(text) = &site_yaml {
        result = write("content/site.yaml", text);
        written.push("content/site.yaml".to_string());
    }
    for (rel, text) in &files {
        if result.is_err() {
            break;
        }
        result = write(rel, text);
        written.push(rel.clone());
    }
    let result = result.and_then(|()| verify(site, &drafts, &slugs, &expected_notes));
    if let Err(e) = result {
        for (path, before) in undo.into_iter().rev() {
            let _ = match before {
                Some(bytes) => std::fs::write(&path, bytes),
                None => std::fs::remove_file(&path),
            };
        }
        return Err(e);
    }

    Ok(Report {
        meetings: drafts.len(),
        locations,
        locations_reused,
        files: written,
        notes,
    })
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
