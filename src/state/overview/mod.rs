//! The overview, the start pane: one screen answering "what is on fire". It polls the
//! alarms, canaries, the RUM monitors, the queue table, the functions' metrics over 3 h
//! (15 minutes against the 2 h 45 m before them) and the state machines; [`findings`]
//! orders what they say. `enter` opens the finding's pane with its resource selected.

pub mod findings;

use std::collections::{BTreeMap, BTreeSet};

use unstuck_aws::api::{
    Data, ExecutionsView, FunctionsData, FunctionsTopic, MachineRow, QueuesData, SignalsData,
    SignalsTopic, StepFunctionsData, StepFunctionsTopic, Topic,
};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::functions::{FunctionsTable, MetricWindow};
use unstuck_aws::model::queues::QueueSummary;
use unstuck_aws::model::signals::{AlarmRow, Canary, RumSummary};
use unstuck_views::overview::{FindingItem, OverviewProps, PartItem};
use unstuck_views::props::{Loadable, PaneProps};
use unstuck_views::zone::Zone;

use crate::config::{Action, Context, Keymap};
use crate::state::shared::durations::short_duration;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, cursor_delta, key_for, moved_cursor};
use crate::state::shared::polled::{PollError, Polled};
use crate::state::shell::panes::{Pane, PaneId};

pub use findings::{Finding, FindingKind, Overview, OverviewInputs, Severity, findings};

/// The window the overview compares the functions and the RUM monitors over.
pub const OVERVIEW_WINDOW: MetricWindow = MetricWindow::H3;

/// Machines with running executions scanned for stuck ones (those with the most running).
pub const STUCK_SCANNED_MACHINES: usize = 5;

/// The machines to scan for stuck executions: those with running executions, the most
/// running first, at most [`STUCK_SCANNED_MACHINES`].
pub fn stuck_scan_topics(machines: &[MachineRow]) -> Vec<StepFunctionsTopic> {
    let mut running: Vec<&MachineRow> = machines
        .iter()
        .filter(|m| m.running.is_some_and(|c| c.n > 0))
        .collect();
    running.sort_by_key(|m| std::cmp::Reverse(m.running.map(|c| (c.more, c.n))));
    running
        .into_iter()
        .take(STUCK_SCANNED_MACHINES)
        .map(|m| StepFunctionsTopic::StuckScan {
            machine_arn: m.summary.arn.clone(),
        })
        .collect()
}

/// The topics the overview reads.
pub fn overview_topics() -> [Topic; 6] {
    [
        Topic::ALARMS,
        Topic::CANARIES,
        Topic::Signals(SignalsTopic::Rum {
            window: OVERVIEW_WINDOW,
        }),
        Topic::QUEUES,
        // Calls, errors, throttles and p99 only, every 5 minutes: the findings need no more,
        // and GetMetricData bills by the metric.
        Topic::Functions(FunctionsTopic::Health {
            window: OVERVIEW_WINDOW,
        }),
        Topic::STATE_MACHINES,
    ]
}

#[derive(Debug, Default)]
pub struct OverviewPane {
    alarms: Polled<Vec<AlarmRow>>,
    canaries: Polled<Vec<Canary>>,
    rum: Polled<Vec<RumSummary>>,
    queues: Polled<Vec<QueueSummary>>,
    functions: Polled<FunctionsTable>,
    machines: Polled<Vec<MachineRow>>,
    /// Each machine scanned for stuck executions, by ARN, with what the scan found.
    stuck: BTreeMap<String, Polled<ExecutionsView>>,
    /// The same, as the findings take it (rebuilt with them).
    stuck_found: BTreeMap<String, ExecutionsView>,
    /// The last depth seen of each DLQ: (when, visible).
    depths: BTreeMap<String, (i64, u64)>,
    growth: BTreeMap<String, f64>,
    dlq_since: BTreeMap<String, i64>,
    overview: Overview,
    cursor: usize,
}

impl OverviewPane {
    pub fn overview(&self) -> &Overview {
        &self.overview
    }

    fn rebuild(&mut self) {
        // Only the machines still scanned count (one whose executions ended drops out).
        let scanned: BTreeSet<String> = self
            .scan_topics()
            .into_iter()
            .filter_map(|t| match t {
                StepFunctionsTopic::StuckScan { machine_arn } => Some(machine_arn),
                _ => None,
            })
            .collect();
        self.stuck.retain(|arn, _| scanned.contains(arn));
        self.stuck_found = self
            .stuck
            .iter()
            .filter_map(|(arn, p)| Some((arn.clone(), p.data.clone()?)))
            .collect();
        self.overview = findings(&OverviewInputs {
            alarms: self.alarms.data.as_deref(),
            canaries: self.canaries.data.as_deref(),
            rum: self.rum.data.as_deref(),
            queues: self.queues.data.as_deref(),
            queue_growth: Some(&self.growth),
            dlq_since: Some(&self.dlq_since),
            functions: self.functions.data.as_ref(),
            machines: self.machines.data.as_deref(),
            stuck: self.machines.data.is_some().then_some(&self.stuck_found),
        });
        self.cursor = self
            .cursor
            .min(self.overview.findings.len().saturating_sub(1));
    }

    fn scan_topics(&self) -> Vec<StepFunctionsTopic> {
        self.machines
            .data
            .as_deref()
            .map(stuck_scan_topics)
            .unwrap_or_default()
    }

    fn on_queues(&mut self, rows: &[QueueSummary], at_ms: i64) {
        for row in rows.iter().filter(|r| r.is_dlq()) {
            let arn = row.attributes.arn.clone();
            let depth = row.attributes.visible;
            if let Some((then, before)) = self.depths.get(&arn)
                && at_ms > *then
            {
                let per_min = (depth as f64 - *before as f64) * 60_000.0 / (at_ms - then) as f64;
                self.growth.insert(arn.clone(), per_min);
            }
            self.depths.insert(arn.clone(), (at_ms, depth));
            if row.attributes.depth() == 0 {
                self.dlq_since.remove(&arn);
            } else {
                self.dlq_since.entry(arn).or_insert(at_ms);
            }
        }
        self.queues.fetched(at_ms, rows.to_vec());
    }

    /// The pane and focus a finding opens.
    fn target(finding: &Finding) -> (PaneId, Focus) {
        let name = finding.resource.clone();
        let arn = finding.arn.clone().unwrap_or_else(|| name.clone());
        match finding.kind {
            FindingKind::Alarm | FindingKind::Canary | FindingKind::Rum => {
                (PaneId::Signals, Focus::Signal(name))
            }
            FindingKind::Dlq => (PaneId::Queues, Focus::Queue(arn)),
            FindingKind::Function => (PaneId::Functions, Focus::Function(name)),
            FindingKind::Executions => (PaneId::Executions, Focus::Machine(arn)),
            // One execution stuck opens it; several, their machine's list.
            FindingKind::Stuck if arn.contains(":execution:") => {
                (PaneId::Executions, Focus::Execution(arn))
            }
            FindingKind::Stuck => (PaneId::Executions, Focus::Machine(arn)),
        }
    }

    /// Each part with its freshness, for the status row.
    fn parts(&self, now_ms: i64) -> Vec<PartItem> {
        fn part<T>(label: &'static str, p: &Polled<T>, now_ms: i64) -> PartItem {
            PartItem {
                label,
                freshness: match (p.age_ms(now_ms), &p.error) {
                    (None, None) => "…".into(),
                    (None, Some(_)) => "failed".into(),
                    (Some(age), e) => format!(
                        "{}{}",
                        short_duration(age),
                        if e.is_some() { " stale" } else { "" }
                    ),
                },
                failed: p.error.is_some(),
            }
        }
        vec![
            part("alarms", &self.alarms, now_ms),
            part("canaries", &self.canaries, now_ms),
            part("rum", &self.rum, now_ms),
            part("queues", &self.queues, now_ms),
            self.functions_part(part("functions", &self.functions, now_ms), now_ms),
            part("executions", &self.machines, now_ms),
            PartItem {
                label: "stuck",
                freshness: self.stuck_freshness(now_ms),
                failed: self.stuck.values().any(|p| p.error.is_some()),
            },
        ]
    }

    /// A large account's functions are read one by one only now and then (the account's
    /// totals at every poll): how old those rows are, too.
    fn functions_part(&self, mut item: PartItem, now_ms: i64) -> PartItem {
        if let Some(at_ms) = self.functions.data.as_ref().and_then(|t| t.rows_read_at_ms) {
            item.freshness = format!(
                "{}, each {}",
                item.freshness,
                short_duration(now_ms.saturating_sub(at_ms))
            );
        }
        item
    }

    /// The stuck scans' freshness: that of the oldest, "none running" when there is nothing
    /// to scan.
    fn stuck_freshness(&self, now_ms: i64) -> String {
        if self.machines.data.is_some() && self.scan_topics().is_empty() {
            return "none running".into();
        }
        let failed = self.stuck.values().filter(|p| p.error.is_some()).count();
        match self.stuck.values().filter_map(|p| p.age_ms(now_ms)).max() {
            None if failed > 0 => "failed".into(),
            None => "…".into(),
            Some(age) if failed > 0 => format!("{} stale", short_duration(age)),
            Some(age) => short_duration(age),
        }
    }

    fn errors(&self) -> impl Iterator<Item = &PollError> {
        [
            self.alarms.error.as_ref(),
            self.canaries.error.as_ref(),
            self.rum.error.as_ref(),
            self.queues.error.as_ref(),
            self.functions.error.as_ref(),
            self.machines.error.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(self.stuck.values().filter_map(|p| p.error.as_ref()))
    }

    fn any_data(&self) -> bool {
        self.alarms.data.is_some()
            || self.canaries.data.is_some()
            || self.rum.data.is_some()
            || self.queues.data.is_some()
            || self.functions.data.is_some()
            || self.machines.data.is_some()
    }
}

impl Pane for OverviewPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            self.cursor = moved_cursor(self.cursor, delta, self.overview.findings.len());
            return Vec::new();
        }
        if action == Action::Open
            && let Some(finding) = self.overview.findings.get(self.cursor)
        {
            let (pane, focus) = Self::target(finding);
            return vec![Effect::Goto {
                pane,
                focus,
                show: true,
            }];
        }
        Vec::new()
    }

    fn on_polled(
        &mut self,
        topic: &Topic,
        result: &Result<Data, BackendError>,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        let at = ctx.now_ms;
        if let Topic::StepFunctions(StepFunctionsTopic::StuckScan { machine_arn }) = topic {
            let scan = self.stuck.entry(machine_arn.clone()).or_default();
            match result {
                Ok(Data::StepFunctions(StepFunctionsData::Executions(view))) => {
                    scan.fetched(at, view.clone());
                }
                Ok(_) => return Vec::new(),
                Err(e) => scan.failed(&topic.resource(), at, e),
            }
            self.rebuild();
            return Vec::new();
        }
        let wanted = overview_topics();
        if !wanted.contains(topic) {
            return Vec::new();
        }
        match result {
            Ok(Data::Signals(SignalsData::Alarms(rows))) => self.alarms.fetched(at, rows.clone()),
            Ok(Data::Signals(SignalsData::Canaries(rows))) => {
                self.canaries.fetched(at, rows.clone())
            }
            Ok(Data::Signals(SignalsData::Rum { monitors, .. })) => {
                self.rum.fetched(at, monitors.clone())
            }
            Ok(Data::Queues(QueuesData::Table(rows))) => self.on_queues(rows, at),
            Ok(Data::Functions(FunctionsData::Table(table))) => {
                self.functions.fetched(at, (**table).clone())
            }
            Ok(Data::StepFunctions(StepFunctionsData::Machines(rows))) => {
                self.machines.fetched(at, rows.clone())
            }
            Ok(_) => return Vec::new(),
            Err(e) => {
                let resource = topic.resource();
                match topic {
                    Topic::Signals(SignalsTopic::Alarms) => self.alarms.failed(&resource, at, e),
                    Topic::Signals(SignalsTopic::Canaries) => {
                        self.canaries.failed(&resource, at, e)
                    }
                    Topic::Signals(SignalsTopic::Rum { .. }) => self.rum.failed(&resource, at, e),
                    Topic::Queues(_) => self.queues.failed(&resource, at, e),
                    Topic::Functions(_) => self.functions.failed(&resource, at, e),
                    _ => self.machines.failed(&resource, at, e),
                }
            }
        }
        self.rebuild();
        Vec::new()
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if visible {
            out.extend(overview_topics());
            out.extend(self.scan_topics().into_iter().map(Topic::StepFunctions));
        }
    }

    fn props<'a>(&'a self, keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a> {
        let errors: Vec<&PollError> = self.errors().collect();
        let state = match (self.any_data(), errors.first()) {
            (false, None) => Loadable::Loading,
            (false, Some(e)) => Loadable::Failed(e.headline.clone()),
            (true, Some(e)) => Loadable::Stale(format!(
                "{} of {} parts failed: {}",
                errors.len(),
                6 + self.stuck.len(),
                e.headline
            )),
            (true, None) => Loadable::Ready,
        };
        let items = self
            .overview
            .findings
            .iter()
            .map(|f| FindingItem {
                critical: f.severity == Severity::Critical,
                kind: kind_label(f.kind),
                resource: &f.resource,
                summary: &f.summary,
                since_clock: f.since.map(|s| zone.clock(s)),
                since_ago: f
                    .since
                    .map(|s| format!("{} ago", short_duration(now_ms - s))),
            })
            .collect();
        let healthy = self
            .overview
            .healthy
            .iter()
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
        let critical = self
            .overview
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Critical)
            .count();
        PaneProps::Overview(OverviewProps {
            title: format!(
                "overview · {} critical · {} warnings",
                critical,
                self.overview.findings.len() - critical
            ),
            state,
            hint: format!(
                "{} open in its pane · {} refresh",
                key_for(keymap, Context::Overview, Action::Open),
                key_for(keymap, Context::Overview, Action::Refresh)
            ),
            items,
            cursor: self.cursor,
            healthy,
            parts: self.parts(now_ms),
        })
    }

    fn is_stale(&self) -> bool {
        self.errors().next().is_some() && self.any_data()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        [
            self.alarms.fetched_ms,
            self.canaries.fetched_ms,
            self.rum.fetched_ms,
            self.queues.fetched_ms,
            self.functions.fetched_ms,
            self.machines.fetched_ms,
        ]
        .into_iter()
        .flatten()
        .max()
    }

    fn last_error(&self) -> Option<&PollError> {
        self.errors().max_by_key(|e| e.at_ms)
    }
}

pub fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Alarm => "alarm",
        FindingKind::Canary => "canary",
        FindingKind::Rum => "rum",
        FindingKind::Dlq => "dlq",
        FindingKind::Function => "function",
        FindingKind::Executions => "executions",
        FindingKind::Stuck => "stuck",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unstuck_aws::model::functions::FunctionsTable;

    fn functions_freshness(pane: &OverviewPane, now_ms: i64) -> String {
        pane.parts(now_ms)
            .into_iter()
            .find(|p| p.label == "functions")
            .map(|p| p.freshness)
            .unwrap_or_default()
    }

    #[test]
    fn the_functions_part_says_how_old_the_per_function_reads_are() {
        let mut pane = OverviewPane::default();
        pane.functions.fetched(0, FunctionsTable::default());
        assert_eq!(functions_freshness(&pane, 120_000), "2m");
        let served = FunctionsTable {
            rows_read_at_ms: Some(0),
            ..FunctionsTable::default()
        };
        pane.functions.fetched(40 * 60_000, served);
        assert_eq!(functions_freshness(&pane, 42 * 60_000), "2m, each 42m");
    }
}
