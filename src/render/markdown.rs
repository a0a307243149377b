//! Markdown to HTML. Meeting notes come from records, so raw HTML in them is shown as text and
//! only safe link schemes survive; pages are the site's own and may contain HTML.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown written by the site's editors for its pages, and tells whether the text
/// opens with its own `#` heading. A page has one `h1`: when the text starts with one, that is
/// the page's heading (the template leaves its own out); any later `#` heading becomes an
/// `h2`.
pub(crate) fn page(src: &str) -> (String, bool) {
    let mut out = String::with_capacity(src.len() * 3 / 2);
    let mut first = true;
    let mut own_h1 = false;
    // Headings do not nest, so the open one decides how its end is written.
    let mut demoted = false;
    let events = Parser::new_ext(src, options()).map(|e| {
        let at_start = std::mem::replace(&mut first, false);
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => {
                own_h1 |= at_start;
                demoted = !at_start;
                Event::Start(Tag::Heading {
                    level: if at_start {
                        HeadingLevel::H1
                    } else {
                        HeadingLevel::H2
                    },
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if demoted => {
                demoted = false;
                Event::End(TagEnd::Heading(HeadingLevel::H2))
            }
            other => other,
        }
    });
    html::push_html(&mut out, events);
    (out, own_h1)
}

/// Renders Markdown from a record: raw HTML is escaped, never passed through, and links with
/// a script scheme are dropped.
pub(crate) fn record(src: &str) -> String {
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
pub(crate) fn plain(src: &str) -> String {
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

    #[test]
    fn a_page_has_one_h1() {
        let (html, own) = page("# Welcome\n\nText.\n\n# Later\n");
        assert!(own);
        assert_eq!(html, "<h1>Welcome</h1>\n<p>Text.</p>\n<h2>Later</h2>\n");
        let (html, own) = page("Text first.\n\n# Heading\n");
        assert!(!own, "the template's title is the h1");
        assert_eq!(html, "<p>Text first.</p>\n<h2>Heading</h2>\n");
    }
}
