//! Meeting types: the Meeting Guide codes (with their names in several languages) plus a site's
//! own custom types.

use std::collections::BTreeMap;

/// The Meeting Guide specification's type list, as published by code4recovery (MIT licence).
const MEETING_GUIDE_TYPES: &str = include_str!("../../data/meeting-guide-types.json");

/// A type a meeting can have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingType {
    pub code: String,
    pub name: String,
    /// URL segment of `/types/<slug>/`.
    pub slug: String,
    /// Plain-words explanation for newcomers, when the theme or the site gives one.
    pub description: Option<String>,
    /// Defined by the site rather than by the Meeting Guide specification.
    pub custom: bool,
}

/// Codes that the feeds derive from a meeting's other fields and editors must not set by hand.
pub(crate) const DERIVED_CODES: [&str; 3] = ["TC", "ONL", "HY"];

/// Every type a site knows, by code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypeTable {
    by_code: BTreeMap<String, MeetingType>,
}

impl TypeTable {
    /// The built-in Meeting Guide types, named in `language` where the list has it, else English.
    pub fn builtin(language: &str) -> Self {
        let raw: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(MEETING_GUIDE_TYPES).unwrap_or_default();
        let by_code = raw
            .into_iter()
            .filter_map(|(code, names)| {
                let name = names.get(language).or_else(|| names.get("en"))?.clone();
                let slug_source = names.get("en").unwrap_or(&name).clone();
                Some((
                    code.clone(),
                    MeetingType {
                        code,
                        slug: super::url_slug(&slug_source),
                        name,
                        description: None,
                        custom: false,
                    },
                ))
            })
            .collect();
        Self { by_code }
    }

    /// The same types named in `language`: the Meeting Guide types from the list, a site's
    /// own types as the site names them.
    pub(crate) fn in_language(&self, language: &str) -> Self {
        let builtin = Self::builtin(language);
        let by_code = self
            .by_code
            .iter()
            .map(|(code, t)| {
                let name = match builtin.get(code) {
                    Some(b) if !t.custom => b.name.clone(),
                    _ => t.name.clone(),
                };
                (code.clone(), MeetingType { name, ..t.clone() })
            })
            .collect();
        Self { by_code }
    }

    pub(crate) fn insert(&mut self, t: MeetingType) {
        self.by_code.insert(t.code.clone(), t);
    }

    pub(crate) fn get(&self, code: &str) -> Option<&MeetingType> {
        self.by_code.get(code)
    }

    pub(crate) fn contains(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        self.by_code.keys().map(String::as_str)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &MeetingType> {
        self.by_code.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_all_reference_codes() {
        let t = TypeTable::builtin("en");
        assert_eq!(t.iter().count(), 87);
        assert_eq!(t.get("O").map(|t| t.name.as_str()), Some("Open"));
        assert_eq!(t.get("O").map(|t| t.slug.as_str()), Some("open"));
        assert_eq!(t.get("C").map(|t| t.name.as_str()), Some("Closed"));
    }

    #[test]
    fn builtin_names_follow_language_and_keep_english_slugs() {
        let t = TypeTable::builtin("es");
        assert_eq!(t.get("O").map(|t| t.name.as_str()), Some("Abierta"));
        assert_eq!(t.get("O").map(|t| t.slug.as_str()), Some("open"));
    }
}
