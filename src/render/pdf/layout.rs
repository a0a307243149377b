//! Sets a [`Schedule`] on pages with krilla: a heading block and the legend on the first page,
//! then the days' entries flowing down columns, a page number at the foot of every page.
//!
//! Every line drawn is also a node of the tag tree (headings and paragraphs, in reading order),
//! so a screen reader reads the schedule day by day rather than in the columns' drawing order.

use std::num::NonZeroU16;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, ContentTag, Node, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, TextDirection};

use super::Schedule;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const MARGIN: f32 = 36.0;
const GUTTER: f32 = 14.0;
const BODY: f32 = 7.5;

/// The two faces and their metrics for measuring lines.
struct Faces {
    regular: Font,
    bold: Font,
    regular_metrics: ttf_parser::Face<'static>,
    bold_metrics: ttf_parser::Face<'static>,
}

impl Faces {
    fn load() -> Option<Self> {
        Some(Self {
            regular: Font::new(REGULAR.into(), 0)?,
            bold: Font::new(BOLD.into(), 0)?,
            regular_metrics: ttf_parser::Face::parse(REGULAR, 0).ok()?,
            bold_metrics: ttf_parser::Face::parse(BOLD, 0).ok()?,
        })
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold {
            &self.bold_metrics
        } else {
            &self.regular_metrics
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(u32::from(face.units_per_em()) / 2, u32::from)
            })
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }

    /// Breaks `text` into lines no wider than `width`, between words where it can (a word
    /// wider than the column, such as a long join address, is broken between characters).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size, bold) > width {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// What a line is in the document's structure.
#[derive(Clone, Copy)]
enum Role {
    Title,
    Heading,
    Text,
}

/// One line to draw: its words, size, weight, colour (grey or black) and role.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    grey: bool,
    role: Role,
    /// Space above the line, dropped at the top of a column.
    before: f32,
}

impl Line {
    fn height(&self) -> f32 {
        self.size * 1.3
    }
}

/// Lays out and writes the PDF; `None` if the embedded fonts cannot be read (they always can:
/// they are compiled in) or krilla refuses the document.
pub(crate) fn typeset(schedule: &Schedule) -> Option<Vec<u8>> {
    let faces = Faces::load()?;
    let (width, height) = if schedule.letter {
        (612.0, 792.0)
    } else {
        (595.28, 841.89)
    };
    let columns = 3;
    let column = (width - 2.0 * MARGIN - GUTTER * (columns as f32 - 1.0)) / columns as f32;
    let full = width - 2.0 * MARGIN;

    // The heading block, across the page.
    let mut head = vec![Line {
        text: schedule.title.clone(),
        size: 16.0,
        bold: true,
        grey: false,
        role: Role::Title,
        before: 0.0,
    }];
    if let Some(sub) = &schedule.subtitle {
        head.push(Line {
            text: sub.clone(),
            size: 12.0,
            bold: true,
            grey: false,
            role: Role::Heading,
            before: 2.0,
        });
    }
    let small = |text: &str, before: f32, grey: bool, head: &mut Vec<Line>| {
        for l in faces.wrap(text, BODY, false, full) {
            head.push(Line {
                text: l,
                size: BODY,
                bold: false,
                grey,
                role: Role::Text,
                before,
            });
        }
    };
    if let Some(as_of) = &schedule.as_of {
        small(as_of, 4.0, false, &mut head);
    }
    let legend = schedule
        .legend
        .iter()
        .map(|(c, n)| format!("{c} = {n}"))
        .collect::<Vec<_>>()
        .join(" · ");
    small(&legend, 4.0, true, &mut head);
    small(&schedule.note, 2.0, true, &mut head);

    // The entries, down the columns: each entry is one block that is never split between
    // columns, and a day's heading is in the block of its first entry, so it is never left
    // alone at the foot of a column.
    let mut body: Vec<Vec<Line>> = Vec::new();
    for (day, entries) in &schedule.days {
        for (n, e) in entries.iter().enumerate() {
            let mut block = Vec::new();
            if n == 0 {
                block.push(Line {
                    text: day.clone(),
                    size: 10.0,
                    bold: true,
                    grey: false,
                    role: Role::Heading,
                    before: 8.0,
                });
            }
            let first = format!("{}  {}", e.time, e.name);
            for (i, l) in faces
                .wrap(&first, BODY, true, column)
                .into_iter()
                .enumerate()
            {
                block.push(Line {
                    text: l,
                    size: BODY,
                    bold: true,
                    grey: false,
                    role: Role::Text,
                    before: if i == 0 { 4.0 } else { 0.0 },
                });
            }
            let mut rest = e.lines.clone();
            if !e.types.is_empty() {
                rest.push(e.types.clone());
            }
            for text in rest {
                for l in faces.wrap(&text, BODY, false, column) {
                    block.push(Line {
                        text: l,
                        size: BODY,
                        bold: false,
                        grey: false,
                        role: Role::Text,
                        before: 0.0,
                    });
                }
            }
            body.push(block);
        }
    }

    let mut document = Document::new();
    let mut tree = TagTree::new().with_lang(Some(schedule.language.clone()));
    let top = MARGIN;
    let bottom = height - MARGIN - 14.0;
    let mut lines = body.into_iter().peekable();
    let mut page_number = 0;
    let mut head = Some(head);
    while page_number == 0 || lines.peek().is_some() {
        page_number += 1;
        let settings = PageSettings::from_wh(width, height)?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut y = top;
        if let Some(head) = head.take() {
            for line in head {
                y += line.before;
                y += line.height();
                draw(&mut surface, &faces, &line, MARGIN, y, &mut tree);
            }
            y += 6.0;
        }
        let columns_top = y;
        for c in 0..columns {
            let x = MARGIN + c as f32 * (column + GUTTER);
            let mut y = columns_top;
            while let Some(block) = lines.peek() {
                let mut needed = 0.0;
                for (i, line) in block.iter().enumerate() {
                    let before = if i == 0 && y == columns_top {
                        0.0
                    } else {
                        line.before
                    };
                    needed += before + line.height();
                }
                // A block taller than a whole column still goes in, at the top of one.
                if y + needed > bottom && y > columns_top {
                    break;
                }
                let Some(block) = lines.next() else { break };
                for line in block {
                    let before = if y == columns_top { 0.0 } else { line.before };
                    y += before + line.height();
                    draw(&mut surface, &faces, &line, x, y, &mut tree);
                }
            }
        }
        // The page number is an artifact: it is not part of what is read aloud.
        surface.start_tagged(ContentTag::Artifact(ArtifactType::Footer));
        let label = format!("{} {page_number}", schedule.page_word);
        let w = faces.width(&label, BODY, false);
        surface.draw_text(
            Point::from_xy((width - w) / 2.0, height - MARGIN),
            faces.regular.clone(),
            BODY,
            &label,
            false,
            TextDirection::Auto,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
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

fn draw(surface: &mut Surface, faces: &Faces, line: &Line, x: f32, y: f32, tree: &mut TagTree) {
    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
    let grey = if line.grey { 85 } else { 0 };
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(grey, grey, grey).into(),
        ..Default::default()
    }));
    let font = if line.bold {
        faces.bold.clone()
    } else {
        faces.regular.clone()
    };
    surface.draw_text(
        Point::from_xy(x, y),
        font,
        line.size,
        &line.text,
        false,
        TextDirection::Auto,
    );
    surface.end_tagged();
    let group: Node = match line.role {
        Role::Title => TagGroup::with_children(
            Tag::Hn(NonZeroU16::MIN, Some(line.text.clone())),
            vec![id.into()],
        )
        .into(),
        Role::Heading => TagGroup::with_children(
            Tag::Hn(NonZeroU16::MIN.saturating_add(1), Some(line.text.clone())),
            vec![id.into()],
        )
        .into(),
        Role::Text => TagGroup::with_children(Tag::P, vec![id.into()]).into(),
    };
    tree.push(group);
}
