//! Translations and formatting: the user-facing strings of the templates in the site's
//! languages (the default theme's files, a site's own files over them, and CLDR's plural
//! rules, dates and weekday names), and the functions that write times, dates and schedules
//! in words with them ([`mod@format`]).
//!
//! Themes load their strings from here and pages, feeds and indexes format with them; this
//! module knows nothing of templates, so the two do not depend on each other.

pub(crate) mod format;

use std::collections::BTreeMap;
use std::path::Path;

use super::default_theme::DEFAULT_THEME;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, display_path, rel_path};

/// The theme's translations: every user-facing string of the templates, and the CLDR data of
/// the language (plural rules, dates, weekday names).
#[derive(Clone, Debug, Default)]
pub struct Strings(pub(crate) BTreeMap<String, String>, pub(crate) Cldr);

/// What CLDR knows about the site's language that the translations files need not repeat:
/// its plural rules, its long date format and its weekday names. Empty only where ICU4X has
/// no data for the tag, and then English rules and ISO dates are used.
#[derive(Clone, Debug, Default)]
pub struct Cldr(Option<std::sync::Arc<CldrData>>);

#[derive(Debug)]
struct CldrData {
    plurals: icu_plurals::PluralRules,
    dates: icu_datetime::FixedCalendarDateTimeFormatter<
        icu_calendar::Gregorian,
        icu_datetime::fieldsets::YMD,
    >,
    /// Sunday first, as CLDR writes them inside a sentence ("lunes" in Spanish).
    weekdays: [String; 7],
}

impl Cldr {
    pub(crate) fn for_language(language: &str) -> Self {
        use icu_datetime::fieldsets;
        let Ok(locale) = language.parse::<icu_locale_core::Locale>() else {
            return Cldr(None);
        };
        let cldr = (|| {
            let plurals = icu_plurals::PluralRules::try_new_cardinal((&locale).into()).ok()?;
            let dates = icu_datetime::FixedCalendarDateTimeFormatter::try_new(
                (&locale).into(),
                fieldsets::YMD::long(),
            )
            .ok()?;
            let names = icu_datetime::FixedCalendarDateTimeFormatter::<
                icu_calendar::Gregorian,
                _,
            >::try_new((&locale).into(), fieldsets::E::long())
            .ok()?;
            // 3 January 2027 is a Sunday.
            let mut weekdays: [String; 7] = Default::default();
            for (i, name) in weekdays.iter_mut().enumerate() {
                let day = icu_calendar::Date::try_new_gregorian(2027, 1, 3 + i as u8).ok()?;
                *name = names.format(&day).to_string();
            }
            Some(CldrData {
                plurals,
                dates,
                weekdays,
            })
        })();
        Cldr(cldr.map(std::sync::Arc::new))
    }

    /// The CLDR category of `n`: `one`, `other`, and in some languages `zero`, `two`,
    /// `few` or `many`.
    pub(crate) fn category(&self, n: usize) -> &'static str {
        use icu_plurals::PluralCategory::*;
        let Some(cldr) = &self.0 else {
            return if n == 1 { "one" } else { "other" };
        };
        match cldr.plurals.category_for(n) {
            Zero => "zero",
            One => "one",
            Two => "two",
            Few => "few",
            Many => "many",
            Other => "other",
        }
    }

    /// A date in the language's long form: "January 15, 2027", "15 de enero de 2027".
    pub(crate) fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let day = self.0.as_ref().and_then(|cldr| {
            let date = icu_calendar::Date::try_new_gregorian(
                d.year(),
                u8::try_from(d.month()).ok()?,
                u8::try_from(d.day()).ok()?,
            )
            .ok()?;
            Some(cldr.dates.format(&date).to_string())
        });
        day.unwrap_or_else(|| d.format("%Y-%m-%d").to_string())
    }

    /// The weekday names, Sunday first, as written inside a sentence, if CLDR has them.
    pub(crate) fn weekdays(&self) -> Option<&[String; 7]> {
        self.0.as_ref().map(|c| &c.weekdays)
    }
}

/// `lunes` -> `Lunes`: CLDR's names are for the middle of a sentence; a heading, a menu or a
/// list starts with a capital (CLDR's own advice for stand-alone use in most languages).
pub(crate) fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Strings {
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// A counted phrase, "1 meeting" or "12 meetings": the string `<key>_<category>` for the
    /// plural category of `n` in the site's language (`meetings_count_one`), else
    /// `<key>_other`, with `{n}` replaced.
    pub(crate) fn count(&self, key: &str, n: usize) -> String {
        let category = self.1.category(n);
        self.0
            .get(&format!("{key}_{category}"))
            .or_else(|| self.0.get(&format!("{key}_other")))
            .map_or_else(|| key.to_string(), |t| t.replace("{n}", &n.to_string()))
    }
}

/// The languages the default theme has translations for (`en`, ...), sorted.
pub(crate) fn builtin_languages() -> Vec<&'static str> {
    let mut out: Vec<&str> = DEFAULT_THEME
        .get_dir("translations")
        .into_iter()
        .flat_map(|d| d.files())
        .filter_map(|f| f.path().file_name()?.to_str()?.strip_suffix(".yaml"))
        .collect();
    out.sort_unstable();
    out
}

/// The language tag and the tags it falls back to, most general first: `es-MX` reads `es`,
/// then `es-MX` over it.
fn tag_chain(language: &str) -> Vec<String> {
    let parts: Vec<&str> = language.split('-').collect();
    (1..=parts.len()).map(|n| parts[..n].join("-")).collect()
}

/// The strings for `language`, layered: English underneath (so a template never meets a
/// missing key), then the default theme's file for the language, then the site's own file
/// (`themes/<theme>/translations/<code>.yaml`), so a site can override single keys. Keys no
/// file of the language defines are reported as warnings naming the English text shown.
pub(crate) fn load_strings(
    site_root: &Path,
    site_theme: &Path,
    language: &str,
    diags: &mut Diagnostics,
    warnings: &mut Diagnostics,
) -> Strings {
    let parse = |path: &str, text: &str, diags: &mut Diagnostics| {
        crate::load::yaml::parse::<BTreeMap<String, String>>(path, text)
            .map_err(|d| diags.push(d))
            .ok()
    };
    let builtin = |code: &str| {
        let file = format!("translations/{code}.yaml");
        DEFAULT_THEME
            .get_file(&file)
            .and_then(|f| f.contents_utf8())
            .map(|text| (format!("(default theme) {file}"), text))
    };
    let english = builtin("en")
        .and_then(|(path, text)| parse(&path, text, diags))
        .unwrap_or_default();
    let mut strings = english.clone();
    // Which file gave each key, for the warnings (English keys not yet overridden).
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    let mut found = false;
    let mut site_files = Vec::new();
    for code in tag_chain(language) {
        if let Some((path, text)) = builtin(&code)
            && let Some(map) = parse(&path, text, diags)
        {
            found = true;
            for k in map.keys() {
                given.insert(k.clone(), path.clone());
            }
            strings.extend(map);
        }
        let site_file = site_theme.join(format!("translations/{code}.yaml"));
        if site_file.is_file() {
            let path = rel_path(site_root, &site_file);
            found = true;
            match crate::load::read_checked(site_root, &site_file) {
                Ok(text) => {
                    if let Some(map) = parse(&path, &text, diags) {
                        for k in map.keys() {
                            given.insert(k.clone(), path.clone());
                        }
                        strings.extend(map);
                    }
                }
                Err(d) => diags.push(d),
            }
            site_files.push(path);
        }
    }
    // Weekday names come from CLDR unless the site's own file names them.
    let cldr = Cldr::for_language(language);
    if let Some(names) = cldr.weekdays() {
        for (day, name) in crate::model::schedule::WEEK.iter().zip(names) {
            let key = crate::model::schedule::day_key(*day);
            let by_site = given
                .get(key)
                .is_some_and(|p| !p.starts_with("(default theme)"));
            if !by_site {
                strings.insert(key.to_string(), capitalised(name));
                given.insert(key.to_string(), "(CLDR)".to_string());
            }
        }
    }
    let theme_dir =
        display_path(&Path::new("themes").join(site_theme.file_name().unwrap_or_default()));
    if !found {
        let mut available: Vec<String> =
            builtin_languages().into_iter().map(String::from).collect();
        if let Ok(entries) = std::fs::read_dir(site_theme.join("translations")) {
            available.extend(entries.filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_suffix(".yaml").map(String::from)
            }));
        }
        available.sort();
        available.dedup();
        diags.push(
            Diagnostic::new(
                "content/site.yaml",
                Pos::default(),
                format!(
                    "the theme has no translations for the language `{language}`; it has {}",
                    available.join(", ")
                ),
            )
            .with_hint(format!(
                "use one of these codes, or add {theme_dir}/translations/{language}.yaml with the keys of the English file (docs/languages.md)"
            )),
        );
        return Strings(strings, Cldr::default());
    }
    if language != "en" {
        // Report against the most specific file the site has, or the one it would add.
        let file = site_files
            .last()
            .cloned()
            .unwrap_or_else(|| format!("{theme_dir}/translations/{language}.yaml"));
        for (key, text) in &english {
            if !given.contains_key(key) {
                warnings.push(
                    Diagnostic::warning(
                        file.clone(),
                        Pos::default(),
                        format!("no translation of `{key}`; pages in `{language}` show the English \"{text}\""),
                    )
                    .with_hint(format!("add `{key}:` with the words in `{language}`")),
                );
            }
        }
    }
    Strings(strings, cldr)
}

/// The default theme's strings for `language`, as a site without translations of its own gets
/// them (for unit tests of the formatting).
#[cfg(test)]
pub(crate) fn builtin_strings(language: &str) -> Strings {
    let none = Path::new("/nonexistent-site");
    let (mut diags, mut warnings) = (Diagnostics::default(), Diagnostics::default());
    let s = load_strings(
        none,
        &none.join("themes/default"),
        language,
        &mut diags,
        &mut warnings,
    );
    assert!(diags.is_empty(), "{diags}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting(language: &str) -> Strings {
        let map = [
            ("m_one", "{n} réunion"),
            ("m_other", "{n} réunions"),
            ("p_few", "{n} spotkania"),
            ("p_many", "{n} spotkań"),
            ("p_one", "{n} spotkanie"),
            ("p_other", "{n} spotkania"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Strings(map, Cldr::for_language(language))
    }

    #[test]
    fn counts_follow_the_languages_plural_rules() {
        let fr = counting("fr");
        assert_eq!(fr.count("m", 0), "0 réunion", "French counts 0 as singular");
        assert_eq!(fr.count("m", 1), "1 réunion");
        assert_eq!(fr.count("m", 2), "2 réunions");
        let en = counting("en");
        assert_eq!(en.count("m", 0), "0 réunions", "English does not");
        assert_eq!(counting("es-MX").count("m", 1), "1 réunion");
        // Languages with more forms pick them; a form the file lacks falls back to `other`.
        let pl = counting("pl");
        assert_eq!(pl.count("p", 1), "1 spotkanie");
        assert_eq!(pl.count("p", 3), "3 spotkania");
        assert_eq!(pl.count("p", 5), "5 spotkań");
        assert_eq!(pl.count("p", 22), "22 spotkania");
        assert_eq!(counting("pl").count("m", 5), "5 réunions");
    }

    #[test]
    fn a_tag_reads_its_language_first_then_itself() {
        assert_eq!(tag_chain("es"), ["es"]);
        assert_eq!(tag_chain("es-MX"), ["es", "es-MX"]);
        assert_eq!(tag_chain("zh-Hant-TW"), ["zh", "zh-Hant", "zh-Hant-TW"]);
    }
}
