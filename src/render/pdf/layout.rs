//! Pagination of a [`Schedule`]: a heading block and the legend on the first page, then the
//! days' entries flowing down columns, a page number at the foot of every page.
//!
//! This is pure: it gives logical pages as lists of positioned lines (already shaped and
//! broken, see [`super::shape`]) and never touches krilla's document; [`super::draw`] puts
//! them on paper, one logical page per sheet or two side by side in a booklet. Pages come
//! one at a time from an iterator, so a long schedule printed flat never holds more than a
//! page of glyphs.

use super::Schedule;
use super::shape::{SetLine, Shaper};

const GUTTER: f32 = 14.0;
pub(crate) const BODY: f32 = 7.5;

/// The size of a logical page and how its text is set on it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Geometry {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) margin: f32,
    pub(crate) columns: usize,
}

impl Geometry {
    /// A flat schedule: three columns on a Letter or A4 page.
    pub(crate) fn flat(letter: bool) -> Self {
        let (width, height) = if letter {
            (612.0, 792.0)
        } else {
            (595.28, 841.89)
        };
        Self {
            width,
            height,
            margin: 36.0,
            columns: 3,
        }
    }

    fn column(&self) -> f32 {
        let n = self.columns as f32;
        (self.width - 2.0 * self.margin - GUTTER * (n - 1.0)) / n
    }

    fn full(&self) -> f32 {
        self.width - 2.0 * self.margin
    }
}

/// What a line is in the document's structure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Role {
    Title,
    Heading,
    Text,
    /// Not part of what is read aloud (the page number).
    Artifact,
}

/// One line to draw: its shaped text, size, weight, colour (grey or black) and role.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub(crate) set: SetLine,
    pub(crate) size: f32,
    pub(crate) bold: bool,
    pub(crate) grey: bool,
    pub(crate) role: Role,
}

impl Line {
    fn height(&self) -> f32 {
        self.size * 1.3
    }
}

/// A line with the space above it (dropped at the top of a column).
struct Spaced {
    line: Line,
    before: f32,
}

/// Something placed on a logical page, in reading order; `y` is the baseline, from the top.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Placed {
    Text { line: Line, x: f32, y: f32 },
}

/// One logical page: its number (from 1) and what is on it, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Page {
    pub(crate) number: usize,
    pub(crate) items: Vec<Placed>,
}

/// The logical pages of a schedule, one at a time.
pub(crate) struct Pages<'a> {
    schedule: &'a Schedule,
    shaper: Shaper,
    geometry: Geometry,
    /// The next entry's day and place in that day.
    day: usize,
    entry: usize,
    pending: Option<Vec<Spaced>>,
    number: usize,
}

impl<'a> Pages<'a> {
    /// `None` only if the compiled-in fonts cannot be parsed.
    pub(crate) fn new(schedule: &'a Schedule, geometry: Geometry) -> Option<Self> {
        Some(Self {
            schedule,
            shaper: Shaper::new()?,
            geometry,
            day: 0,
            entry: 0,
            pending: None,
            number: 0,
        })
    }

    fn lines(
        &mut self,
        text: &str,
        size: f32,
        bold: bool,
        grey: bool,
        role: Role,
        width: f32,
    ) -> Vec<Line> {
        self.shaper
            .wrap(text, size, bold, width)
            .into_iter()
            .map(|set| Line {
                set,
                size,
                bold,
                grey,
                role,
            })
            .collect()
    }

    /// The heading block, across the page.
    fn head(&mut self) -> Vec<Spaced> {
        let s = self.schedule;
        let full = self.geometry.full();
        let mut head = Vec::new();
        let mut add = |lines: Vec<Line>, before: f32| {
            head.extend(lines.into_iter().map(|line| Spaced { line, before }));
        };
        add(
            self.lines(&s.title, 16.0, true, false, Role::Title, full),
            0.0,
        );
        if let Some(sub) = &s.subtitle {
            add(self.lines(sub, 12.0, true, false, Role::Heading, full), 2.0);
        }
        if let Some(as_of) = &s.as_of {
            add(self.lines(as_of, BODY, false, false, Role::Text, full), 4.0);
        }
        let legend = s
            .legend
            .iter()
            .map(|(c, n)| format!("{c} = {n}"))
            .collect::<Vec<_>>()
            .join(" · ");
        add(
            self.lines(&legend, BODY, false, true, Role::Text, full),
            4.0,
        );
        add(
            self.lines(&s.note, BODY, false, true, Role::Text, full),
            2.0,
        );
        head
    }

    /// The next entry as one block, which is never split between columns; a day's heading is
    /// in the block of its first entry, so it is never left alone at the foot of a column.
    fn next_block(&mut self) -> Option<Vec<Spaced>> {
        if let Some(block) = self.pending.take() {
            return Some(block);
        }
        let s = self.schedule;
        let (day, e) = loop {
            let (day, entries) = s.days.get(self.day)?;
            match entries.get(self.entry) {
                Some(e) => break (day, e),
                None => {
                    self.day += 1;
                    self.entry = 0;
                }
            }
        };
        let first = self.entry == 0;
        self.entry += 1;
        let column = self.geometry.column();
        let mut block = Vec::new();
        if first {
            for line in self.lines(day, 10.0, true, false, Role::Heading, column) {
                block.push(Spaced { line, before: 8.0 });
            }
        }
        let name = format!("{}  {}", e.time, e.name);
        for (i, line) in self
            .lines(&name, BODY, true, false, Role::Text, column)
            .into_iter()
            .enumerate()
        {
            let before = if i == 0 { 4.0 } else { 0.0 };
            block.push(Spaced { line, before });
        }
        let types = (!e.types.is_empty()).then_some(&e.types);
        for text in e.lines.iter().chain(types) {
            for line in self.lines(text, BODY, false, false, Role::Text, column) {
                block.push(Spaced { line, before: 0.0 });
            }
        }
        Some(block)
    }
}

impl Iterator for Pages<'_> {
    type Item = Page;

    fn next(&mut self) -> Option<Page> {
        let first = self.number == 0;
        let block = self.next_block();
        if !first && block.is_none() {
            return None;
        }
        self.pending = block;
        self.number += 1;
        let g = self.geometry;
        let mut items = Vec::new();
        let mut y = g.margin;
        if first {
            for Spaced { line, before } in self.head() {
                y += before + line.height();
                items.push(Placed::Text {
                    line,
                    x: g.margin,
                    y,
                });
            }
            y += 6.0;
        }
        let top = y;
        let bottom = g.height - g.margin - 14.0;
        let column = g.column();
        for c in 0..g.columns {
            let x = g.margin + c as f32 * (column + GUTTER);
            let mut y = top;
            while let Some(block) = self.next_block() {
                let needed: f32 = block
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let before = if i == 0 && y == top { 0.0 } else { l.before };
                        before + l.line.height()
                    })
                    .sum();
                // A block taller than a whole column still goes in, at the top of one.
                if y + needed > bottom && y > top {
                    self.pending = Some(block);
                    break;
                }
                for Spaced { line, before } in block {
                    let before = if y == top { 0.0 } else { before };
                    y += before + line.height();
                    items.push(Placed::Text { line, x, y });
                }
            }
        }
        let label = format!("{} {}", self.schedule.page_word, self.number);
        for line in self.lines(&label, BODY, false, false, Role::Artifact, g.full()) {
            let x = (g.width - line.set.width) / 2.0;
            items.push(Placed::Text {
                line,
                x,
                y: g.height - g.margin,
            });
        }
        Some(Page {
            number: self.number,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Entry;
    use super::*;

    fn schedule(entries: usize) -> Schedule {
        let entry = |i: usize| Entry {
            time: "7:00 PM–8:00 PM".into(),
            name: format!("Meeting number {i} with a name long enough to wrap in a column"),
            lines: vec!["Old Mill Hall".into(), "12 Main St, Fernhill".into()],
            types: "O D".into(),
        };
        Schedule {
            language: "en".into(),
            title: "Intergroup".into(),
            subtitle: None,
            as_of: None,
            days: vec![
                ("Sunday".into(), (0..entries).map(entry).collect()),
                ("Monday".into(), (0..entries).map(entry).collect()),
            ],
            legend: vec![("O".into(), "Open".into())],
            note: "Open meetings welcome everyone.".into(),
            page_word: "Page".into(),
            letter: true,
        }
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.items
            .iter()
            .map(|Placed::Text { line, .. }| line.set.text.as_str())
            .collect()
    }

    #[test]
    fn every_entry_is_on_a_page_once_in_order_and_inside_the_page() {
        let s = schedule(200);
        let g = Geometry::flat(true);
        let pages: Vec<Page> = Pages::new(&s, g).unwrap().collect();
        assert!(pages.len() > 2);
        let mut names = Vec::new();
        for (n, page) in pages.iter().enumerate() {
            assert_eq!(page.number, n + 1);
            assert_eq!(
                texts(page).last(),
                Some(&format!("Page {}", n + 1).as_str())
            );
            for Placed::Text { line, x, y } in &page.items {
                assert!(*x >= 0.0 && x + line.set.width <= g.width, "{line:?}");
                assert!(*y > 0.0 && *y <= g.height - g.margin + 0.01, "{line:?}");
                if line.bold && line.set.text.starts_with("7:00") {
                    names.push(line.set.text.clone());
                }
            }
        }
        assert_eq!(names.len(), 400);
        assert_eq!(texts(&pages[0])[0], "Intergroup");
    }

    #[test]
    fn an_empty_schedule_still_has_its_first_page() {
        let s = schedule(0);
        let pages: Vec<Page> = Pages::new(&s, Geometry::flat(false)).unwrap().collect();
        assert_eq!(pages.len(), 1);
    }
}
