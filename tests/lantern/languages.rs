//! The shipped languages: every translations file is complete, the example builds in each
//! language without a warning, and no English word of the theme is left on a page of another
//! language. `lantern init --language` writes a starter site that builds in its language.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::{copy_tree, lantern, repo, stderr};

/// English words of the theme a language writes the same on purpose, by language (each with
/// its reason). Any other English word of the theme on a page of that language fails the test.
const SAME_BY_DESIGN: &[(&str, &[&str])] = &[
    // Portuguese names the folded navigation "Menu" as English does.
    ("pt", &["Menu"]),
    // French writes the folded navigation "Menu", the list of meeting types "Types", and the
    // printed schedule's page numbers "Page".
    ("fr", &["Menu", "Types", "Page"]),
];

fn translations_dir() -> PathBuf {
    repo().join("themes/default/translations")
}

/// The shipped languages other than English, from the files in the default theme.
fn languages() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(translations_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".yaml").map(String::from)
        })
        .filter(|l| l != "en")
        .collect();
    out.sort();
    out
}

fn strings(language: &str) -> BTreeMap<String, String> {
    let path = translations_dir().join(format!("{language}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.insert(rest[start..start + len + 1].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

#[test]
fn every_shipped_language_is_complete() {
    let english = strings("en");
    let langs = languages();
    for language in &langs {
        let other = strings(language);
        let missing: Vec<&String> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language}.yaml lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{language}.yaml has keys English has not: {extra:?}"
        );
        for (key, en) in &english {
            assert_eq!(
                placeholders(en),
                placeholders(&other[key]),
                "{language}.yaml `{key}` must use the placeholders of the English"
            );
            assert!(
                !other[key].trim().is_empty(),
                "{language}.yaml `{key}` is empty"
            );
        }
    }
}

/// The example site in `language`, in a temporary folder.
fn example_in(language: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    assert!(text.contains("\nlanguage: en\n"));
    std::fs::write(
        &site,
        text.replace("\nlanguage: en\n", &format!("\nlanguage: {language}\n")),
    )
    .unwrap();
    dir
}

/// Builds `site` and returns the output folder and the build's warnings.
fn build_with_warnings(site: &Path) -> (PathBuf, String) {
    let out = site.join("public");
    let opts = lantern::build::BuildOptions {
        site: site.to_path_buf(),
        output: out.clone(),
        base_url: None,
        force: false,
    };
    match lantern::build::build(&opts) {
        Ok(report) => (out, report.warnings.to_string()),
        Err(lantern::diagnostics::Error::Input(d)) => panic!("build failed:\n{d}"),
        Err(e) => panic!("build failed: {e}"),
    }
}

/// The words a visitor meets in an HTML page or a calendar feed: text between tags, the
/// attributes screen readers and browsers show, and the finder's strings (inside a script).
fn visible_text(file: &str) -> String {
    let mut text = String::new();
    let mut rest = file;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push('\n');
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close];
        for attr in [
            "aria-label=\"",
            "title=\"",
            "alt=\"",
            "placeholder=\"",
            "content=\"",
        ] {
            if let Some(i) = tag.find(attr) {
                let value = &tag[i + attr.len()..];
                text.push_str(value.split('"').next().unwrap_or(""));
                text.push('\n');
            }
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    // Calendar lines fold at 75 octets; unfold so a phrase is found whole.
    text.replace("\r\n ", "")
        .replace("\\n", "\n")
        .replace("\\,", ",")
}

/// Runs of white space as one space, so a phrase broken across lines is found.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `needle` occurs in `hay` as whole words.
fn has_words(hay: &str, needle: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    hay.match_indices(needle).any(|(i, _)| {
        boundary(hay[..i].chars().next_back()) && boundary(hay[i + needle.len()..].chars().next())
    })
}

/// The records' text as the pages show it (without Markdown's emphasis marks, lines joined).
/// Text the records contain may be English (meeting names, notes), so a theme phrase that the
/// example's records also use is not looked for.
fn records_text() -> String {
    let mut records = String::new();
    for e in walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        records.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        records.push('\n');
    }
    collapse(&records.replace(['*', '`'], ""))
}

/// Every English phrase of the theme found on the HTML pages and calendar feeds under `dir`
/// (a build in `language`, or one language's edition of a multilingual build), one line per
/// phrase with the key it comes from and the pages it is on. `also` are further phrases allowed
/// on these pages.
fn english_leaks(language: &str, dir: &Path, records: &str, also: &[&str]) -> Vec<String> {
    let english = strings("en");
    let allowed: Vec<&str> = SAME_BY_DESIGN
        .iter()
        .filter(|(l, _)| *l == language)
        .flat_map(|(_, words)| words.iter().copied())
        .chain(also.iter().copied())
        .collect();
    // The English phrases to look for: each value, split at its placeholders, in pieces a
    // reader would notice (three letters or more), unless the language writes it the same.
    let mut phrases: BTreeMap<String, &str> = BTreeMap::new();
    for (key, en) in &english {
        for piece in en.split(['{', '}']).step_by(2) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !has_words(records, piece)
                && !allowed.contains(&piece)
            {
                phrases.insert(piece.to_string(), key);
            }
        }
    }
    // Phrase -> (key, pages it is on).
    let mut leaks: BTreeMap<&str, (&str, Vec<String>)> = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let path = e.path();
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        if !["html", "ics"].contains(&ext) {
            continue;
        }
        let text = collapse(&visible_text(&std::fs::read_to_string(path).unwrap()));
        for (phrase, key) in &phrases {
            if has_words(&text, phrase) {
                let page = path.strip_prefix(dir).unwrap().display().to_string();
                leaks
                    .entry(phrase)
                    .or_insert((key, Vec::new()))
                    .1
                    .push(page);
            }
        }
    }
    leaks
        .iter()
        .map(|(phrase, (key, pages))| {
            format!(
                "\"{phrase}\" (from `{key}`) on {} pages, such as {}",
                pages.len(),
                pages.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

#[test]
fn no_english_theme_words_on_pages_of_other_languages() {
    let records = records_text();
    let langs = languages();
    assert!(!langs.is_empty(), "no language besides English is shipped");
    for language in &langs {
        let dir = example_in(language);
        let (out, warnings) = build_with_warnings(dir.path());
        assert!(
            warnings.trim().is_empty(),
            "{language}: the example builds with warnings:\n{warnings}"
        );
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            home.contains(&format!("<html lang=\"{language}\"")),
            "{language}: html lang"
        );
        let report = english_leaks(language, &out, &records, &[]);
        assert!(
            report.is_empty(),
            "{language}: English theme words on the pages:\n{}",
            report.join("\n")
        );
    }
}

#[test]
fn init_writes_a_starter_site_in_each_language() {
    for language in std::iter::once("en".to_string()).chain(languages()) {
        let dir = tempfile::tempdir().unwrap();
        let o = lantern(dir.path(), &["init", "site", "--language", &language]);
        assert!(o.status.success(), "{language}: {}", stderr(&o));
        let yaml = std::fs::read_to_string(dir.path().join("site/content/site.yaml")).unwrap();
        assert!(
            yaml.contains(&format!("\nlanguage: {language}")),
            "{language}: site.yaml sets the language"
        );
        let (out, warnings) = build_with_warnings(&dir.path().join("site"));
        assert!(warnings.trim().is_empty(), "{language}: {warnings}");
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(home.contains(&format!("<html lang=\"{language}\"")));
    }
    let dir = tempfile::tempdir().unwrap();
    let o = lantern(dir.path(), &["init", "site", "--language", "xx"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("use one of: en"), "{}", stderr(&o));
    assert!(!dir.path().join("site").exists(), "nothing is written");
}

#[test]
fn an_unknown_language_names_the_available_ones_and_missing_keys_are_warnings() {
    let dir = example_in("de");
    let o = lantern(dir.path(), &["check"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "content/site.yaml: the theme has no translations for the language `de`; it has en"
        ),
        "{err}"
    );
    // A site's own file for a language the theme lacks: each key it misses is a warning that
    // names the file (once, relative to where the command ran) and the English shown instead.
    let file = dir.path().join("themes/default/translations/de.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let mut de = String::new();
    for (key, _) in strings("en")
        .iter()
        .filter(|(k, _)| k.as_str() != "finder_title")
    {
        de.push_str(&format!("{key}: \"DE {key}\"\n"));
    }
    std::fs::write(&file, de).unwrap();
    let o = lantern(
        dir.path().parent().unwrap(),
        &[
            "check",
            "--site",
            &dir.path().file_name().unwrap().to_string_lossy(),
        ],
    );
    let err = format!("{}{}", crate::common::stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        err.contains(&format!(
            "{name}/themes/default/translations/de.yaml: warning: no translation of `finder_title`; pages in `de` show the English \"Find a meeting\""
        )),
        "{err}"
    );
    assert_eq!(err.matches("warning: no translation").count(), 1, "{err}");
}

#[test]
fn a_malformed_language_code_points_at_its_line() {
    for bad in ["es_MX", "spanish-language", "e"] {
        let dir = example_in(bad);
        let o = lantern(dir.path(), &["check"]);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!(
                "content/site.yaml:3:11: `{bad}` is not a language code"
            )),
            "{bad}: {err}"
        );
    }
}

/// The example as a bilingual site (`languages: [en, es]`), with one meeting named in both
/// languages and a Spanish edition of the newcomers page.
pub(crate) fn bilingual_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        text.replace("\nlanguage: en\n", "\nlanguages: [en, es]\n"),
    )
    .unwrap();
    let meeting = dir
        .path()
        .join("content/meetings/marren-city/downtown-big-book.yaml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    assert!(text.starts_with("name: Downtown Big Book\n"));
    std::fs::write(
        &meeting,
        text.replacen(
            "name: Downtown Big Book\n",
            "name:\n  en: Downtown Big Book\n  es: Libro Grande del Centro\n",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/pages/newcomers.es.md"),
        "---\ntitle: Recién llegados\n---\nBienvenido a tu primera reunión.\n",
    )
    .unwrap();
    dir
}

fn html_pages(out: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

#[test]
fn a_bilingual_site_has_every_page_in_each_language_linked_to_its_other_edition() {
    let dir = bilingual_example();
    let (out, warnings) = build_with_warnings(dir.path());
    assert!(warnings.trim().is_empty(), "{warnings}");
    let pages = html_pages(&out);
    let english: BTreeSet<&String> = pages.iter().filter(|p| !p.starts_with("es/")).collect();
    let spanish: BTreeSet<String> = pages
        .iter()
        .filter_map(|p| p.strip_prefix("es/").map(String::from))
        .collect();
    assert!(english.len() > 50, "{}", english.len());
    // The default language keeps the one-language URL layout; each page has its Spanish twin.
    for page in &english {
        assert!(spanish.contains(page.as_str()), "no es/{page}");
        if page.as_str() == "404.html" {
            continue;
        }
        let en = std::fs::read_to_string(out.join(page)).unwrap();
        let es = std::fs::read_to_string(out.join("es").join(page)).unwrap();
        assert!(en.contains("<html lang=\"en\""), "{page}");
        assert!(es.contains("<html lang=\"es\""), "es/{page}");
        let url = page.trim_end_matches("index.html");
        let en_href = format!("hreflang=\"en\" href=\"https://meetings.example.org/{url}\"");
        let es_href = format!("hreflang=\"es\" href=\"https://meetings.example.org/es/{url}\"");
        for (name, html) in [(page.to_string(), &en), (format!("es/{page}"), &es)] {
            assert!(html.contains(&en_href), "{name} lacks {en_href}");
            assert!(html.contains(&es_href), "{name} lacks {es_href}");
        }
        // The switch leads to the same page in the other language.
        assert!(
            en.contains(&format!(
                "<a href=\"/es/{url}\" lang=\"es\" hreflang=\"es\">Español</a>"
            )),
            "{page}: switch to Spanish"
        );
        assert!(
            es.contains(&format!(
                "<a href=\"/{url}\" lang=\"en\" hreflang=\"en\">English</a>"
            )),
            "es/{page}: switch to English"
        );
    }
    assert_eq!(spanish.len(), english.len());
    // One Meeting Guide feed, CSV and set of assets, at the root; a finder and calendar per
    // language.
    for shared in ["meetings.json", "meetings.csv", "types.json", "assets"] {
        assert!(out.join(shared).exists(), "{shared}");
        assert!(!out.join("es").join(shared).exists(), "es/{shared}");
    }
    for own in ["calendar.ics", "find/index.json"] {
        assert!(
            out.join(own).exists() && out.join("es").join(own).exists(),
            "{own}"
        );
    }
    let feed = std::fs::read_to_string(out.join("meetings.json")).unwrap();
    assert!(feed.contains("\"Downtown Big Book\"") && !feed.contains("Libro Grande del Centro"));
    // Record text and pages per language, falling back to the default language.
    let en = std::fs::read_to_string(out.join("meetings/downtown-big-book/index.html")).unwrap();
    let es = std::fs::read_to_string(out.join("es/meetings/downtown-big-book/index.html")).unwrap();
    assert!(en.contains("Downtown Big Book") && !en.contains("Libro Grande del Centro"));
    assert!(es.contains("<h1>Libro Grande del Centro</h1>"), "{es}");
    assert!(
        es.contains("We read a few pages"),
        "notes fall back to English"
    );
    let es_cal = std::fs::read_to_string(out.join("es/calendar.ics")).unwrap();
    assert!(
        es_cal.contains("SUMMARY:Libro Grande del Centro"),
        "es calendar"
    );
    let es_index = std::fs::read_to_string(out.join("es/find/index.json")).unwrap();
    assert!(es_index.contains("Libro Grande del Centro"), "es finder");
    let es_page = std::fs::read_to_string(out.join("es/newcomers/index.html")).unwrap();
    assert!(es_page.contains("Bienvenido a tu primera reunión."));
    let en_page = std::fs::read_to_string(out.join("newcomers/index.html")).unwrap();
    assert!(!en_page.contains("Bienvenido"));
    let es_about = std::fs::read_to_string(out.join("es/about/index.html")).unwrap();
    let en_about = std::fs::read_to_string(out.join("about/index.html")).unwrap();
    let body = |h: &str| h.split("<main").nth(1).unwrap_or("").to_string();
    assert!(!body(&en_about).is_empty());
    // A page without a Spanish edition shows the English words on the Spanish page.
    assert!(body(&es_about).contains(body(&en_about).lines().nth(5).unwrap_or("")));
    // One sitemap, each URL with its alternates and the default.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!out.join("es/sitemap.xml").exists());
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://meetings.example.org/es/meetings/downtown-big-book/\"/>"
    ), "{}", &sitemap[..sitemap.len().min(2000)]);
    assert!(sitemap.contains("hreflang=\"x-default\""));
}

#[test]
fn an_english_only_site_has_no_language_switch_or_alternates() {
    let built = crate::common::build(&repo());
    let home = built.read("index.html");
    assert!(!home.contains("hreflang"), "one language, no alternates");
    assert!(!home.contains("class=\"languages\""));
    assert!(!built.exists("es") && !built.exists("en"));
    assert!(!built.read("sitemap.xml").contains("xhtml:link"));
}

#[test]
fn text_in_a_language_the_site_lacks_or_without_the_default_is_an_error_at_its_line() {
    let dir = bilingual_example();
    let meetings = dir.path().join("content/meetings/marren-city");
    let path = meetings.join("downtown-big-book.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("  en: Downtown Big Book\n", "  fr: Grand Livre\n", 1),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/pages/newcomers.de.md"),
        "Willkommen.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/pages/welcome.es.md"), "Hola.\n").unwrap();
    let o = lantern(dir.path(), &["check"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    for expected in [
        "content/meetings/marren-city/downtown-big-book.yaml:2:3: `name` has words in `fr`, which is not a language of the site",
        "the site is in en, es; add `fr` to `languages:` in content/site.yaml",
        "content/meetings/marren-city/downtown-big-book.yaml:2:3: `name` has no words in `en`, the site's default language",
        "content/pages/newcomers.de.md",
        "content/pages/welcome.es.md",
    ] {
        assert!(err.contains(expected), "lacks {expected:?}:\n{err}");
    }
}

#[test]
fn each_language_s_calendar_events_have_their_own_uids() {
    let dir = bilingual_example();
    let (out, _) = build_with_warnings(dir.path());
    let uids = |path: &str| -> BTreeSet<String> {
        std::fs::read_to_string(out.join(path))
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("UID:").map(String::from))
            .collect()
    };
    let en = uids("calendar.ics");
    let es = uids("es/calendar.ics");
    assert!(
        en.contains("downtown-big-book@meetings.example.org"),
        "{en:?}"
    );
    assert!(
        es.contains("downtown-big-book.es@meetings.example.org"),
        "{es:?}"
    );
    assert_eq!(en.len(), es.len());
    assert!(
        en.is_disjoint(&es),
        "the same UID with other words in each language"
    );
}

#[test]
fn no_english_theme_words_on_the_spanish_edition_of_a_bilingual_site() {
    let dir = bilingual_example();
    let (out, warnings) = build_with_warnings(dir.path());
    assert!(warnings.trim().is_empty(), "{warnings}");
    let spanish = out.join("es");
    assert!(spanish.join("index.html").is_file());
    // The Spanish page written for the bilingual example is part of the records too.
    let records = format!("{} Recién llegados", records_text());
    // The switch to the English edition names it as its readers do: "English".
    let report = english_leaks("es", &spanish, &records, &["English"]);
    assert!(
        report.is_empty(),
        "es/: English theme words on the pages:\n{}",
        report.join("\n")
    );
}
