//! One place where YAML is parsed: the options every file gets, and how a parser error becomes a
//! `path:line:column` diagnostic with a hint.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Error as YamlError, Spanned};

use crate::diagnostics::{Diagnostic, Pos, nearest};

/// Lantern's YAML options: booleans are strict, so `yes` and `no` stay strings; duplicate keys
/// are errors.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_nodes: MAX_NODES,
            max_events: 2 * MAX_NODES,
        },
    }
}

// The parser's limits: its defaults (250,000 nodes, 1,000,000 events) stop a single list
// file at about 22,700 meetings; a big intergroup may keep every meeting in one file, so
// Lantern allows about a million, while the input size (256 MiB) and nesting depth limits
// that protect memory and the stack stay as they are.
/// About a million meetings of a dozen values each.
const MAX_NODES: usize = 12_000_000;

/// The key serde-saphyr's `Spanned` passes to itself through serde (see [`parse_noting_unknown`]).
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Parses `text` (the contents of `path`) with Lantern's YAML options.
pub(crate) fn parse<'a, T: Deserialize<'a>>(path: &str, text: &'a str) -> Result<T, Diagnostic> {
    no_escaped_controls(path, text)?;
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| to_diagnostic(path, text, &e))
}

/// Refuses a string whose escapes (`"\0"`, `"\e"`, `"\x07"`) make a control character. The
/// loader refuses raw ones in the text already; escapes need a look at the parsed values,
/// which only files with a backslash pay for.
fn no_escaped_controls(path: &str, text: &str) -> Result<(), Diagnostic> {
    if !text.contains('\\') {
        return Ok(());
    }
    let Ok(Spanned {
        value: ControlScan(found),
        referenced,
        ..
    }) = serde_saphyr::from_str_with_options::<Spanned<ControlScan>>(text, options())
    else {
        // The real parse reports the error.
        return Ok(());
    };
    match found.first() {
        None => Ok(()),
        Some(at) => Err(Diagnostic::new(
            path,
            if at.line == 0 { Pos::from_saphyr(&referenced) } else { *at },
            "this text holds a control character written as an escape (such as \\0 or \\e), which is not text",
        )
        .with_hint("remove the escape; write a line break as \\n or as a new line in a `|` block")),
    }
}

/// The positions of every string value holding a control character other than tab and line
/// breaks (see [`crate::load::walk::control_character`]).
struct ControlScan(Vec<Pos>);

impl<'de> Deserialize<'de> for ControlScan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Node;
        impl<'de> Visitor<'de> for Node {
            type Value = ControlScan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let bad = crate::load::walk::control_character(v.as_bytes()).is_some();
                // The position is the enclosing `Spanned`'s, filled in by the caller.
                Ok(ControlScan(if bad {
                    vec![Pos::default()]
                } else {
                    Vec::new()
                }))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                self.visit_str(&v)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ControlScan(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut found = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<ControlScan>>()? {
                    found.extend(located(item));
                }
                Ok(ControlScan(found))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = Vec::new();
                while let Some(key) = map.next_key::<Spanned<ControlScan>>()? {
                    found.extend(located(key));
                    found.extend(located(map.next_value::<Spanned<ControlScan>>()?));
                }
                Ok(ControlScan(found))
            }
        }
        d.deserialize_any(Node)
    }
}

/// The positions found inside a value; a string's own finding gets the value's position.
fn located(v: Spanned<ControlScan>) -> Vec<Pos> {
    let at = Pos::from_saphyr(&v.referenced);
    v.value
        .0
        .into_iter()
        .map(|p| if p.line == 0 { at } else { p })
        .collect()
}

/// Like [`parse`], and also tells whether the text had fields that `T` does not know (which
/// serde otherwise skips in silence). Finding out costs no second pass over the text.
pub(crate) fn parse_noting_unknown<'a, T: Deserialize<'a>>(
    path: &str,
    text: &'a str,
) -> Result<(T, bool), Diagnostic> {
    no_escaped_controls(path, text)?;
    let mut unknown = false;
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_ignored::deserialize(de, |p| {
            // serde-saphyr's `Spanned` values carry a private marker that their own visitor
            // skips; that is not a field of the record.
            let marker =
                matches!(&p, serde_ignored::Path::Map { key, .. } if key == SPANNED_MARKER);
            unknown |= !marker;
        })
    })
    .map(|value| (value, unknown))
    .map_err(|e| to_diagnostic(path, text, &e))
}

/// Turns a parser error in `text` into a diagnostic in Lantern's words: the YAML library's
/// messages name its own types and functions, which mean nothing to an editor.
pub(crate) fn to_diagnostic(path: &str, text: &str, err: &YamlError) -> Diagnostic {
    let err = err.without_snippet();
    let mut pos = err
        .location()
        .map(|l| Pos::from_saphyr(&l))
        .unwrap_or_default();
    if pos.line == 0 {
        // Errors about the whole document come without a place: point at its first line.
        pos = first_content_line(text);
    }
    let (message, hint) = describe(err, &Context::at(text, pos));
    let mut d = Diagnostic::new(path, pos, message);
    d.hint = hint;
    d
}

/// What stands in the text where an error was found: the field whose value it is (the last
/// `key:` before the position on its line) and what kind of value starts there.
struct Context<'t> {
    field: Option<&'t str>,
    found: &'static str,
}

impl<'t> Context<'t> {
    fn at(text: &'t str, pos: Pos) -> Self {
        let line = text
            .lines()
            .nth(pos.line.saturating_sub(1) as usize)
            .unwrap_or("");
        // Columns count characters; never cut a line inside one.
        let cut = line
            .char_indices()
            .nth(pos.column.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i);
        let (before, mut after) = line.split_at(cut);
        // Some errors point at the field's name rather than its value.
        let named = after.trim_start().split_once(':').filter(|(k, v)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && (v.is_empty() || v.starts_with(' '))
        });
        if let (Some((key, value)), true) = (named, before.trim().is_empty()) {
            after = value;
            return Context {
                field: Some(key),
                found: Self::kind(after),
            };
        }
        let field = before
            .trim_end()
            .strip_suffix(':')
            .map(|b| {
                let start = b
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .map_or(0, |i| i + 1);
                b.get(start..).unwrap_or("")
            })
            .filter(|k| !k.is_empty());
        Context {
            field,
            found: Self::kind(after),
        }
    }

    fn kind(value: &str) -> &'static str {
        match value.trim_start().chars().next() {
            Some('[') | Some('-') => "a list",
            Some('{') => "a set of fields",
            None | Some('#') => "nothing on this line",
            _ => "a single value",
        }
    }

    fn subject(&self) -> String {
        match self.field {
            Some(f) => format!("`{f}`"),
            None => "this item".to_string(),
        }
    }
}

fn first_content_line(text: &str) -> Pos {
    let line = text
        .lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && t != "---"
        })
        .unwrap_or(0);
    Pos::new(line as u64 + 1, 1)
}

const QUOTE_HINT: &str =
    "put a value that holds `: ` or starts with `[`, `{`, `#`, `*`, `&` or `!` in double quotes";

fn describe(err: &YamlError, at: &Context) -> (String, Option<String>) {
    match err {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected),
        YamlError::SerdeMissingField { field, .. } => (
            format!("missing required field `{field}`"),
            Some(format!("add a line `{field}: ...`")),
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } if expected.contains("meeting") => (
            format!("expected {expected}, found {unexpected}"),
            Some(
                "a meeting file holds lines of `field: value`, such as `name: Hope at Noon`; \
                 check that each field's name is followed by `: `"
                    .into(),
            ),
        ),
        // A text field that may be given per language ([`super::records::RawText`]).
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } if expected.starts_with(super::records::RawText::EXPECTING) => (
            format!(
                "{} takes text, or its words in each language, found {}",
                at.subject(),
                if unexpected.contains("sequence") {
                    "a list"
                } else {
                    unexpected.as_str()
                }
            ),
            Some(format!(
                "write the text on the same line, such as `{}: ...`, or each language's words on a line of its own below it, indented (`  en: ...`, then `  es: ...`); {QUOTE_HINT}",
                at.field.unwrap_or("name")
            )),
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            format!(
                "{} takes {}, found {unexpected}",
                at.subject(),
                wanted(expected)
            ),
            Some(type_hint(expected)),
        ),
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (format!("expected {expected}, found {unexpected}"), None),
        YamlError::InvalidScalar { ty, .. } => (
            format!("this value is not a valid {}", scalar_name(ty)),
            Some(type_hint(ty)),
        ),
        YamlError::Unexpected { expected, .. } => shape(expected, at),
        YamlError::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("the field `{k}` is written twice in this record"),
                None => "a field is written twice in this record".to_string(),
            },
            Some(
                "each field may appear once per record; keep one of them (for several values \
                 write a list, such as `day: [monday, friday]`)"
                    .into(),
            ),
        ),
        YamlError::MultipleDocuments { .. } => (
            "a line `---` starts a second document in this file".to_string(),
            Some(
                "a file holds one record, or a list of meetings each starting with `- `; remove \
                 the `---` line or move what follows it to its own file"
                    .into(),
            ),
        ),
        YamlError::Eof { .. } => (
            "the file is empty".to_string(),
            Some("write the record's fields, for example `name: ...`".into()),
        ),
        _ => {
            let raw = strip_location(&err.to_string());
            syntax(&raw, at)
        }
    }
}

/// A value of the wrong shape for its field (a lone value where a list or a set of fields
/// belongs, or the other way round): valid YAML, so the message says what the field takes.
fn shape(expected: &str, at: &Context) -> (String, Option<String>) {
    let subject = at.subject();
    let found = at.found;
    if expected.contains("mapping") {
        if at.field.is_none() {
            return (
                format!("expected a meeting (lines of `field: value`) here, found {found}"),
                Some(
                    "each item of a list of meetings starts with `- ` followed by the meeting's \
                     first field, such as `- name: Hope at Noon`, with its other fields indented \
                     below it"
                        .into(),
                ),
            );
        }
        return (
            format!("{subject} takes a set of fields, found {found}"),
            Some(format!(
                "write its fields on the lines below, indented, such as `{}:` then `  url: https://...`",
                at.field.unwrap_or("online")
            )),
        );
    }
    if expected.contains("sequence") {
        return (
            format!("{subject} takes a list, found {found}"),
            Some("write a list as `[a, b]` or as lines starting with `- `".into()),
        );
    }
    if expected.contains("scalar") {
        return (
            format!("{subject} takes a single value, found {found}"),
            Some(format!(
                "write one value on the same line, such as `{}: ...`; {QUOTE_HINT}",
                at.field.unwrap_or("name")
            )),
        );
    }
    (
        format!("{subject} does not take {found} here"),
        Some(QUOTE_HINT.to_string()),
    )
}

/// The parser's syntax errors, in words about what the editor most likely did.
fn syntax(raw: &str, at: &Context) -> (String, Option<String>) {
    let (message, hint): (&str, String) = if raw.contains("mapping values are not allowed") {
        (
            "a `: ` here reads as the start of a field, where none can start",
            format!(
                "if this is text that holds `: `, {}; otherwise check the indentation: a record's \
                 fields all start in the same column",
                "put the whole value in double quotes"
            ),
        )
    } else if raw.contains("did not find expected key") {
        (
            "this line does not line up with the fields above it",
            "a record's fields all start in the same column, and a list item starts with `- `; \
             check this line's indentation and that the line above is complete (a closing quote \
             or bracket, the `:` after a field's name)"
                .to_string(),
        )
    } else if raw.contains("could not find expected ':'") || raw.contains("expected ':'") {
        (
            "a field's name is not followed by `:`",
            "write each field as `name: value`, with a space after the colon".to_string(),
        )
    } else if raw.contains("found a tab") || raw.contains("tab character") {
        (
            "a tab is used for indentation",
            "YAML indents with spaces only; replace the tab with spaces".to_string(),
        )
    } else if raw.contains("unclosed bracket") || raw.contains("did not find expected ',' or ']'") {
        (
            "a list that starts with `[` is not closed",
            "end it with `]` on the same line, such as `types: [O, D]`".to_string(),
        )
    } else if raw.contains("did not find expected ',' or '}'") {
        (
            "a set of fields that starts with `{` is not closed",
            "end it with `}` on the same line".to_string(),
        )
    } else if raw.contains("quoted scalar") {
        (
            "a quoted value is not closed",
            "end the value with the same quote mark it starts with, on the same line".to_string(),
        )
    } else if raw.contains("budget") {
        (
            "this file holds more values than Lantern reads from one file (about a million meetings)",
            "split the meetings into several files in content/meetings/".to_string(),
        )
    } else if raw.contains("recursion") || raw.contains("depth") {
        (
            "values are nested deeper than any record needs",
            "check the indentation: a record's fields all start in the same column".to_string(),
        )
    } else {
        return (
            format!("this is not valid YAML ({raw})"),
            Some(format!(
                "check the indentation and quoting around this line; {QUOTE_HINT}"
            )),
        );
    };
    let _ = at;
    (message.to_string(), Some(hint))
}

fn unknown_field(field: &str, expected: &[&str]) -> (String, Option<String>) {
    let hint = match nearest(field, expected.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("known fields are: {}", expected.join(", ")),
    };
    (format!("unknown field `{field}`"), Some(hint))
}

/// The diagnostic for an unknown field found by [`crate::load::unknown_meeting_fields`].
pub(crate) fn unknown_field_diagnostic(
    path: &str,
    key: &Spanned<String>,
    known: &[&str],
) -> Diagnostic {
    let (message, hint) = unknown_field(&key.value, known);
    let mut d = Diagnostic::new(path, Pos::from_saphyr(&key.referenced), message);
    d.hint = hint;
    d
}

/// serde's name for what a field takes, in words (it says `i64` or `struct RawOnline`).
fn wanted(expected: &str) -> String {
    match expected {
        e if e.starts_with("struct ") => "a set of fields".into(),
        "a string" | "string" => "text".into(),
        "a boolean" | "bool" | "boolean" => "true or false".into(),
        e => {
            let name = scalar_name(e);
            if name == e {
                e.to_string()
            } else {
                format!("a {name}")
            }
        }
    }
}

fn scalar_name(ty: &str) -> &str {
    match ty {
        "f64" | "f32" | "floating point" => "number",
        "i64" | "u64" | "i32" | "u32" | "i16" | "u16" | "i8" | "u8" => "whole number",
        "bool" | "boolean" => "true or false",
        other => other,
    }
}

fn type_hint(expected: &str) -> String {
    if expected == "boolean" || expected == "bool" {
        "write true or false".into()
    } else if expected.contains("sequence") || expected.contains("list") {
        "write a list as `[a, b]` or as lines starting with `- `".into()
    } else if expected.contains("string") {
        "put the value in double quotes".into()
    } else if expected.contains("f64") || expected.contains("float") || expected.contains("number")
    {
        "write a plain number such as 39.79901".into()
    } else {
        format!("this field takes a {}", scalar_name(expected))
    }
}

/// serde-saphyr's messages end with " at line L column C"; Lantern prints the position first.
fn strip_location(msg: &str) -> String {
    let msg = msg.lines().next().unwrap_or(msg);
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The top-level keys of a mapping (or of each mapping in a list), with their positions.
///
/// Used to report every unknown field of a record at once instead of stopping at the first.
#[derive(Debug, Default)]
pub(crate) struct KeyScan(pub Vec<Vec<Spanned<String>>>);

impl<'de> Deserialize<'de> for KeyScan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Vec<Spanned<String>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(keys)
            }
        }
        struct OneKeys(Vec<Spanned<String>>);
        impl<'de> Deserialize<'de> for OneKeys {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(Keys).map(OneKeys)
            }
        }
        struct Top;
        impl<'de> Visitor<'de> for Top {
            type Value = KeyScan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping or a list of mappings")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Keys.visit_map(map).map(|k| KeyScan(vec![k]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut all = Vec::new();
                while let Some(OneKeys(k)) = seq.next_element()? {
                    all.push(k);
                }
                Ok(KeyScan(all))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(KeyScan::default())
            }
        }
        d.deserialize_any(Top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::records::RawLocation;

    #[test]
    fn unknown_field_has_position_and_suggestion() {
        let err = parse::<RawLocation>("x.yaml", "name: A\ncitty: B\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml:2:1: unknown field `citty`\n  hint: did you mean `city`?"
        );
    }

    #[test]
    fn wrong_type_is_explained() {
        let err = parse::<RawLocation>("x.yaml", "name: A\nlatitude: north\n").unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 11));
        assert!(err.message.contains("number"), "{}", err.message);
    }

    #[test]
    fn skipped_fields_are_noted_but_spans_are_not_fields() {
        use crate::load::records::MeetingFile;
        let known = "name: A\nday: [monday, friday]\ntime: \"19:00\"\nlocation: x\n";
        let (_, unknown) = parse_noting_unknown::<MeetingFile>("x.yaml", known).unwrap();
        assert!(!unknown, "every field is known");
        let (_, unknown) =
            parse_noting_unknown::<MeetingFile>("x.yaml", &format!("{known}colour: red\n"))
                .unwrap();
        assert!(unknown);
        let list = "- name: B\n  day: monday\n  time: \"08:00\"\n  location: y\n  nots: z\n";
        let (_, unknown) = parse_noting_unknown::<MeetingFile>("x.yaml", list).unwrap();
        assert!(unknown, "a field of a meeting in a list");
    }

    #[test]
    fn escaped_control_characters_are_refused_where_they_stand() {
        for (text, at) in [
            ("name: A\ndescription: \"a\\0b\"\n", "x.yaml:2:14"),
            ("- name: A\n- name: \"\\e[31m\"\n", "x.yaml:2:9"),
            ("types: [O, \"\\x07\"]\n", "x.yaml:1:12"),
        ] {
            let e = parse::<IgnoredAny>("x.yaml", text).unwrap_err();
            assert_eq!(e.location(), at, "{text}");
            assert!(e.message.contains("control character"), "{e}");
        }
        for fine in [
            "notes: \"a\\tb\\nc\"\n",
            "path: 'C:\\0ffice'\n",
            "p: C:\\new\n",
        ] {
            assert!(parse::<IgnoredAny>("x.yaml", fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn scan_finds_keys_of_each_item() {
        let scan: KeyScan = parse("x.yaml", "- a: 1\n  b: 2\n- c: 3\n").unwrap();
        let names: Vec<Vec<&str>> = scan
            .0
            .iter()
            .map(|k| k.iter().map(|s| s.value.as_str()).collect())
            .collect();
        assert_eq!(names, vec![vec!["a", "b"], vec!["c"]]);
        assert_eq!(scan.0[1][0].referenced.line(), 3);
    }

    #[test]
    fn a_list_of_thirty_thousand_meetings_is_read() {
        use crate::load::records::MeetingFile;
        // The parser's default budget stopped at about 22,700 meetings of this size.
        let one = "- name: A\n  day: [monday, friday]\n  time: \"19:00\"\n  types: [O, D]\n  location: x\n";
        let text = one.repeat(30_000);
        match parse::<MeetingFile>("x.yaml", &text) {
            Ok(MeetingFile::Many(all)) => assert_eq!(all.len(), 30_000),
            Ok(MeetingFile::One(_)) => panic!("a list"),
            Err(e) => panic!("{e}"),
        }
    }
}
