//! One block (a machine, a branch, a Map processor) laid out in its own cells, recursively:
//! an expanded Parallel or Map is a region holding the frames of its blocks side by side.
//!
//! 1. A depth-first walk from the start (then from unreached states, in definition order)
//!    gives each state its first-visit order and marks back edges (to a state on the walk).
//! 2. Layers: the longest path from the start over the other (forward) edges.
//! 3. Each layer's states go left to right by first visit; a layer of one state sits on the
//!    block's centre line, so a chain is a straight line.
//! 4. Edges between neighbouring layers run through the channel between them; the others
//!    (skipping layers, going back or to their own layer) run in a lane of their own right of
//!    the states. Every horizontal run gets a track (a row) of its channel, shared only by runs
//!    that leave from or arrive at the same place.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;
use unstuck_aws::model::asl::{Block, Definition, EdgeKind, StateId};

use super::routing::{Port, Segment, assign_tracks};
use super::{GraphLayout, LayoutOptions, MIN_BOX_WIDTH, PlacedEdge, PlacedNode, kind_tag};

/// Columns between two states of a layer, and between branches of a region.
const GAP: usize = 3;
/// Height of a state's box.
const BOX_H: usize = 3;

/// A laid-out block, in coordinates relative to its top-left corner.
pub(super) struct Frame {
    pub width: usize,
    pub height: usize,
    nodes: Vec<PlacedNode>,
    edges: Vec<PlacedEdge>,
    entries: Vec<(usize, usize)>,
    /// The frames of regions' blocks, at their offsets.
    children: Vec<(usize, usize, Frame)>,
}

impl Frame {
    /// Append this frame to `out`, moved by (`dx`, `dy`).
    pub fn place_into(self, dx: usize, dy: usize, out: &mut GraphLayout) {
        out.nodes.extend(self.nodes.into_iter().map(|n| PlacedNode {
            x: n.x + dx,
            y: n.y + dy,
            ..n
        }));
        out.edges.extend(self.edges.into_iter().map(|e| PlacedEdge {
            points: e.points.iter().map(|&(x, y)| (x + dx, y + dy)).collect(),
            ..e
        }));
        out.entries
            .extend(self.entries.iter().map(|&(x, y)| (x + dx, y + dy)));
        for (x, y, child) in self.children {
            child.place_into(dx + x, dy + y, out);
        }
    }
}

/// A state's size, and the frames inside it when it is a region.
struct Sized {
    w: usize,
    h: usize,
    inner: Vec<Frame>,
}

fn size_of(definition: &Definition, id: StateId, options: &LayoutOptions) -> Sized {
    let Some(state) = definition.state(id) else {
        return Sized {
            w: MIN_BOX_WIDTH,
            h: BOX_H,
            inner: Vec::new(),
        };
    };
    let blocks = state.kind.blocks();
    let tag_w = kind_tag(definition, id).width();
    if blocks.is_empty() || options.collapsed.contains(&id) {
        // A collapsed region says so after its tag: `map ▸`.
        let marker_w = if blocks.is_empty() { 0 } else { 2 };
        let w = (state.name.width() + 4)
            .max(tag_w + marker_w + 6)
            .clamp(MIN_BOX_WIDTH, options.max_box_width.max(MIN_BOX_WIDTH));
        return Sized {
            w,
            h: BOX_H,
            inner: Vec::new(),
        };
    }
    let inner: Vec<Frame> = blocks
        .iter()
        .map(|b| lay_out_block(definition, b, options))
        .collect();
    let inner_w = inner.iter().map(|f| f.width).sum::<usize>() + GAP * (inner.len() - 1);
    let title_w = (tag_w + 1 + state.name.width()).min(options.max_box_width);
    Sized {
        w: (inner_w + 4).max(title_w + 6),
        h: inner.iter().map(|f| f.height).max().unwrap_or(0) + 2,
        inner,
    }
}

/// First-visit order of the block's states and which edges go back.
struct Walk {
    order: Vec<usize>,
    /// Reverse post-order: a topological order of the forward edges.
    topo: Vec<usize>,
    /// Per state (local index), per edge: goes back.
    back: Vec<Vec<bool>>,
}

fn walk(edges: &[Vec<usize>], start: usize) -> Walk {
    let n = edges.len();
    let mut order = vec![usize::MAX; n];
    let mut on_path = vec![false; n];
    let mut back: Vec<Vec<bool>> = edges.iter().map(|e| vec![false; e.len()]).collect();
    let mut post = Vec::with_capacity(n);
    let mut visited = 0;
    for root in std::iter::once(start).chain(0..n) {
        if order[root] != usize::MAX {
            continue;
        }
        order[root] = visited;
        visited += 1;
        on_path[root] = true;
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, at)) = path.last() {
            let Some(&w) = edges[v].get(at) else {
                on_path[v] = false;
                post.push(v);
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            if on_path[w] {
                back[v][at] = true;
            } else if order[w] == usize::MAX {
                order[w] = visited;
                visited += 1;
                on_path[w] = true;
                path.push((w, 0));
            }
        }
    }
    post.reverse();
    Walk {
        order,
        topo: post,
        back,
    }
}

pub(super) fn lay_out_block(
    definition: &Definition,
    block: &Block,
    options: &LayoutOptions,
) -> Frame {
    let members = &block.members;
    let local: HashMap<StateId, usize> =
        members.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let state_edges: Vec<Vec<(usize, EdgeKind)>> = members
        .iter()
        .map(|&id| {
            definition
                .state(id)
                .map(|s| s.edges())
                .unwrap_or_default()
                .iter()
                .filter_map(|e| local.get(&e.to).map(|&to| (to, e.kind)))
                .collect()
        })
        .collect();
    let targets: Vec<Vec<usize>> = state_edges
        .iter()
        .map(|es| es.iter().map(|&(to, _)| to).collect())
        .collect();
    let start = local.get(&block.start).copied().unwrap_or(0);
    let walk = walk(&targets, start);

    // Layers by the longest path over forward edges.
    let n = members.len();
    let mut layer = vec![0usize; n];
    for &v in &walk.topo {
        for (k, &w) in targets[v].iter().enumerate() {
            if !walk.back[v][k] {
                layer[w] = layer[w].max(layer[v] + 1);
            }
        }
    }
    let layers = layer.iter().max().map_or(0, |&l| l + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for v in 0..n {
        rows[layer[v]].push(v);
    }
    for row in &mut rows {
        row.sort_by_key(|&v| walk.order[v]);
    }

    // Sizes and columns.
    let mut sized: Vec<Sized> = members
        .iter()
        .map(|&id| size_of(definition, id, options))
        .collect();
    // The first layer centred on column 0; each later state under the mean centre of its
    // predecessors in the layer above (so chains stay straight), states wanting the same
    // centre (a fork) centred on it together, pushed right as little as keeps the layer's
    // order and gaps. Then the whole block is moved to start at column 0.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for v in 0..n {
        for (k, &w) in targets[v].iter().enumerate() {
            if !walk.back[v][k] && layer[w] == layer[v] + 1 && !preds[w].contains(&v) {
                preds[w].push(v);
            }
        }
    }
    let mut sx = vec![0i64; n];
    let half = |v: usize, sized: &[Sized]| i64::try_from(sized[v].w / 2).unwrap_or(0);
    let width_of = |v: usize, sized: &[Sized]| i64::try_from(sized[v].w).unwrap_or(0);
    let gap = i64::try_from(GAP).unwrap_or(3);
    for row in &rows {
        let wanted: Vec<i64> = row
            .iter()
            .map(|&v| {
                let p = &preds[v];
                if p.is_empty() {
                    0
                } else {
                    p.iter().map(|&u| sx[u] + half(u, &sized)).sum::<i64>() / p.len() as i64
                }
            })
            .collect();
        let mut at = i64::MIN;
        let mut i = 0;
        while i < row.len() {
            let mut j = i + 1;
            while j < row.len() && wanted[j] == wanted[i] {
                j += 1;
            }
            let group_w: i64 = row[i..j].iter().map(|&v| width_of(v, &sized)).sum::<i64>()
                + gap * (j - i - 1) as i64;
            let mut left = (wanted[i] - group_w / 2).max(at);
            for &v in &row[i..j] {
                sx[v] = left;
                left += width_of(v, &sized) + gap;
            }
            at = left;
            i = j;
        }
    }
    let min_x = sx.iter().copied().min().unwrap_or(0);
    let x: Vec<usize> = sx
        .iter()
        .map(|&v| usize::try_from(v - min_x).unwrap_or(0))
        .collect();
    let content_w = (0..n).map(|v| x[v] + sized[v].w).max().unwrap_or(0);
    let centre = |v: usize, x: &[usize], sized: &[Sized]| x[v] + sized[v].w / 2;

    // Edges: neighbouring layers through a channel, the rest in lanes.
    struct Plan {
        from: usize,
        to: usize,
        kind: EdgeKind,
        lane: Option<usize>,
    }
    let mut plans = Vec::new();
    let mut lanes = 0;
    for v in 0..n {
        for (k, &(w, kind)) in state_edges[v].iter().enumerate() {
            let adjacent = !walk.back[v][k] && layer[w] == layer[v] + 1;
            let lane = (!adjacent).then(|| {
                lanes += 1;
                lanes - 1
            });
            plans.push(Plan {
                from: v,
                to: w,
                kind,
                lane,
            });
        }
    }
    let lane_x = |lane: usize| content_w + 1 + 2 * lane;
    // Channel c is above layer c (channel `layers` is below the last one).
    let mut segments: Vec<Vec<Segment>> = (0..=layers).map(|_| Vec::new()).collect();
    // Per plan, its segments' (channel, index in channel).
    let mut plan_segments: Vec<Vec<(usize, usize)>> = Vec::with_capacity(plans.len());
    for plan in &plans {
        let (cu, cv) = (centre(plan.from, &x, &sized), centre(plan.to, &x, &sized));
        let mut mine = Vec::new();
        let mut add = |channel: usize, a: usize, b: usize, from: Port, to: Port| {
            segments[channel].push(Segment::new(a, b, from, to));
            mine.push((channel, segments[channel].len() - 1));
        };
        let (below, above) = (layer[plan.from] + 1, layer[plan.to]);
        match plan.lane {
            None if cu == cv => {}
            None => add(below, cu, cv, Port::Bottom(plan.from), Port::Top(plan.to)),
            Some(lane) => {
                add(
                    below,
                    cu,
                    lane_x(lane),
                    Port::Bottom(plan.from),
                    Port::Lane(lane),
                );
                add(
                    above,
                    lane_x(lane),
                    cv,
                    Port::Lane(lane),
                    Port::Top(plan.to),
                );
            }
        }
        plan_segments.push(mine);
    }
    let tracks: Vec<(Vec<usize>, usize)> = segments.iter().map(|s| assign_tracks(s)).collect();

    // Rows: channel 0 (tracks, then the arrow row), then per layer its states and the channel
    // below (a stub row, tracks, an arrow row); the last channel only when something uses it.
    let mut channel_y = vec![0usize; layers + 1];
    let mut layer_y = vec![0usize; layers];
    let mut y = tracks[0].1 + 1;
    for l in 0..layers {
        layer_y[l] = y;
        y += rows[l].iter().map(|&v| sized[v].h).max().unwrap_or(BOX_H);
        channel_y[l + 1] = y;
        let t = tracks[l + 1].1;
        y += if l + 1 < layers {
            t + 2
        } else if t > 0 {
            t + 1
        } else {
            0
        };
    }
    let height = y;
    let track_row = |channel: usize, track: usize| {
        if channel == 0 {
            channel_y[0] + track
        } else {
            channel_y[channel] + 1 + track
        }
    };

    let nodes: Vec<PlacedNode> = (0..n)
        .map(|v| PlacedNode {
            id: members[v],
            x: x[v],
            y: layer_y[layer[v]],
            w: sized[v].w,
            h: sized[v].h,
            region: !sized[v].inner.is_empty(),
        })
        .collect();
    let edges = plans
        .iter()
        .zip(&plan_segments)
        .map(|(plan, mine)| {
            let (u, v) = (&nodes[plan.from], &nodes[plan.to]);
            let mut points = vec![(u.centre(), u.y + u.h)];
            for &(channel, i) in mine {
                let seg = &segments[channel][i];
                let row = track_row(channel, tracks[channel].0[i]);
                points.push((seg.start, row));
                points.push((seg.end, row));
            }
            points.push((v.centre(), v.y.saturating_sub(1)));
            PlacedEdge {
                from: u.id,
                to: v.id,
                kind: plan.kind,
                points,
                laned: plan.lane.is_some(),
            }
        })
        .collect();
    let entries = vec![(nodes[start].centre(), channel_y[0] + tracks[0].1)];
    let mut children = Vec::new();
    for (v, s) in sized.iter_mut().enumerate() {
        let inner_w =
            s.inner.iter().map(|f| f.width).sum::<usize>() + GAP * s.inner.len().saturating_sub(1);
        let mut at = nodes[v].x + 2 + (s.w - 4 - inner_w.min(s.w - 4)) / 2;
        for frame in s.inner.drain(..) {
            let w = frame.width;
            children.push((at, nodes[v].y + 1, frame));
            at += w + GAP;
        }
    }
    let width = content_w + if lanes > 0 { 1 + 2 * lanes } else { 0 };
    Frame {
        width,
        height,
        nodes,
        edges,
        entries,
        children,
    }
}
