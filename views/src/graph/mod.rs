//! A Step Functions definition laid out in terminal cells: boxes for states, connectors in
//! box-drawing characters, Parallel branches side by side and Map processors as nested
//! regions (each can be collapsed to one box), Catch edges dashed, back edges routed up a lane
//! on the right.
//!
//! ASL is mostly block-structured, so the layout is a recursive block layout (see
//! [`block_layout`]): inside a block states are put in layers by the longest path from the
//! start over forward edges, ordered by first visit, and centred; edges run through channels
//! between layers, each horizontal run on its own track; edges that skip layers or go back run
//! in lanes right of the block. The layout depends on the definition and the collapsed set
//! only: colouring a state by its status never moves anything.

mod block_layout;
mod canvas;
mod routing;

use std::collections::BTreeSet;

use unstuck_aws::model::asl::{Definition, EdgeKind, StateId};

pub use canvas::{Canvas, CellRole};

/// Boxes are at most this wide by default (a longer name is cut with `…`).
pub const DEFAULT_BOX_WIDTH: usize = 28;

/// The narrowest box: room for a tag and a few letters of the name.
pub const MIN_BOX_WIDTH: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutOptions {
    pub max_box_width: usize,
    /// Parallel and Map states drawn as one box.
    pub collapsed: BTreeSet<StateId>,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            max_box_width: DEFAULT_BOX_WIDTH,
            collapsed: BTreeSet::new(),
        }
    }
}

/// A state's box (or region, for an expanded Parallel or Map) in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedNode {
    pub id: StateId,
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
    /// An expanded Parallel or Map: its blocks are drawn inside.
    pub region: bool,
}

impl PlacedNode {
    /// The column edges leave from and arrive at.
    pub fn centre(&self) -> usize {
        self.x + self.w / 2
    }
}

/// One transition as drawn: an orthogonal polyline from just below `from` to the arrow cell
/// just above `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedEdge {
    pub from: StateId,
    pub to: StateId,
    pub kind: EdgeKind,
    pub points: Vec<(usize, usize)>,
    /// Runs in a lane (skips layers or goes back up).
    pub laned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraphLayout {
    /// Enclosing regions before what they hold.
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
    /// Arrow cells above the start state of each block (the machine's and each branch's).
    pub entries: Vec<(usize, usize)>,
    pub width: usize,
    pub height: usize,
}

impl GraphLayout {
    pub fn node(&self, id: StateId) -> Option<&PlacedNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// Lay out `definition`.
pub fn layout(definition: &Definition, options: &LayoutOptions) -> GraphLayout {
    let frame = block_layout::lay_out_block(definition, &definition.root, options);
    let mut out = GraphLayout {
        width: frame.width,
        height: frame.height,
        ..GraphLayout::default()
    };
    frame.place_into(0, 0, &mut out);
    out
}

/// Lay out `definition` as narrow as it goes towards `width` columns: boxes shrink down to
/// [`MIN_BOX_WIDTH`] (names are cut) before the graph is left wider than asked.
pub fn layout_within(
    definition: &Definition,
    width: usize,
    collapsed: &BTreeSet<StateId>,
) -> GraphLayout {
    let mut options = LayoutOptions {
        max_box_width: DEFAULT_BOX_WIDTH,
        collapsed: collapsed.clone(),
    };
    loop {
        let laid = layout(definition, &options);
        if laid.width <= width || options.max_box_width <= MIN_BOX_WIDTH {
            return laid;
        }
        options.max_box_width -= 2;
    }
}

/// The short tag a box shows in its top border.
pub fn kind_tag(definition: &Definition, id: StateId) -> &'static str {
    use unstuck_aws::model::asl::{MapMode, StateKind, TaskPattern};
    let Some(state) = definition.state(id) else {
        return "";
    };
    match &state.kind {
        StateKind::Task(task) => match task.pattern {
            TaskPattern::WaitForTaskToken => "token",
            TaskPattern::Activity => "activity",
            TaskPattern::Sync => "sync",
            TaskPattern::RequestResponse if task.function.is_some() => "λ",
            TaskPattern::RequestResponse => "task",
        },
        StateKind::Pass => "pass",
        StateKind::Choice { .. } => "choice",
        StateKind::Wait(_) => "wait",
        StateKind::Succeed => "succeed",
        StateKind::Fail { .. } => "fail",
        StateKind::Parallel { .. } => "parallel",
        StateKind::Map {
            mode: MapMode::Distributed,
            ..
        } => "map (distributed)",
        StateKind::Map { .. } => "map",
    }
}

#[cfg(test)]
mod tests;
