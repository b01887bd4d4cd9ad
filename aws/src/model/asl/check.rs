//! Checks over a parsed definition: a loop made of Choice states only (an execution would
//! spin there forever, so AWS refuses it) is an error naming a state of the loop; a state no
//! transition reaches is a warning. Iterative, so a machine of thousands of states is fine.

use super::{AslError, Block, Definition, StateId, StateKind};

pub fn check(definition: &mut Definition) -> Result<(), AslError> {
    choice_loops(definition)?;
    let mut blocks: Vec<&Block> = vec![&definition.root];
    let mut warnings = Vec::new();
    while let Some(block) = blocks.pop() {
        let reached = reachable(definition, block);
        for &id in &block.members {
            let state = &definition.states[id];
            if !reached.contains(&id) {
                warnings.push(format!("state \"{}\" is never reached", state.name));
            }
            blocks.extend(state.kind.blocks());
        }
    }
    definition.warnings = warnings;
    Ok(())
}

fn reachable(definition: &Definition, block: &Block) -> Vec<StateId> {
    let mut seen = vec![block.start];
    let mut todo = vec![block.start];
    while let Some(id) = todo.pop() {
        for edge in definition.states[id].edges() {
            if !seen.contains(&edge.to) {
                seen.push(edge.to);
                todo.push(edge.to);
            }
        }
    }
    seen
}

/// A cycle through Choice states alone.
fn choice_loops(definition: &Definition) -> Result<(), AslError> {
    let is_choice = |id: StateId| matches!(definition.states[id].kind, StateKind::Choice { .. });
    // 0: not visited, 1: on the path, 2: done.
    let mut mark = vec![0u8; definition.states.len()];
    for root in (0..definition.states.len()).filter(|&id| is_choice(id)) {
        if mark[root] != 0 {
            continue;
        }
        // (state, index of the next edge to follow)
        let mut path: Vec<(StateId, usize)> = vec![(root, 0)];
        mark[root] = 1;
        while let Some(&(id, at)) = path.last() {
            let edges = definition.states[id].edges();
            let Some(edge) = edges.get(at) else {
                mark[id] = 2;
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            let to = edge.to;
            if !is_choice(to) {
                continue;
            }
            match mark[to] {
                0 => {
                    mark[to] = 1;
                    path.push((to, 0));
                }
                1 => {
                    let from = path.iter().position(|(s, _)| *s == to).unwrap_or(0);
                    let names: Vec<&str> = path[from..]
                        .iter()
                        .map(|(s, _)| definition.states[*s].name.as_str())
                        .chain([definition.states[to].name.as_str()])
                        .collect();
                    let state = &definition.states[to];
                    return Err(AslError {
                        state: Some(state.name.clone()),
                        path: String::new(),
                        message: format!(
                            "loops through Choice states only ({}): an execution would never \
                             leave them",
                            names.join(" -> ")
                        ),
                    });
                }
                _ => {}
            }
        }
    }
    Ok(())
}
