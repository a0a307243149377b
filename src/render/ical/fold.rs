//! Content-line details of RFC 5545: escaping TEXT values, quoting parameter values, folding
//! lines at 75 octets, and a lint that checks finished feeds for all of it.
//!
//! The `ics` crate folds long lines itself, but its continuation lines can be 76 octets long
//! (the leading space is not counted), so we unfold its output and fold it again.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// The longest physical line, in octets, without the CRLF.
pub(crate) const LIMIT: usize = 75;

/// Drops control characters a TEXT value cannot carry (RFC 5545 allows only HTAB among
/// them); newlines survive and are escaped.
fn strip_controls(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        Cow::Owned(
            s.replace("\r\n", "\n")
                .chars()
                .map(|c| if c == '\r' { '\n' } else { c })
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// A TEXT value: backslash, semicolon, comma and newline escaped.
pub(crate) fn text(s: &str) -> String {
    match strip_controls(s) {
        Cow::Borrowed(b) => ics::escape_text(b).into_owned(),
        Cow::Owned(o) => ics::escape_text(o).into_owned(),
    }
}

/// A URI (or other non-TEXT) value: never escaped, but it must stay on its content line.
pub(crate) fn raw(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// A parameter value: double-quoted when it contains `:`, `;` or `,`. A parameter value cannot
/// hold a double quote or control characters at all, so those are dropped.
pub(crate) fn param(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Unfolds `ics` output and folds every content line again so that no physical line, the
/// continuation lines included, exceeds 75 octets, and no fold splits a UTF-8 character.
pub(crate) fn refold(ics_text: &str) -> String {
    let mut out = String::with_capacity(ics_text.len() + ics_text.len() / 64);
    let mut line = String::with_capacity(256);
    let mut rest = ics_text;
    // Values never contain raw line breaks (TEXT is escaped, others are filtered), so every
    // CRLF followed by a space is a fold the crate inserted.
    while let Some(i) = rest.find('\r') {
        line.push_str(&rest[..i]);
        if rest[i..].starts_with("\r\n") {
            rest = &rest[i + 2..];
            if let Some(after) = rest.strip_prefix(' ') {
                rest = after;
            } else {
                fold_line(&mut out, &line);
                line.clear();
            }
        } else {
            // A lone CR cannot come from our values; drop it rather than emit a bare CR.
            rest = &rest[i + 1..];
        }
    }
    line.push_str(rest);
    if !line.is_empty() {
        fold_line(&mut out, &line);
    }
    out
}

/// Appends one content line, folded, with its CRLF.
pub(crate) fn fold_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut budget = LIMIT;
    loop {
        if rest.len() <= budget {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = budget;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        budget = LIMIT - 1;
    }
}

/// Unfolds a feed into its content lines (for the lint and tests).
pub fn unfold(feed: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in feed.split_terminator("\r\n") {
        match physical.strip_prefix([' ', '\t']) {
            Some(cont) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(cont);
                }
            }
            _ => lines.push(physical.to_string()),
        }
    }
    lines
}

/// A content line split into name, parameters (key, value) and value.
pub(crate) type Parts<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

/// Splits a content line into its parts, honouring quoted parameter values.
pub(crate) fn split_line(line: &str) -> Option<Parts<'_>> {
    let mut in_quotes = false;
    let mut params = Vec::new();
    let mut name_end = None;
    let mut seg_start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' | ':' if !in_quotes => {
                let seg = &line[seg_start..i];
                if name_end.is_none() {
                    name_end = Some(i);
                } else {
                    let (k, v) = seg.split_once('=')?;
                    params.push((k, v));
                }
                seg_start = i + 1;
                if c == ':' {
                    let name = &line[..name_end?];
                    return Some((name, params, &line[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// Properties whose values are TEXT (and so must be escaped).
const TEXT_PROPS: &[&str] = &[
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "CATEGORIES",
    "NAME",
    "X-WR-CALNAME",
    "X-WR-CALDESC",
    "TZNAME",
];

/// Everything wrong with a feed's syntax: line ends, line lengths, escaping, quoting, TZIDs
/// without a VTIMEZONE and repeated UIDs. An empty list means the feed passes.
pub fn lint(feed: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !feed.ends_with("\r\n") {
        problems.push("the feed does not end with CRLF".to_string());
    }
    let bytes = feed.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') {
            problems.push(format!("bare LF at byte {i}"));
        }
        if *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            problems.push(format!("bare CR at byte {i}"));
        }
    }
    for (n, physical) in feed.split_terminator("\r\n").enumerate() {
        if physical.len() > LIMIT {
            problems.push(format!("line {} is {} octets long", n + 1, physical.len()));
        }
    }
    let mut tzids = BTreeSet::new();
    let mut vtimezones = BTreeSet::new();
    let mut uids = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    let mut current_vtz = false;
    for line in unfold(feed) {
        let Some((name, params, value)) = split_line(&line) else {
            problems.push(format!("not a content line: {line:?}"));
            continue;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            problems.push(format!("bad property name {name:?}"));
        }
        for (k, v) in &params {
            let quoted = v.len() >= 2 && v.starts_with('"') && v.ends_with('"');
            let inner = if quoted { &v[1..v.len() - 1] } else { v };
            if inner.contains('"') {
                problems.push(format!("{name}: parameter {k} contains a quote"));
            }
            if !quoted && inner.contains([':', ';', ',']) {
                problems.push(format!("{name}: parameter {k} must be quoted"));
            }
            if *k == "TZID" {
                tzids.insert(inner.to_string());
            }
        }
        match name {
            "BEGIN" => {
                current_vtz = value == "VTIMEZONE";
                stack.push(value.to_string());
            }
            "END" if stack.pop().as_deref() != Some(value) => {
                problems.push(format!("END:{value} does not close the open component"));
            }
            "TZID" if current_vtz => {
                vtimezones.insert(value.to_string());
                current_vtz = false;
            }
            "UID" if !uids.insert(value.to_string()) => {
                problems.push(format!("UID {value} is repeated"));
            }
            _ => {}
        }
        if TEXT_PROPS.contains(&name) {
            // Every backslash must start a valid escape; `;` and `,` only appear escaped
            // (CATEGORIES separates its values with bare commas).
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some('\\' | ';' | ',' | 'n' | 'N') => {}
                        other => problems.push(format!("{name}: bad escape \\{other:?}")),
                    },
                    ';' => problems.push(format!("{name}: unescaped semicolon")),
                    ',' if name != "CATEGORIES" => {
                        problems.push(format!("{name}: unescaped comma"))
                    }
                    _ => {}
                }
            }
        }
    }
    if !stack.is_empty() {
        problems.push(format!("components left open: {stack:?}"));
    }
    for t in tzids.difference(&vtimezones) {
        problems.push(format!("TZID {t} has no VTIMEZONE"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "老虎🦁é".repeat(40));
        let mut out = String::new();
        fold_line(&mut out, &line);
        for physical in out.split_terminator("\r\n") {
            assert!(physical.len() <= LIMIT, "{} octets", physical.len());
        }
        assert_eq!(unfold(&out), [line]);
        // A continuation line uses its full 75 octets: the space plus 74.
        let mut out = String::new();
        fold_line(&mut out, &"x".repeat(75 + 74 + 1));
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(
            lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
            [75, 75, 2]
        );
    }

    #[test]
    fn refolds_the_crates_long_continuation_lines() {
        let mut e = ics::Event::new("u", "20260101T000000Z");
        e.push(ics::properties::Description::new(text(
            &"a, b; c\\".repeat(60),
        )));
        let mut cal = ics::ICalendar::new("2.0", "-//x//y//EN");
        cal.add_event(e);
        let folded = refold(&cal.to_string());
        assert!(lint(&folded).is_empty(), "{:?}", lint(&folded));
        assert!(
            cal.to_string()
                .split_terminator("\r\n")
                .any(|l| l.len() > LIMIT),
            "the crate's output is what we fix"
        );
    }

    #[test]
    fn escapes_and_quotes() {
        assert_eq!(text("a,b;c\\d\ne\r\nf\u{7}"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(param("Example: \"x\""), "\"Example: x\"");
        assert_eq!(param("America/New_York"), "America/New_York");
        assert_eq!(raw("https://x/\r\nBEGIN:VEVENT"), "https://x/BEGIN:VEVENT");
    }

    #[test]
    fn lint_finds_problems() {
        let bad = "BEGIN:VCALENDAR\r\nSUMMARY:a;b\r\nDTSTART;TZID=X/Y:20260101T000000\r\nUID:1\r\nUID:1\r\nX-A:b\nc\r\nEND:VCALENDAR\r\n";
        let p = lint(bad).join("\n");
        assert!(p.contains("unescaped semicolon"), "{p}");
        assert!(p.contains("bare LF"), "{p}");
        assert!(p.contains("TZID X/Y has no VTIMEZONE"), "{p}");
        assert!(p.contains("UID 1 is repeated"), "{p}");
    }
}
