//! Checks shared by every record kind: slugs, time zones, dates, times, e-mail addresses, URLs.
//!
//! The plain rules ([`is_email`], [`is_http_url`], [`is_base_url`], [`is_region_name`],
//! [`is_name_length`], [`control_character`]) are the one definition of what a field may
//! hold: the validator reports a value that breaks one, and `lantern import` leaves such a
//! value out and says so in its report, so an import never writes a record that `lantern
//! check` would refuse.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Pos, nearest};
use crate::load::records::RawText;
use crate::model::schedule;
use crate::model::{Field, Translations};

/// Collects diagnostics for one file.
pub(crate) struct Checker<'a> {
    pub(crate) path: &'a str,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    /// The site's languages, the default first: the ones a text may be given in.
    pub(crate) languages: &'a [String],
}

/// How each language's words of a text field are checked.
#[derive(Clone, Copy)]
pub(crate) enum TextRule {
    /// [`Checker::name`]: required, at most [`MAX_NAME`] characters.
    Name,
    /// [`Checker::note`]: trimmed, nothing when blank.
    Note,
}

pub(crate) fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::from_saphyr(&s.referenced)
}

impl Checker<'_> {
    /// Whether an error (not a warning) was reported since the count `before`.
    pub(crate) fn failed_since(&self, before: usize) -> bool {
        self.diags
            .get(before..)
            .is_some_and(|d| d.iter().any(|d| !d.warning))
    }

    /// Something that builds but is probably not what the editor meant.
    pub(crate) fn warn(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(self.path, pos, message).with_hint(hint));
    }

    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(self.path, pos, message).with_hint(hint));
    }

    /// A non-empty, trimmed text value.
    pub(crate) fn text(&mut self, field: &str, v: &Spanned<String>) -> Option<String> {
        let t = v.value.trim();
        if t.is_empty() {
            self.error(
                pos(v),
                format!("`{field}` is empty"),
                format!("give `{field}` a value or remove the line"),
            );
            None
        } else {
            Some(t.to_string())
        }
    }

    /// A name (of a meeting or a location): non-empty text of at most [`MAX_NAME`]
    /// characters, the Meeting Guide spec's limit.
    pub(crate) fn name(&mut self, field: &str, v: &Spanned<String>) -> Option<String> {
        let t = self.text(field, v)?;
        if !is_name_length(&t) {
            self.error(
                pos(v),
                format!(
                    "`{field}` is {} characters long; the Meeting Guide feed allows at most {MAX_NAME}",
                    t.chars().count()
                ),
                "shorten the name (the apps show names on one line); put the details in `notes`",
            );
            return None;
        }
        Some(t)
    }

    /// Optional text: trimmed, nothing when blank.
    pub(crate) fn note(&mut self, _field: &str, v: &Spanned<String>) -> Option<String> {
        Some(v.value.trim().to_string()).filter(|s| !s.is_empty())
    }

    /// A text field written once, or per language (`name: {en: ..., es: ...}`): the default
    /// language's words, each language's checked by `rule`; the other languages' go into
    /// `translations`. A `required` field must have the default language's words.
    pub(crate) fn texts(
        &mut self,
        name: &str,
        v: &Spanned<RawText>,
        field: Field,
        translations: &mut Translations,
        required: bool,
        rule: TextRule,
    ) -> Option<String> {
        let words = |t: &str| Spanned::new(t.to_string(), v.referenced, v.defined);
        let rule = |c: &mut Checker, t: &Spanned<String>| match rule {
            TextRule::Name => c.name(name, t),
            TextRule::Note => c.note(name, t),
        };
        let list = match &v.value {
            RawText::One(t) => return rule(self, &words(t)),
            RawText::ByLanguage(list) => list,
        };
        let languages = self.languages;
        let default = languages.first().map_or("en", String::as_str);
        let mut own = None;
        let mut found = false;
        for (code, text) in list {
            if !languages.iter().any(|l| l == code) {
                self.error(
                    pos(v),
                    format!("`{name}` has words in `{code}`, which is not a language of the site"),
                    format!(
                        "the site is in {}; add `{code}` to `languages:` in content/site.yaml, or remove its line here",
                        languages.join(", ")
                    ),
                );
                continue;
            }
            let checked = rule(self, &words(text));
            if code == default {
                found = true;
                own = checked;
            } else if let Some(t) = checked {
                translations.add(field, code, t);
            }
        }
        if required && !found {
            self.error(
                pos(v),
                format!("`{name}` has no words in `{default}`, the site's default language"),
                format!("add `{default}: ...` under `{name}`; the other languages show it where they have no words of their own"),
            );
        }
        own
    }

    /// A record's `name`, written once or per language: required in the default language.
    pub(crate) fn names(
        &mut self,
        v: &Spanned<RawText>,
        translations: &mut Translations,
    ) -> Option<String> {
        self.texts("name", v, Field::Name, translations, true, TextRule::Name)
    }

    /// An optional note written once or per language: [`Checker::texts`] with the note rule.
    pub(crate) fn notes(
        &mut self,
        name: &str,
        v: &Option<Spanned<RawText>>,
        field: Field,
        translations: &mut Translations,
    ) -> Option<String> {
        let v = v.as_ref()?;
        self.texts(name, v, field, translations, false, TextRule::Note)
    }

    pub(crate) fn opt_text(&mut self, v: &Option<Spanned<String>>) -> Option<String> {
        v.as_ref()
            .map(|v| v.value.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn slug(&mut self, v: &str, at: Pos, what: &str) -> bool {
        if is_slug(v) {
            return true;
        }
        self.error(
            at,
            format!("{what} `{v}` may only contain lowercase letters a-z, digits and hyphens"),
            format!("use `{}`", suggest_slug(v)),
        );
        false
    }

    pub(crate) fn timezone(&mut self, v: &Spanned<String>) -> Option<Tz> {
        let name = v.value.trim();
        if let Ok(tz) = name.parse::<Tz>() {
            return Some(tz);
        }
        let hint = match nearest(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name())) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "use an IANA time zone name such as America/Chicago or Europe/London".into(),
        };
        self.error(pos(v), format!("unknown time zone `{name}`"), hint);
        None
    }

    pub(crate) fn date(&mut self, field: &str, v: &Spanned<String>) -> Option<NaiveDate> {
        let d = schedule::parse_date(&v.value);
        if d.is_none() {
            self.error(
                pos(v),
                format!("`{}` in `{field}` is not a date", v.value.trim()),
                "write dates as YYYY-MM-DD, for example 2026-12-25",
            );
        }
        d
    }

    pub(crate) fn time(&mut self, field: &str, v: &Spanned<String>) -> Option<NaiveTime> {
        let t = schedule::parse_hhmm(v.value.trim());
        if t.is_none() {
            let hint = match guess_time(&v.value) {
                Some(g) => format!("write it as \"{g}\" (24-hour HH:MM, in quotes)"),
                None => "write times as \"HH:MM\" on the 24-hour clock, in quotes, for example \"19:00\"".into(),
            };
            self.error(
                pos(v),
                format!(
                    "`{}` in `{field}` is not a time in 24-hour HH:MM form",
                    v.value.trim()
                ),
                hint,
            );
        }
        t
    }

    pub(crate) fn email(&mut self, field: &str, v: &Spanned<String>) -> Option<String> {
        let e = v.value.trim();
        if !is_email(e) {
            self.error(
                pos(v),
                format!("`{e}` in `{field}` is not an e-mail address"),
                "write a single address such as group.service@example.org",
            );
            return None;
        }
        Some(e.to_string())
    }

    /// The site's own address: a web address with nothing after the path, since every link of
    /// the site is made by appending to it.
    pub(crate) fn base_url(&mut self, v: &Spanned<String>) -> Option<String> {
        let u = self.http_url("base_url", v)?;
        if !is_base_url(&u) {
            self.error(
                pos(v),
                format!("`{u}` in `base_url` has a query or fragment (`?` or `#`)"),
                "give the address the site is published at and nothing after its path, for example https://example.org/meetings/",
            );
            return None;
        }
        Some(u)
    }

    pub(crate) fn http_url(&mut self, field: &str, v: &Spanned<String>) -> Option<String> {
        let u = v.value.trim();
        let ok = is_http_url(u);
        if !ok {
            self.error(
                pos(v),
                format!("`{u}` in `{field}` is not a web address"),
                "write the full address, starting with https://",
            );
            return None;
        }
        Some(u.to_string())
    }
}

/// An address a `mailto:` link can carry as it is: one mailbox, `local@domain`, whose local
/// part has no characters that mean something in a URL (`?` would add headers such as `bcc`,
/// `%` and `&` would be decoded) and whose domain is made of dot-separated labels of letters,
/// digits and hyphens, with at least one dot (`bob@localhost` reaches nobody from outside).
pub(crate) fn is_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '.' | '!'
                        | '#'
                        | '$'
                        | '\''
                        | '*'
                        | '+'
                        | '/'
                        | '='
                        | '^'
                        | '_'
                        | '`'
                        | '{'
                        | '|'
                        | '}'
                        | '~'
                        | '-'
                )
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// A full `http://` or `https://` address with a host, without spaces, quotes or angle
/// brackets, and without a user name or password before the host.
pub(crate) fn is_http_url(u: &str) -> bool {
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !authority.is_empty()
        && !authority.contains('@')
        && !authority.starts_with([':', '.'])
        && !u.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
        })
}

/// A site address every link can be appended to: a web address with no query or fragment.
pub(crate) fn is_base_url(u: &str) -> bool {
    is_http_url(u) && !u.contains(['?', '#'])
}

/// The longest name, in characters, the Meeting Guide spec allows (its `name` field); the
/// apps and the 12 Step Meeting List plugin store names up to this length.
pub(crate) const MAX_NAME: usize = 255;

/// Whether a meeting's or location's name fits the spec's [`MAX_NAME`] characters.
pub(crate) fn is_name_length(name: &str) -> bool {
    name.trim().chars().count() <= MAX_NAME
}

/// A region name must have a letter or digit, since it becomes a URL segment (`region` is what
/// a name without any turns into, so only a region really called that may have it).
pub(crate) fn is_region_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && (crate::model::region::segment(name) != "region" || name.eq_ignore_ascii_case("region"))
}

/// The first control character of a text other than tab and line breaks, which no record may
/// hold (the loader's rule, [`crate::load::walk::control_character`], which works on a file's
/// bytes).
pub(crate) fn control_character(s: &str) -> Option<char> {
    let at = crate::load::walk::control_character(s.as_bytes())?;
    s.get(at..).and_then(|rest| rest.chars().next())
}

pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) fn suggest_slug(s: &str) -> String {
    let s = crate::model::url_slug(s);
    if s.is_empty() { "meeting".into() } else { s }
}

/// A best guess at what a mistyped time meant, for the hint: `7:00` -> `07:00`, `7pm` -> `19:00`.
fn guess_time(raw: &str) -> Option<String> {
    schedule::parse_loose_time(raw).map(|t| t.format("%H:%M").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_times() {
        assert_eq!(guess_time("7:00").as_deref(), Some("07:00"));
        assert_eq!(guess_time("7pm").as_deref(), Some("19:00"));
        assert_eq!(guess_time("7:30 p.m.").as_deref(), Some("19:30"));
        assert_eq!(guess_time("12am").as_deref(), Some("00:00"));
        assert_eq!(guess_time("1900").as_deref(), Some("19:00"));
        assert_eq!(guess_time("evening"), None);
        assert_eq!(guess_time("🕖"), None);
        assert_eq!(guess_time("7€"), None);
    }

    #[test]
    fn emails() {
        for ok in [
            "group@example.org",
            "a.b+c@mail.example.co.uk",
            "josé@ejemplo.es",
            "x@xn--bcher-kva.de",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "x@example.org?bcc=all@example.org",
            "x@example.org&cc=y@example.org",
            "bob@localhost",
            "a@b@example.org",
            "x%41@example.org",
            "\"a b\"@example.org",
            "a@.example.org",
            "a@example..org",
            "a@-x.org",
            ".a@example.org",
            "a@example.org ",
            "<a@example.org>",
            "a,b@example.org",
            "@example.org",
            "a@",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://example.org",
            "http://x.org/a/b?c=d#e",
            "https://zoom.us/j/1?pwd=x",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "https://",
            "ftp://x.org",
            "https://user:pw@x.org/",
            "https://x.org/a b",
            "javascript:alert(1)",
            "https:///path",
            "https://x.org/\"",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn control_characters() {
        assert_eq!(control_character("a\tb\nc\r"), None);
        assert_eq!(control_character("é\u{7}"), Some('\u{7}'));
        assert_eq!(control_character("x\u{85}"), Some('\u{85}'));
        assert_eq!(control_character("\u{7f}"), Some('\u{7f}'));
        assert_eq!(control_character("\u{0}"), Some('\u{0}'));
    }

    #[test]
    fn region_names() {
        assert!(is_region_name("Kreuzberg"));
        assert!(is_region_name("Region"));
        assert!(!is_region_name("—"));
        assert!(!is_region_name(" "));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("st-marks-2"));
        assert!(!is_slug("St_Marks"));
        assert_eq!(suggest_slug("St. Mark's Church"), "st-mark-s-church");
    }
}
