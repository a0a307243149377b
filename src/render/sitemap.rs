//! `sitemap.xml` and `robots.txt`.

use super::{Output, urls};
use crate::model::Site;
use crate::model::schedule::WEEK;

pub(crate) fn render(site: &Site) -> Vec<Output> {
    let cfg = &site.config;
    let mut paths: Vec<String> = vec![
        String::new(),
        "days/".into(),
        "regions/".into(),
        "locations/".into(),
        "types/".into(),
        "find/".into(),
    ];
    paths.extend(site.meetings.iter().map(|m| urls::meeting(&m.slug)));
    paths.extend(WEEK.iter().map(|d| urls::day(*d)));
    paths.extend(site.regions.iter().map(|r| urls::region(&r.path)));
    paths.extend(site.places().map(|(_, l)| urls::location(&l.slug)));
    paths.extend(
        site.used_types()
            .into_iter()
            .map(|c| urls::type_page(&site.types.get(c).map_or(c.to_string(), |t| t.slug.clone()))),
    );
    paths.extend(site.pages.iter().map(|p| urls::page(&p.path)));
    paths.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&cfg.url(&p)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        cfg.url("sitemap.xml")
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
