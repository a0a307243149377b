//! Shaping and line breaking for the printed schedules: each paragraph (a meeting's name line,
//! its address, the legend) is shaped once with rustybuzz, and its lines are broken on the
//! shaped advances, so what is measured is exactly what is drawn.
//!
//! krilla's own `Surface::draw_text` parses the font and builds a shaping plan on every call;
//! with tens of thousands of lines per schedule that was most of the time the PDFs took. Here
//! the faces are parsed once per schedule and a plan is made once per face, direction, script
//! and language, then reused for every paragraph.

use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use rustybuzz::{Direction, Language, Script, ShapePlan, UnicodeBuffer};

pub(crate) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// One shaped glyph of a line, kept small (a whole-site schedule holds a page of them at a
/// time, a booklet all of its pages): advances and offsets in ems, its characters as a byte
/// range of the line's own text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Glyph {
    id: u32,
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    text: Range<u32>,
}

impl Glyph {
    /// The glyph as krilla draws it; its text range is what makes the PDF's text extractable.
    pub(crate) fn krilla(&self) -> KrillaGlyph {
        KrillaGlyph::new(
            GlyphId::new(self.id),
            self.advance,
            self.x_offset,
            self.y_offset,
            0.0,
            self.text.start as usize..self.text.end as usize,
            None,
        )
    }
}

/// One line of a broken paragraph: its text, its glyphs in drawing order and its width in
/// points at the size it was set in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SetLine {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) width: f32,
}

/// A parsed face with the shaping plans made for it so far.
struct Face {
    face: rustybuzz::Face<'static>,
    units_per_em: f32,
    plans: Vec<(Direction, Script, Option<Language>, ShapePlan)>,
}

impl Face {
    fn parse(data: &'static [u8]) -> Option<Self> {
        let face = rustybuzz::Face::from_slice(data, 0)?;
        let units_per_em = f32::from(u16::try_from(face.units_per_em()).ok()?);
        Some(Self {
            face,
            units_per_em,
            plans: Vec::new(),
        })
    }

    /// The plan for the buffer's direction, script and language, made the first time they
    /// are seen (a schedule in one language needs one or two).
    fn plan(&mut self, buffer: &UnicodeBuffer) -> usize {
        let (direction, script, language) =
            (buffer.direction(), buffer.script(), buffer.language());
        if let Some(i) = self
            .plans
            .iter()
            .position(|(d, s, l, _)| *d == direction && *s == script && *l == language)
        {
            return i;
        }
        let plan = ShapePlan::new(&self.face, direction, Some(script), language.as_ref(), &[]);
        self.plans.push((direction, script, language, plan));
        self.plans.len() - 1
    }
}

/// One cluster of a shaped paragraph, in reading order: the smallest piece a line is broken
/// between.
struct Cluster {
    /// Byte range in the paragraph's text (always on character boundaries: it comes from the
    /// shaper's cluster values, which are the byte offsets where characters start).
    text: Range<usize>,
    /// Range in the shaped glyphs.
    glyphs: Range<usize>,
    advance: f32,
    space: bool,
}

/// The two faces of the schedules, parsed once, and a reusable shaping buffer.
pub(crate) struct Shaper {
    regular: Face,
    bold: Face,
    buffer: Option<UnicodeBuffer>,
}

impl Shaper {
    /// `None` only if the compiled-in fonts cannot be parsed.
    pub(crate) fn new() -> Option<Self> {
        Some(Self {
            regular: Face::parse(REGULAR)?,
            bold: Face::parse(BOLD)?,
            buffer: None,
        })
    }

    /// The width of `text` on one line, in points.
    #[cfg(test)]
    pub(crate) fn width(&mut self, text: &str, size: f32, bold: bool) -> f32 {
        self.wrap(text, size, bold, f32::INFINITY)
            .iter()
            .map(|l| l.width)
            .sum()
    }

    /// Breaks `text` into lines no wider than `width` points: white space is collapsed, lines
    /// break at spaces, and a word wider than the column (a long join address) is broken
    /// between clusters. The paragraph is shaped once; each line keeps the glyphs it was
    /// measured with.
    pub(crate) fn wrap(&mut self, text: &str, size: f32, bold: bool, width: f32) -> Vec<SetLine> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Vec::new();
        }
        let face = if bold {
            &mut self.bold
        } else {
            &mut self.regular
        };
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.push_str(&text);
        buffer.guess_segment_properties();
        let rtl = buffer.direction() == Direction::RightToLeft;
        let plan = face.plan(&buffer);
        let Some((_, _, _, plan)) = face.plans.get(plan) else {
            return Vec::new();
        };
        let shaped = rustybuzz::shape_with_plan(&face.face, plan, buffer);
        let em = face.units_per_em;
        let glyphs: Vec<(u32, f32, f32, f32, usize)> = shaped
            .glyph_infos()
            .iter()
            .zip(shaped.glyph_positions())
            .map(|(info, pos)| {
                (
                    info.glyph_id,
                    pos.x_advance as f32 / em,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    info.cluster as usize,
                )
            })
            .collect();
        self.buffer = Some(shaped.clear());

        let clusters = clusters(&text, &glyphs, rtl, size);
        let lines = break_lines(&clusters, width);
        lines
            .into_iter()
            .map(|range| set_line(&text, &glyphs, &clusters[range], rtl, size))
            .collect()
    }
}

/// The paragraph's clusters in reading order (glyphs of a right-to-left paragraph come from
/// the shaper in drawing order, right to left).
fn clusters(
    text: &str,
    glyphs: &[(u32, f32, f32, f32, usize)],
    rtl: bool,
    size: f32,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let Some(&(_, _, _, _, start)) = glyphs.get(i) else {
            break;
        };
        let mut j = i + 1;
        while glyphs.get(j).is_some_and(|g| g.4 == start) {
            j += 1;
        }
        let advance = glyphs
            .get(i..j)
            .unwrap_or_default()
            .iter()
            .map(|g| g.1 * size)
            .sum();
        clusters.push(Cluster {
            text: start..start,
            glyphs: i..j,
            advance,
            space: false,
        });
        i = j;
    }
    if rtl {
        clusters.reverse();
    }
    // A cluster's text runs to where the next one (in reading order) starts.
    let starts: Vec<usize> = clusters.iter().map(|c| c.text.start).collect();
    for (n, c) in clusters.iter_mut().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        c.text.end = end.max(c.text.start);
        c.space = text
            .get(c.text.clone())
            .is_some_and(|t| !t.is_empty() && t.chars().all(char::is_whitespace));
    }
    clusters
}

/// Greedy line breaking: the ranges of clusters (without the spaces broken at) of each line.
fn break_lines(clusters: &[Cluster], width: f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    // The line so far: its first cluster, its end after the last word, its width there.
    let mut start = 0;
    let mut end = 0;
    let mut line_width = 0.0;
    let mut i = 0;
    while i < clusters.len() {
        // The next word, with the spaces before it.
        let mut spaces = 0.0;
        let mut j = i;
        while let Some(c) = clusters.get(j).filter(|c| c.space) {
            spaces += c.advance;
            j += 1;
        }
        let word_start = j;
        let mut word = 0.0;
        while let Some(c) = clusters.get(j).filter(|c| !c.space) {
            word += c.advance;
            j += 1;
        }
        if word_start == j {
            break; // only spaces were left
        }
        if end == start {
            start = word_start;
        } else if line_width + spaces + word <= width {
            line_width += spaces + word;
            end = j;
            i = j;
            continue;
        } else {
            lines.push(start..end);
            start = word_start;
        }
        // The word starts a line; broken between clusters if it is wider than the column.
        end = word_start;
        line_width = 0.0;
        for k in word_start..j {
            let advance = clusters.get(k).map_or(0.0, |c| c.advance);
            if line_width + advance > width && end > start {
                lines.push(start..end);
                start = k;
                line_width = 0.0;
            }
            line_width += advance;
            end = k + 1;
        }
        i = j;
    }
    if end > start {
        lines.push(start..end);
    }
    lines
}

/// A line's own text and its glyphs in drawing order, text ranges relative to the line.
fn set_line(
    text: &str,
    glyphs: &[(u32, f32, f32, f32, usize)],
    clusters: &[Cluster],
    rtl: bool,
    size: f32,
) -> SetLine {
    let (Some(first), Some(last)) = (clusters.first(), clusters.last()) else {
        return SetLine {
            text: String::new(),
            glyphs: Vec::new(),
            width: 0.0,
        };
    };
    let from = first.text.start.min(last.text.start);
    let to = first.text.end.max(last.text.end);
    let line_text = text.get(from..to).unwrap_or_default().to_string();
    let mut set = Vec::new();
    let mut width = 0.0;
    let mut push = |c: &Cluster| {
        let start = (c.text.start - from) as u32;
        let end = (c.text.end - from) as u32;
        for &(id, advance, x_offset, y_offset, _) in
            glyphs.get(c.glyphs.clone()).unwrap_or_default()
        {
            width += advance * size;
            set.push(Glyph {
                id,
                advance,
                x_offset,
                y_offset,
                text: start..end,
            });
        }
    };
    if rtl {
        clusters.iter().rev().for_each(&mut push);
    } else {
        clusters.iter().for_each(&mut push);
    }
    SetLine {
        text: line_text,
        glyphs: set,
        width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[SetLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn lines_break_at_spaces_and_fit() {
        let mut shaper = Shaper::new().unwrap();
        let text = "Serenity Seekers  at the   Old Mill Community Hall";
        let one = shaper.wrap(text, 7.5, false, f32::INFINITY);
        assert_eq!(
            texts(&one),
            ["Serenity Seekers at the Old Mill Community Hall"]
        );
        let width = one[0].width;
        let lines = shaper.wrap(text, 7.5, false, width / 2.0);
        assert!(lines.len() >= 2, "{:?}", texts(&lines));
        for l in &lines {
            assert!(l.width <= width / 2.0, "{l:?}");
            assert!(!l.text.starts_with(' ') && !l.text.ends_with(' '));
        }
        assert_eq!(
            texts(&lines).join(" "),
            "Serenity Seekers at the Old Mill Community Hall"
        );
        // Each glyph's text range lies in its line's text.
        for l in &lines {
            for g in &l.glyphs {
                assert!(
                    l.text
                        .get(g.text.start as usize..g.text.end as usize)
                        .is_some()
                );
            }
        }
    }

    #[test]
    fn a_word_wider_than_the_column_breaks_between_characters() {
        let mut shaper = Shaper::new().unwrap();
        let url = "zoom.example/j/123456789012345?pwd=abcdefghijklmnop";
        let width = shaper.width(url, 7.5, false);
        let lines = shaper.wrap(url, 7.5, false, width / 3.0);
        assert!(lines.len() >= 3, "{:?}", texts(&lines));
        assert_eq!(texts(&lines).concat(), url);
        assert!(lines.iter().all(|l| l.width <= width / 3.0));
    }

    #[test]
    fn non_ascii_text_keeps_its_characters_whole() {
        let mut shaper = Shaper::new().unwrap();
        // Combining accent, non-Latin scripts and a right-to-left name: every line is a whole
        // run of characters and together they give the text back.
        for text in [
            "Cafe\u{301} Grüße Δελφοί Ünïcödé",
            "مجموعة الأمل في المدينة",
            "שלום עליכם חברים",
        ] {
            let width = shaper.width(text, 7.5, true);
            let lines = shaper.wrap(text, 7.5, true, width / 2.5);
            assert!(lines.len() >= 2, "{text}: {:?}", texts(&lines));
            assert_eq!(texts(&lines).join(" "), text);
        }
        assert!(shaper.wrap(" \n\t ", 7.5, false, 10.0).is_empty());
    }
}
