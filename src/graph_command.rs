//! `unstuck graph FILE|-`: lay out a Step Functions definition in the terminal without AWS,
//! for reviewing a definition (in a PR, before a deploy). Text is the drawing; JSON is the
//! layout itself (boxes in terminal cells and the edges between them). A malformed
//! definition is exit 1 with the state and the field named.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Read, Write};

use anyhow::Context as _;
use serde_json::json;
use unstuck_aws::model::asl::{self, Definition};
use unstuck_views::graph::{Canvas, GraphLayout, layout_within};

use crate::cli::{GraphArgs, OutputFormat};

/// The largest definition read: AWS allows 1 MB, so twice that is never a real one.
pub const MAX_DEFINITION_BYTES: u64 = 2 * 1024 * 1024;

/// The width used when none is given and stdout is not a terminal.
pub const DEFAULT_GRAPH_WIDTH: usize = 120;

pub fn run_graph(args: &GraphArgs) -> anyhow::Result<()> {
    let (text, source) = read_definition(&args.file)?;
    let definition =
        asl::parse(&text).with_context(|| format!("{source} is not a valid definition"))?;
    let width = args.width.map_or_else(terminal_width, usize::from);
    let laid = layout_within(&definition, width, &BTreeSet::new());
    let out = match args.output {
        OutputFormat::Text => drawing(&definition, &laid),
        OutputFormat::Json => layout_json(&definition, &laid),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing the graph")?;
    let mut stderr = std::io::stderr().lock();
    for warning in &definition.warnings {
        let _ = writeln!(stderr, "unstuck: warning: {warning}");
    }
    if laid.width > width {
        let _ = writeln!(
            stderr,
            "unstuck: the graph needs {} columns; it does not fit in {width}",
            laid.width
        );
    }
    Ok(())
}

/// The definition's text and how to name it in messages.
fn read_definition(file: &str) -> anyhow::Result<(String, String)> {
    let mut bytes = Vec::new();
    let source = if file == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_DEFINITION_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("reading the definition from stdin")?;
        "the definition on stdin".to_string()
    } else {
        let shown = unstuck_aws::untrusted_text::sanitize_line(file).into_owned();
        let handle = std::fs::File::open(file).with_context(|| format!("opening {shown}"))?;
        if !handle.metadata().is_ok_and(|m| m.is_file()) {
            anyhow::bail!("{shown} is not a file");
        }
        handle
            .take(MAX_DEFINITION_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {shown}"))?;
        shown
    };
    if bytes.len() as u64 > MAX_DEFINITION_BYTES {
        anyhow::bail!(
            "{source} is larger than {} MiB: not a state machine definition",
            MAX_DEFINITION_BYTES / 1024 / 1024
        );
    }
    let text = String::from_utf8(bytes).with_context(|| format!("{source} is not UTF-8 text"))?;
    Ok((text, source))
}

fn terminal_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
    {
        return usize::from(columns);
    }
    DEFAULT_GRAPH_WIDTH
}

/// The drawing, one line per row.
pub fn drawing(definition: &Definition, laid: &GraphLayout) -> String {
    let canvas = Canvas::draw(definition, laid, (0, 0, laid.width, laid.height));
    let mut out = canvas.lines().join("\n");
    out.push('\n');
    out
}

/// The layout as JSON: nodes with their boxes in cells, edges with their kinds.
pub fn layout_json(definition: &Definition, laid: &GraphLayout) -> String {
    let nodes: Vec<serde_json::Value> = laid
        .nodes
        .iter()
        .filter_map(|n| {
            let state = definition.state(n.id)?;
            Some(json!({
                "id": n.id,
                "name": state.name,
                "type": state.kind.type_name(),
                "parent": state.parent,
                "x": n.x,
                "y": n.y,
                "w": n.w,
                "h": n.h,
            }))
        })
        .collect();
    let edges: Vec<serde_json::Value> = laid
        .edges
        .iter()
        .map(|e| json!({"from": e.from, "to": e.to, "kind": e.kind.as_str()}))
        .collect();
    let mut out = json!({
        "width": laid.width,
        "height": laid.height,
        "nodes": nodes,
        "edges": edges,
        "warnings": definition.warnings,
    })
    .to_string();
    out.push('\n');
    out
}
