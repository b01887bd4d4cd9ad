//! The execution open in the pane: its last reading (kept while a new one is pending), the
//! graph laid out once per definition and collapsed set (colours never move a box), the
//! selected state (following the current one until the user moves), and the history table.

use std::collections::BTreeSet;

use unstuck_aws::api::ExecutionReading;
use unstuck_aws::model::asl::{Definition, StateId};
use unstuck_aws::model::step_functions::{
    ExecutionDetail, ExecutionStatus, HistoryEvent, StepRecord, StepStatus,
};
use unstuck_views::executions::props::Tone;
use unstuck_views::graph::{GraphLayout, layout_within};

use crate::state::shared::polled::Polled;

/// The width the graph is laid out towards (boxes shrink to fit before it grows wider).
pub const GRAPH_WIDTH: usize = 100;

pub type Reading = Box<(ExecutionDetail, ExecutionReading)>;

#[derive(Debug, Clone, PartialEq)]
pub struct OpenExecution {
    pub arn: String,
    pub data: Polled<Reading>,
    /// Laid out for the definition in `data` with `collapsed`.
    pub layout: GraphLayout,
    laid_for: Option<String>,
    pub collapsed: BTreeSet<StateId>,
    /// Per state id, its tone in this execution.
    pub tones: Vec<Tone>,
    /// State ids in reading order of the drawing (top to bottom, left to right).
    pub order: Vec<StateId>,
    pub selected: Option<StateId>,
    /// The selection jumps to the current state at each refresh.
    pub follow: bool,
    pub history_focused: bool,
    pub history_cursor: usize,
    /// Columns the graph is panned by (← →); moving the selection follows it again.
    pub pan_x: isize,
    /// A task token pasted with `:token` (wins over the one read from the history).
    pub pasted_token: Option<String>,
}

pub fn status_tone(status: ExecutionStatus) -> Tone {
    match status {
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => Tone::Running,
        ExecutionStatus::Succeeded => Tone::Ok,
        ExecutionStatus::Failed | ExecutionStatus::TimedOut => Tone::Failed,
        ExecutionStatus::Aborted => Tone::Warn,
    }
}

pub fn step_tone(step: Option<&StepRecord>) -> Tone {
    let Some(step) = step else {
        return Tone::Quiet;
    };
    match step.status {
        StepStatus::NotReached => Tone::Quiet,
        StepStatus::Running if step.retries() > 0 => Tone::Warn,
        StepStatus::Running => Tone::Running,
        StepStatus::Waiting => Tone::Stuck,
        StepStatus::Succeeded if step.retries() > 0 => Tone::Warn,
        StepStatus::Succeeded => Tone::Ok,
        StepStatus::Failed => Tone::Failed,
        StepStatus::Caught | StepStatus::Aborted => Tone::Warn,
    }
}

/// A history event's tone: failures red, the execution's end in its colour.
pub fn event_tone(event: &HistoryEvent) -> Tone {
    let kind = event.kind.as_str();
    if kind.ends_with("Failed") || kind.ends_with("TimedOut") {
        Tone::Failed
    } else if kind == "ExecutionSucceeded" {
        Tone::Ok
    } else if kind.ends_with("Aborted") || kind.ends_with("Redriven") {
        Tone::Warn
    } else if kind.ends_with("Submitted") || kind == "WaitStateEntered" {
        Tone::Stuck
    } else {
        Tone::Quiet
    }
}

impl OpenExecution {
    pub fn new(arn: String) -> Self {
        Self {
            arn,
            data: Polled::default(),
            layout: GraphLayout::default(),
            laid_for: None,
            collapsed: BTreeSet::new(),
            tones: Vec::new(),
            order: Vec::new(),
            selected: None,
            follow: true,
            history_focused: false,
            history_cursor: 0,
            pasted_token: None,
            pan_x: 0,
        }
    }

    pub fn detail(&self) -> Option<&ExecutionDetail> {
        self.data.data.as_ref().map(|d| &d.0)
    }

    pub fn reading(&self) -> Option<&ExecutionReading> {
        self.data.data.as_ref().map(|d| &d.1)
    }

    pub fn definition(&self) -> Option<&Definition> {
        self.reading().and_then(|r| r.definition.as_ref().ok())
    }

    pub fn events(&self) -> &[HistoryEvent] {
        self.reading().map_or(&[][..], |r| &r.events[..])
    }

    /// A new reading arrived: lay out again only if the definition changed.
    pub fn fetched(&mut self, at_ms: i64, reading: Reading) {
        self.data.fetched(at_ms, reading);
        let text = self.reading().map(|r| r.definition_text.clone());
        if text != self.laid_for {
            self.laid_for = text;
            self.collapsed.clear();
            self.relayout();
        }
        self.recolour();
        if self.follow {
            self.select_current();
        }
        let last = self.events().len().saturating_sub(1);
        if !self.history_focused {
            self.history_cursor = last;
        }
        self.history_cursor = self.history_cursor.min(last);
    }

    fn relayout(&mut self) {
        let Some(definition) = self.definition() else {
            self.layout = GraphLayout::default();
            self.order.clear();
            return;
        };
        let layout = layout_within(definition, GRAPH_WIDTH, &self.collapsed);
        let mut order: Vec<(usize, usize, StateId)> =
            layout.nodes.iter().map(|n| (n.y, n.x, n.id)).collect();
        order.sort_unstable();
        self.order = order.into_iter().map(|(_, _, id)| id).collect();
        self.layout = layout;
        if self.selected.is_some_and(|s| !self.order.contains(&s)) {
            self.selected = self.order.first().copied();
        }
    }

    fn recolour(&mut self) {
        let tones: Vec<Tone> = match (self.definition(), self.reading()) {
            (Some(d), Some(r)) => d
                .states
                .iter()
                .map(|s| step_tone(r.progress.step(&s.name)))
                .collect(),
            _ => Vec::new(),
        };
        self.tones = tones;
    }

    /// Select the state running or waiting now (the last entered), else where it ended.
    pub fn select_current(&mut self) {
        let (Some(definition), Some(reading)) = (self.definition(), self.reading()) else {
            return;
        };
        let progress = &reading.progress;
        let by_name = |name: &str| {
            self.order
                .iter()
                .copied()
                .find(|&id| definition.state(id).is_some_and(|s| s.name == name))
        };
        let active = progress.newest_active().and_then(|(name, _)| by_name(name));
        let last = || {
            reading
                .events
                .iter()
                .rev()
                .find_map(|e| e.state.as_deref())
                .and_then(by_name)
        };
        let chosen = active.or_else(last).or_else(|| self.order.first().copied());
        self.selected = chosen;
    }

    /// Move the selection `delta` states in reading order; the user took over.
    pub fn move_selection(&mut self, delta: isize) {
        if self.history_focused {
            let last = self.events().len().saturating_sub(1) as isize;
            self.history_cursor =
                (self.history_cursor as isize + delta).clamp(0, last.max(0)) as usize;
            return;
        }
        if self.order.is_empty() {
            return;
        }
        self.follow = false;
        self.pan_x = 0;
        let at = self
            .selected
            .and_then(|s| self.order.iter().position(|&o| o == s))
            .unwrap_or(0) as isize;
        let last = self.order.len() as isize - 1;
        self.selected = Some(self.order[(at + delta).clamp(0, last) as usize]);
    }

    /// Collapse or expand the selected Parallel or Map (or the one it sits in).
    pub fn toggle_collapse(&mut self) -> Option<String> {
        let definition = self.definition()?;
        let selected = self.selected?;
        let target = std::iter::successors(Some(selected), |&id| definition.state(id)?.parent)
            .find(|&id| {
                self.collapsed.contains(&id)
                    || definition.state(id).is_some_and(|s| s.kind.is_region())
            })?;
        let name = definition.state(target)?.name.clone();
        if !self.collapsed.remove(&target) {
            self.collapsed.insert(target);
        }
        self.selected = Some(target);
        self.relayout();
        Some(name)
    }

    /// The selected state's name.
    pub fn selected_name(&self) -> Option<&str> {
        let id = self.selected?;
        Some(self.definition()?.state(id)?.name.as_str())
    }

    /// The selected history event.
    pub fn selected_event(&self) -> Option<&HistoryEvent> {
        self.events().get(self.history_cursor)
    }
}
