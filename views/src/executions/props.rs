//! What the executions pane hands to its view: the machines, one machine's executions, or one
//! execution (its graph, the selected state's details and the history).

use unstuck_aws::model::asl::{Definition, StateId};

use crate::graph::GraphLayout;
use crate::props::{DetailLine, Loadable};

/// How a state, an execution or a count is coloured (theme slots `status.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Not reached, or nothing to say.
    #[default]
    Quiet,
    Running,
    /// Waiting on something outside, or stuck.
    Stuck,
    Ok,
    Failed,
    /// Failed and caught, retried, aborted: worth a look, not on fire.
    Warn,
}

pub struct MachineItem<'a> {
    pub name: &'a str,
    /// "standard" or "express".
    pub kind: &'static str,
    /// "3", "100+", or "—" when not counted.
    pub running: String,
    pub failed_24h: String,
    pub failed_tone: Tone,
    pub last_start: String,
}

pub struct ExecutionItem<'a> {
    pub name: &'a str,
    pub status: &'static str,
    pub tone: Tone,
    pub started: String,
    pub duration: String,
    pub redrives: u32,
    /// Why it is stuck, in words ("" when it is not, "?" when not read yet).
    pub stuck: &'a str,
}

/// One row of the history table.
pub struct HistoryItem<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub state: &'a str,
    pub time: String,
    /// Since the execution started ("+12.3s").
    pub elapsed: String,
    pub tone: Tone,
}

/// One execution, drawn as a graph beside the selected state's details, over its history.
pub struct ExecutionView<'a> {
    /// Name, status, start, duration, redrives.
    pub headline: String,
    pub tone: Tone,
    /// Stuck reasons, then what is odd (truncated history, a definition that does not parse).
    pub notes: Vec<(Tone, String)>,
    /// None: the definition did not parse (the note says why).
    pub definition: Option<&'a Definition>,
    pub layout: &'a GraphLayout,
    /// Per state id, its tone in this execution.
    pub tones: &'a [Tone],
    pub selected: Option<StateId>,
    /// Columns the user panned the graph by (← →), from where the selection puts it.
    pub pan_x: isize,
    /// The selected state's details (status, times, retries, error, input, output).
    pub details: Vec<DetailLine>,
    /// The same in one line, for a screen too narrow for the details column.
    pub selected_line: String,
    pub history: Vec<HistoryItem<'a>>,
    /// Index into `history` of the cursor, and whether the history has the keys.
    pub history_cursor: usize,
    pub history_focused: bool,
    pub history_total: usize,
}

pub enum ExecutionsBody<'a> {
    Machines {
        items: Vec<MachineItem<'a>>,
        cursor: usize,
    },
    Executions {
        items: Vec<ExecutionItem<'a>>,
        cursor: usize,
        /// "running executions of tax: 3 stuck; 100+ listed" and the like.
        summary: String,
    },
    Execution(Box<ExecutionView<'a>>),
}

pub struct ExecutionsProps<'a> {
    pub title: String,
    pub state: Loadable,
    pub body: ExecutionsBody<'a>,
    /// The keys of this level ("enter open · s status · / name").
    pub hint: String,
}
