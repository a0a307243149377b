//! Markdown pages: splitting the YAML front matter from the body.

use crate::diagnostics::{Diagnostic, Pos};
use crate::load::records::RawFrontMatter;
use crate::load::yaml;

/// Splits `text` into front matter and body, and parses the front matter.
pub(crate) fn parse(path: &str, text: &str) -> Result<(RawFrontMatter, String), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Err(
            Diagnostic::new(path, Pos::new(1, 1), "a page must start with front matter").with_hint(
                "begin the file with a line `---`, then `title: ...`, then another `---`",
            ),
        );
    };
    let end = rest
        .match_indices("\n---")
        .find(|(i, _)| {
            let after = &rest[i + 4..];
            after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")
        })
        .map(|(i, _)| i);
    let Some(end) = end else {
        return Err(
            Diagnostic::new(path, Pos::new(1, 1), "the front matter is not closed")
                .with_hint("add a line `---` after the front matter fields"),
        );
    };
    let front_text = &rest[..=end];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']).to_string();
    let front = yaml::parse::<RawFrontMatter>(path, front_text).map_err(|mut d| {
        // Positions are counted from the line after the opening `---`.
        if d.pos.line > 0 {
            d.pos.line += 1;
        }
        d
    })?;
    Ok((front, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (front, body) = parse("p.md", "---\ntitle: About\nweight: 2\n---\n\n# Hi\n").unwrap();
        assert_eq!(front.title.value, "About");
        assert_eq!(front.weight, Some(2));
        assert_eq!(body, "# Hi\n");
    }

    #[test]
    fn broken_front_matter_points_at_the_file_line() {
        let err = parse("p.md", "---\ntitle: About\nwieght: 2\n---\nbody").unwrap_err();
        assert_eq!(err.pos, Pos::new(3, 1));
        assert_eq!(err.message, "unknown field `wieght`");
    }

    #[test]
    fn missing_front_matter() {
        assert!(parse("p.md", "# Just text").is_err());
        assert!(parse("p.md", "---\ntitle: x\n").is_err());
    }
}
