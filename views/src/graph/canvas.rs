//! A laid-out graph drawn into a grid of cells, clipped to a viewport: only what is visible
//! is drawn, so a frame costs the same for a machine of any size. Each cell knows what it
//! shows (a state's border or name, an edge of some kind, an arrow), so the pane colours a
//! state by its status and an edge by its kind without drawing anything again.
//!
//! Edges are drawn first as line directions per cell, then turned into box-drawing
//! characters, so crossings become `┼` and forks `┴`/`┬`; a cell only Catch edges pass
//! through is dashed.

use unicode_width::UnicodeWidthChar;
use unstuck_aws::model::asl::{Definition, EdgeKind, StateId};

use super::{GraphLayout, PlacedNode, kind_tag};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRole {
    Empty,
    /// A state's box or region border.
    Border(StateId),
    /// A state's name.
    Label(StateId),
    /// The kind tag in a state's top border.
    Tag(StateId),
    Edge(EdgeKind),
    /// The arrow head of an edge into a state.
    Arrow(EdgeKind),
    /// The arrow into a block's start state.
    Entry,
}

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;
/// The right half of a wide character.
const CONTINUATION: char = '\0';

pub struct Canvas {
    pub x0: usize,
    pub y0: usize,
    pub width: usize,
    pub height: usize,
    chars: Vec<char>,
    roles: Vec<CellRole>,
}

impl Canvas {
    /// Draw the part of `layout` at (`x0`, `y0`) of `width` x `height` cells.
    pub fn draw(
        definition: &Definition,
        layout: &GraphLayout,
        (x0, y0, width, height): (usize, usize, usize, usize),
    ) -> Canvas {
        let cells = width * height;
        let mut canvas = Canvas {
            x0,
            y0,
            width,
            height,
            chars: vec![' '; cells],
            roles: vec![CellRole::Empty; cells],
        };
        canvas.draw_edges(layout);
        for node in &layout.nodes {
            canvas.draw_node(definition, node);
        }
        for edge in &layout.edges {
            if let Some(&(x, y)) = edge.points.first()
                && let Some(node) = layout.node(edge.from)
                && y == node.y + node.h
            {
                canvas.put(x, y - 1, '┬', CellRole::Border(edge.from));
            }
            if let Some(&(x, y)) = edge.points.last() {
                canvas.put(x, y, '▼', CellRole::Arrow(edge.kind));
            }
        }
        for &(x, y) in &layout.entries {
            canvas.put(x, y, '▼', CellRole::Entry);
        }
        canvas
    }

    fn index(&self, x: usize, y: usize) -> Option<usize> {
        let (x, y) = (x.checked_sub(self.x0)?, y.checked_sub(self.y0)?);
        (x < self.width && y < self.height).then_some(y * self.width + x)
    }

    fn put(&mut self, x: usize, y: usize, ch: char, role: CellRole) {
        if let Some(i) = self.index(x, y) {
            self.chars[i] = ch;
            self.roles[i] = role;
        }
    }

    /// `text` from column `x`, at most `max` columns; returns the columns used.
    fn text(&mut self, x: usize, y: usize, text: &str, max: usize, role: CellRole) -> usize {
        let mut used = 0;
        for ch in text.chars() {
            let w = ch.width().unwrap_or(0);
            if w == 0 {
                continue;
            }
            if used + w > max {
                break;
            }
            self.put(x + used, y, ch, role);
            if w == 2 {
                self.put(x + used + 1, y, CONTINUATION, role);
            }
            used += w;
        }
        used
    }

    fn draw_edges(&mut self, layout: &GraphLayout) {
        let cells = self.width * self.height;
        let mut masks = vec![0u8; cells];
        let mut solid = vec![false; cells];
        let mut kinds = vec![EdgeKind::Next; cells];
        for edge in &layout.edges {
            let mut mark = |x: usize, y: usize, bits: u8| {
                if let Some(i) = self.index(x, y) {
                    masks[i] |= bits;
                    if edge.kind != EdgeKind::Catch {
                        solid[i] = true;
                        kinds[i] = edge.kind;
                    } else if !solid[i] {
                        kinds[i] = EdgeKind::Catch;
                    }
                }
            };
            if let Some(&(x, y)) = edge.points.first() {
                mark(x, y, UP);
            }
            for pair in edge.points.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                if ax == bx {
                    let (lo, hi) = (ay.min(by), ay.max(by));
                    for y in lo..=hi {
                        let bits = if y > lo { UP } else { 0 } | if y < hi { DOWN } else { 0 };
                        mark(ax, y, bits);
                    }
                } else {
                    let (lo, hi) = (ax.min(bx), ax.max(bx));
                    for x in lo..=hi {
                        let bits = if x > lo { LEFT } else { 0 } | if x < hi { RIGHT } else { 0 };
                        mark(x, ay, bits);
                    }
                }
            }
        }
        for i in 0..cells {
            if masks[i] != 0 {
                self.chars[i] = junction(masks[i], !solid[i]);
                self.roles[i] = CellRole::Edge(kinds[i]);
            }
        }
    }

    fn draw_node(&mut self, definition: &Definition, node: &PlacedNode) {
        let (x, y, w, h) = (node.x, node.y, node.w, node.h);
        if w < 2 || h < 2 {
            return;
        }
        let border = CellRole::Border(node.id);
        let name = definition.state(node.id).map_or("", |s| s.name.as_str());
        let tag = kind_tag(definition, node.id);
        // Top border: ╭ tag ──╮ (a region: ╭─ tag name ──╮).
        self.put(x, y, '╭', border);
        for cx in x + 1..x + w - 1 {
            self.put(cx, y, '─', border);
        }
        self.put(x + w - 1, y, '╮', border);
        // ╭─ tag ─…╮, and a region's name after its tag: ╭─ map CheckDocuments ─╮
        let room = w.saturating_sub(6);
        if room > 0 {
            self.put(x + 2, y, ' ', border);
            let collapsed = !node.region
                && definition
                    .state(node.id)
                    .is_some_and(|s| !s.kind.blocks().is_empty());
            let tag = if collapsed {
                format!("{tag} ▸")
            } else {
                tag.to_string()
            };
            let used = self.text(x + 3, y, &tag, room, CellRole::Tag(node.id));
            let mut end = x + 3 + used;
            if node.region && used + 1 < room {
                self.put(end, y, ' ', border);
                let cut = super::super::logs::log_line::clip(name, room - used - 1);
                end += 1 + self.text(end + 1, y, &cut, room - used - 1, CellRole::Label(node.id));
            }
            self.put(end, y, ' ', border);
        }
        let room = w.saturating_sub(4);
        for cy in y + 1..y + h - 1 {
            self.put(x, cy, '│', border);
            self.put(x + w - 1, cy, '│', border);
            if !node.region {
                for cx in x + 1..x + w - 1 {
                    self.put(cx, cy, ' ', CellRole::Empty);
                }
            }
        }
        if !node.region {
            let cut = super::super::logs::log_line::clip(name, room);
            self.text(x + 2, y + 1, &cut, room, CellRole::Label(node.id));
        }
        self.put(x, y + h - 1, '╰', border);
        for cx in x + 1..x + w - 1 {
            self.put(cx, y + h - 1, '─', border);
        }
        self.put(x + w - 1, y + h - 1, '╯', border);
    }

    /// The cell at (`x`, `y`) of the viewport: its character (`\0` for the right half of a
    /// wide one) and what it shows.
    pub fn cell(&self, x: usize, y: usize) -> (char, CellRole) {
        let i = y * self.width + x;
        match (self.chars.get(i), self.roles.get(i)) {
            (Some(&c), Some(&r)) => (c, r),
            _ => (' ', CellRole::Empty),
        }
    }

    /// The viewport as text, one line per row, without trailing blanks.
    pub fn lines(&self) -> Vec<String> {
        self.chars
            .chunks(self.width.max(1))
            .map(|row| {
                let line: String = row.iter().filter(|&&c| c != CONTINUATION).collect();
                line.trim_end().to_string()
            })
            .collect()
    }
}

fn junction(mask: u8, dashed: bool) -> char {
    const V: u8 = UP | DOWN;
    const H: u8 = LEFT | RIGHT;
    match (mask & V, mask & H) {
        (_, 0) if dashed => '┆',
        (_, 0) => '│',
        (0, _) if dashed => '┄',
        (0, _) => '─',
        (DOWN, RIGHT) => '╭',
        (DOWN, LEFT) => '╮',
        (UP, RIGHT) => '╰',
        (UP, LEFT) => '╯',
        (V, RIGHT) => '├',
        (V, LEFT) => '┤',
        (DOWN, H) => '┬',
        (UP, H) => '┴',
        _ => '┼',
    }
}
