//! Puts the logical pages of [`super::layout`] on paper with krilla and writes the PDF.
//!
//! Every line drawn is also a node of the tag tree (headings and paragraphs), pushed in the
//! logical pages' reading order, so a screen reader reads the schedule day by day rather than
//! in the columns' drawing order.

use std::num::NonZeroU16;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, ContentTag, Node, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, KrillaGlyph};

use super::Schedule;
use super::layout::{Geometry, Line, Page, Pages, Placed, Role};
use super::shape::{BOLD, REGULAR};

/// The two faces as krilla embeds them.
struct Fonts {
    regular: Font,
    bold: Font,
}

/// Lays out and writes the PDF; `None` if the embedded fonts cannot be read (they always can:
/// they are compiled in) or krilla refuses the document.
pub(crate) fn typeset(schedule: &Schedule) -> Option<Vec<u8>> {
    let fonts = Fonts {
        regular: Font::new(REGULAR.into(), 0)?,
        bold: Font::new(BOLD.into(), 0)?,
    };
    let geometry = Geometry::flat(schedule.letter);
    let mut document = Document::new();
    let mut tree = TagTree::new().with_lang(Some(schedule.language.clone()));
    let mut glyphs = Vec::new();
    for page in Pages::new(schedule, geometry)? {
        let settings = PageSettings::from_wh(geometry.width, geometry.height)?;
        let mut sheet = document.start_page_with(settings);
        let mut surface = sheet.surface();
        let nodes = draw_page(&mut surface, &fonts, &page, 0.0, &mut glyphs);
        surface.finish();
        sheet.finish();
        for node in nodes {
            tree.push(node);
        }
    }
    document.set_metadata(
        Metadata::new()
            .title(match &schedule.subtitle {
                Some(sub) => format!("{} – {sub}", schedule.title),
                None => schedule.title.clone(),
            })
            .language(schedule.language.clone()),
    );
    document.set_tag_tree(tree);
    document.finish().ok()
}

/// Draws one logical page `dx` points from the sheet's left edge; gives its tag-tree nodes
/// in reading order. `glyphs` is a buffer reused from line to line.
fn draw_page(
    surface: &mut Surface,
    fonts: &Fonts,
    page: &Page,
    dx: f32,
    glyphs: &mut Vec<KrillaGlyph>,
) -> Vec<Node> {
    let mut nodes = Vec::new();
    for item in &page.items {
        match item {
            Placed::Text { line, x, y } => {
                if let Some(node) = draw_line(surface, fonts, line, x + dx, *y, glyphs) {
                    nodes.push(node);
                }
            }
        }
    }
    nodes
}

fn draw_line(
    surface: &mut Surface,
    fonts: &Fonts,
    line: &Line,
    x: f32,
    y: f32,
    glyphs: &mut Vec<KrillaGlyph>,
) -> Option<Node> {
    let tag = match line.role {
        Role::Artifact => ContentTag::Artifact(ArtifactType::Footer),
        _ => ContentTag::Span(SpanTag::empty()),
    };
    let id = surface.start_tagged(tag);
    let grey = if line.grey { 85 } else { 0 };
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(grey, grey, grey).into(),
        ..Default::default()
    }));
    let font = if line.bold {
        fonts.bold.clone()
    } else {
        fonts.regular.clone()
    };
    glyphs.clear();
    glyphs.extend(line.set.glyphs.iter().map(|g| g.krilla()));
    surface.draw_glyphs(
        Point::from_xy(x, y),
        glyphs,
        font,
        &line.set.text,
        line.size,
        false,
    );
    surface.end_tagged();
    let text = || Some(line.set.text.clone());
    Some(match line.role {
        Role::Title => {
            TagGroup::with_children(Tag::Hn(NonZeroU16::MIN, text()), vec![id.into()]).into()
        }
        Role::Heading => TagGroup::with_children(
            Tag::Hn(NonZeroU16::MIN.saturating_add(1), text()),
            vec![id.into()],
        )
        .into(),
        Role::Text => TagGroup::with_children(Tag::P, vec![id.into()]).into(),
        Role::Artifact => return None,
    })
}
