//! Markdown to HTML. Meeting notes come from records, so raw HTML in them is shown as text and
//! only safe link schemes survive; pages are the site's own and may contain HTML.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders Markdown written by the site's editors for its pages.
pub fn page(src: &str) -> String {
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(src, options()));
    out
}

/// Renders Markdown from a record: raw HTML is escaped, never passed through, and links with
/// a script scheme are dropped.
pub fn record(src: &str) -> String {
    let events = Parser::new_ext(src, options()).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        // Images become plain links: a page never loads anything from another host.
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(pulldown_cmark::TagEnd::Image) => Event::End(pulldown_cmark::TagEnd::Link),
        other => other,
    });
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Plain text of a Markdown snippet, for feeds and descriptions.
pub fn plain(src: &str) -> String {
    let mut out = String::new();
    for e in Parser::new_ext(src, options()) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                pulldown_cmark::TagEnd::Paragraph
                | pulldown_cmark::TagEnd::Item
                | pulldown_cmark::TagEnd::Heading(_),
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_ok = match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains('/') => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    };
    if scheme_ok {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_html_is_escaped() {
        let out = record("Hi <script>alert(1)</script> <b>x</b>");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn record_links_are_filtered() {
        let out =
            record("[a](javascript:alert(1)) [b](https://example.org) ![c](data:text/html,x)");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("href=\"https://example.org\""), "{out}");
    }

    #[test]
    fn plain_text() {
        assert_eq!(
            plain("**Bold** and [link](https://x.org)\n\n- one\n- two"),
            "Bold and link\none\ntwo"
        );
    }
}
