//! `sitemap.xml` and `robots.txt`: one sitemap for the whole site, every page of every
//! language, each with its other languages as `hreflang` alternates.

use std::borrow::Cow;

use super::Output;
use super::html::pages;
use crate::model::Site;

/// The sitemap and robots.txt of the site in `editions` (its languages, the default first).
pub(crate) fn render(editions: &[Cow<'_, Site>]) -> Vec<Output> {
    let Some(site) = editions.first() else {
        return Vec::new();
    };
    let cfg = &site.config;
    let several = editions.len() > 1;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if several {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    // The pages HTML rendering writes, from the one list of them (each language has the
    // same pages).
    for p in pages::sitemap_dirs(site) {
        for edition in editions.iter() {
            xml.push_str("  <url><loc>");
            xml.push_str(&escape_xml(&edition.config.url(&p)));
            xml.push_str("</loc>");
            if several {
                // Google's form: every language of the page, itself included, and the
                // default language for visitors whose language the site does not have.
                for other in editions.iter() {
                    xml.push_str("\n    <xhtml:link rel=\"alternate\" hreflang=\"");
                    xml.push_str(&escape_xml(&other.config.language));
                    xml.push_str("\" href=\"");
                    xml.push_str(&escape_xml(&other.config.url(&p)));
                    xml.push_str("\"/>");
                }
                xml.push_str("\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
                xml.push_str(&escape_xml(&cfg.url(&p)));
                xml.push_str("\"/>\n  ");
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        cfg.root_url("sitemap.xml")
    );
    vec![
        Output::text("sitemap.xml", xml),
        Output::text("robots.txt", robots),
    ]
}

fn escape_xml(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
