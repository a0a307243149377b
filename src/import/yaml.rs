//! The one YAML writer for records, used by `lantern import` and `lantern new`: readable and
//! diff-friendly, one field a line, plain scalars where YAML cannot misread them and double
//! quotes everywhere else. `import` reads every written file back through Lantern's own
//! loader; `new` validates its record before writing it.

use std::fmt::Write;

/// A scalar for flow context (`[a, b]`) or a value, plain when that is safe and
/// unambiguous, else double-quoted.
pub(crate) fn scalar(s: &str) -> String {
    if is_plain_safe(s, false) || is_plain_url(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A scalar as a block mapping value (`key: value`), where commas and some colons are fine.
pub(crate) fn block_scalar(s: &str) -> String {
    if is_plain_safe(s, true) || is_plain_url(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Whether `s` reads back as the same string when written without quotes (in flow context
/// too unless `block`), and is never taken for a number, date, time, boolean or null.
fn is_plain_safe(s: &str, block: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    // "8 River Rd" is text; "8", "1e3", "12x12" or "2026-01-01" might not be.
    let digit_ok = first.is_ascii_digit()
        && s.contains(' ')
        && s.chars().any(char::is_alphabetic)
        && !s.contains(':');
    if !(first.is_alphabetic() || digit_ok) || s.ends_with(' ') {
        return false;
    }
    const WORDS: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return false;
    }
    let mut prev_space = false;
    let chars: Vec<char> = s.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        // Characters outside ASCII mean nothing to YAML, except the ones it treats as breaks
        // or spaces.
        let other_text = !ch.is_ascii()
            && !ch.is_whitespace()
            && !ch.is_control()
            && !matches!(
                ch,
                '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
            );
        let ok = ch.is_alphanumeric()
            || other_text
            || matches!(ch, ' ' | '.' | '\'' | '-' | '/' | '(' | ')' | '_' | '@' | '+' | '&')
            || (block && matches!(ch, ',' | ';' | '!' | '?' | '"' | '%' | '='))
            // `a:b` is text, `a: b` and a final `:` are a mapping.
            || (block && ch == ':' && next.is_some_and(|n| n != ' '))
            || (block && ch == '#' && !prev_space);
        // ` #` starts a comment; two spaces are kept, but keep them visible in quotes.
        if !ok || (ch == ' ' && prev_space) || ch.is_control() {
            return false;
        }
        prev_space = ch == ' ';
    }
    true
}

/// A web address without spaces or YAML flow characters reads back as itself unquoted.
fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.ends_with(':')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '.'
                        | '_'
                        | '~'
                        | ':'
                        | '/'
                        | '?'
                        | '@'
                        | '!'
                        | '$'
                        | '&'
                        | '\''
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ';'
                        | '='
                        | '%'
                )
        })
}

/// A YAML double-quoted scalar. Every character outside YAML's printable set, and the ones
/// YAML treats as line breaks, is escaped.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || ('\u{80}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow list `[a, b]`.
pub(crate) fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Writes records field by field.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: String,
}

impl Writer {
    /// `key: value` at `indent` spaces; multi-line text becomes a literal block when YAML keeps
    /// it exactly, else a quoted string.
    pub(crate) fn text(&mut self, indent: usize, key: &str, value: &str) {
        let pad = " ".repeat(indent);
        if value.contains('\n') && literal_block_safe(value) {
            let _ = writeln!(self.out, "{pad}{key}: |-");
            for line in value.split('\n') {
                if line.is_empty() {
                    self.out.push('\n');
                } else {
                    let _ = writeln!(self.out, "{pad}  {line}");
                }
            }
        } else {
            let _ = writeln!(self.out, "{pad}{key}: {}", block_scalar(value));
        }
    }

    /// `key: value` when there is a value.
    pub(crate) fn opt(&mut self, indent: usize, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.text(indent, key, v);
        }
    }

    /// A value written as it is (numbers, lists, booleans already formatted).
    pub(crate) fn raw(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(self.out, "{}{key}: {value}", " ".repeat(indent));
    }

    /// `key: value` on one line whatever the value holds (a line break is written `\n`, in
    /// quotes): for a value a person typed on the command line, shown as typed.
    pub(crate) fn line(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(
            self.out,
            "{}{key}: {}",
            " ".repeat(indent),
            block_scalar(value)
        );
    }

    /// A key whose value follows on the next lines (a nested mapping).
    pub(crate) fn key(&mut self, indent: usize, key: &str) {
        let _ = writeln!(self.out, "{}{key}:", " ".repeat(indent));
    }

    /// The `- ` of a list item at `indent` spaces: the item's first field follows at indent 0,
    /// its other fields at `indent + 2`.
    pub(crate) fn item(&mut self, indent: usize) {
        let _ = write!(self.out, "{}- ", " ".repeat(indent));
    }

    /// A comment, `# ` before each line of `text`, at `indent` spaces.
    pub(crate) fn comment(&mut self, indent: usize, text: &str) {
        for line in text.split('\n') {
            let _ = writeln!(self.out, "{}# {line}", " ".repeat(indent));
        }
    }

    /// An empty line, between groups of fields.
    pub(crate) fn blank(&mut self) {
        self.out.push('\n');
    }
}

/// A mapping (as the writer wrote it) as an item of a block list: `- ` before its first line
/// and two spaces before the others; empty lines (in literal blocks) stay empty.
pub(crate) fn list_item(mapping: &str) -> String {
    let mut out = String::with_capacity(mapping.len() + 64);
    for (i, line) in mapping.lines().enumerate() {
        let lead = match i {
            0 => "- ",
            _ if line.is_empty() => "",
            _ => "  ",
        };
        out.push_str(lead);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A literal block (`|-`) keeps text exactly when no line starts with a space (the first line
/// would set the indentation), nothing trails at the end, and every character is printable.
fn literal_block_safe(s: &str) -> bool {
    !s.starts_with([' ', '\t', '\n'])
        && !s.ends_with([' ', '\t', '\n'])
        && s.split('\n').all(|l| !l.starts_with([' ', '\t']))
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const TRICKY: &[&str] = &[
        "Plain Name",
        "yes",
        "No",
        "null",
        "~",
        "19:00",
        "2026-01-01",
        "123",
        "1e3",
        "0x10",
        "-dash",
        "- dash",
        "a: b",
        "a #b",
        "#comment",
        "[list]",
        "{map}",
        "*alias",
        "&anchor",
        "!tag",
        "|pipe",
        ">fold",
        "'single'",
        "\"double\"",
        "%percent",
        "@at",
        "`tick",
        "trailing ",
        " leading",
        "two  spaces",
        "comma, inside",
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "para\n\nbreak",
        "ends\n",
        "\nstarts",
        "  indented\nlines",
        "Grupo En Línea Amanecer",
        "東京ミーティング",
        "emoji 🙂 ok",
        "nel\u{85}char",
        "ls\u{2028}char",
        "del\u{7f}char",
        "bell\u{7}char",
        "bom\u{feff}",
        "St. Mary's (hall) & annex / rear",
        "https://meet.example.org/j/1?pwd=a;b&c=d",
        "https://x.org/a,b",
        "https://x.org/#frag",
        "https:",
        "6:30 am, then; more! ok? \"q\" 100% a=b",
        "a:",
        "a: b, c",
        "x #y",
        "x#y",
        "12 Steps",
        "8 River Rd",
        "1 2",
        "Coffee is on from 6:30 am.",
        "Hora de Vivir – Señor “quoted” ¿qué?",
        "nbsp\u{a0}inside",
        "ideographic\u{3000}space",
        "",
    ];

    fn read_back(yaml: &str) -> BTreeMap<String, String> {
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    #[test]
    fn every_tricky_string_reads_back_exactly() {
        for s in TRICKY {
            let mut w = Writer::default();
            w.text(0, "value", s);
            let back = read_back(&w.out);
            assert_eq!(back.get("value").map(String::as_str), Some(*s), "{}", w.out);
        }
    }

    #[test]
    fn lists_read_back_exactly() {
        let items: Vec<String> = TRICKY
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect();
        let yaml = format!("value: {}\n", list(&items));
        let back: BTreeMap<String, Vec<String>> =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(back["value"], items);
    }

    #[test]
    fn readable_output() {
        assert_eq!(scalar("Monday Night Group"), "Monday Night Group");
        assert_eq!(scalar("19:00"), "\"19:00\"");
        let mut w = Writer::default();
        w.text(0, "notes", "Line one\nLine two");
        assert_eq!(w.out, "notes: |-\n  Line one\n  Line two\n");
    }

    /// Records in one file: every field of each item, literal blocks too, reads back.
    #[test]
    fn list_items_read_back_with_their_blocks() {
        let record = |name: &str, notes: &str| {
            let mut w = Writer::default();
            w.text(0, "name", name);
            w.text(0, "notes", notes);
            w.key(0, "online");
            w.text(2, "url", "https://x.org/j/1");
            w.out
        };
        let text = [
            list_item(&record("Two\nLines", "One\n\nTwo")),
            list_item(&record("Plain", "notes: #1")),
        ]
        .join("\n");
        let back: Vec<BTreeMap<String, serde_json::Value>> =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back.len(), 2, "{text}");
        assert_eq!(back[0]["name"], "Two\nLines", "{text}");
        assert_eq!(back[0]["notes"], "One\n\nTwo", "{text}");
        assert_eq!(back[1]["notes"], "notes: #1", "{text}");
        assert_eq!(back[1]["online"]["url"], "https://x.org/j/1", "{text}");
    }

    #[test]
    fn comments_and_one_line_values() {
        let mut w = Writer::default();
        w.comment(0, "First\nsecond: \"x\"");
        w.blank();
        w.line(0, "name", "Two\nLines");
        w.key(0, "online");
        w.comment(2, "url: https://x.org");
        assert_eq!(
            w.out,
            "# First\n# second: \"x\"\n\nname: \"Two\\nLines\"\nonline:\n  # url: https://x.org\n"
        );
    }
}
