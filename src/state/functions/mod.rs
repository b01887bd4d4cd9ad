//! The functions pane: every Lambda function with its numbers over a window (`w` cycles
//! 15m / 1h / 3h / 24h), sorted by any column (`s` next column, `S` reverses), the ones in
//! trouble in the failed colour, cold starts from a Logs Insights query over REPORT lines,
//! an estimated cost, account concurrency, and charts of the selected function. `enter`
//! tails its logs; `o` follows where it leads (the queue that feeds it, the machines that
//! invoke it, its destinations and dead-letter queue, one after another); `m` shows
//! everything behind the row.

mod charts;
pub mod columns;
mod detail;
pub mod leads;

use std::collections::{BTreeMap, BTreeSet};

use unstuck_aws::api::{Data, FunctionsData, FunctionsTopic, Topic};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::functions::{
    ColdStarts, FunctionDestinations, FunctionRow, FunctionsTable, Invoker, MetricWindow,
};
use unstuck_views::functions::{FunctionItem, FunctionsProps};
use unstuck_views::props::PaneProps;
use unstuck_views::zone::Zone;

use crate::config::{Action, Context, Keymap};
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest, cursor_delta, key_for, moved_cursor};
use crate::state::shared::polled::{PollError, Polled};
use crate::state::shell::panes::{Pane, PaneId};

use columns::{COLUMNS, ColumnKind, VIEW_COLUMNS, compare, in_trouble};

/// Cold starts of one window, as one query counted them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColdStartCounts {
    pub window: MetricWindow,
    pub by_function: BTreeMap<String, ColdStarts>,
    pub bytes_scanned: f64,
}

#[derive(Debug)]
pub struct FunctionsPane {
    window: MetricWindow,
    /// The last table read: of another window while the chosen one is on its way.
    table: Polled<FunctionsTable>,
    cold: Polled<ColdStartCounts>,
    cursor: usize,
    /// Sort key (0 = name, i = column i-1) and whether descending.
    sort: (usize, bool),
    filter: Option<String>,
    /// A function another pane asked for, selected once the table has it.
    wanted: Option<String>,
    /// The chart point chosen (left/right), counted from the window's start; None: now.
    point: Option<usize>,
    /// Destinations read, by function (only for the functions asked about).
    destinations: BTreeMap<String, Polled<FunctionDestinations>>,
    /// The state machines invoking a function, by function (likewise).
    invokers: BTreeMap<String, Polled<Vec<Invoker>>>,
    /// The function whose destinations are wanted (read while the pane is shown).
    leads_for: Option<String>,
    /// `o` was pressed before they were read: follow the first lead when they are.
    open_when_read: bool,
    /// Which of its leads `o` opens next (it cycles).
    lead_turn: usize,
}

impl Default for FunctionsPane {
    fn default() -> Self {
        let errors = 1 + COLUMNS
            .iter()
            .position(|(k, _)| *k == ColumnKind::Errors)
            .unwrap_or(0);
        Self {
            window: MetricWindow::H1,
            table: Polled::default(),
            cold: Polled::default(),
            cursor: 0,
            sort: (errors, true),
            filter: None,
            wanted: None,
            point: None,
            destinations: BTreeMap::new(),
            invokers: BTreeMap::new(),
            leads_for: None,
            open_when_read: false,
            lead_turn: 0,
        }
    }
}

impl FunctionsPane {
    fn table_topic(&self) -> Topic {
        Topic::Functions(FunctionsTopic::Table {
            window: self.window,
        })
    }

    fn cold_of(&self, name: &str) -> Option<&ColdStarts> {
        self.cold
            .data
            .as_ref()
            .filter(|c| c.window == self.window)
            .and_then(|c| c.by_function.get(name))
    }

    /// The rows the filter takes, in the chosen order.
    pub fn shown(&self) -> Vec<&FunctionRow> {
        let Some(table) = &self.table.data else {
            return Vec::new();
        };
        let mut rows: Vec<&FunctionRow> = table
            .rows
            .iter()
            .filter(|r| {
                self.filter
                    .as_deref()
                    .is_none_or(|f| r.config.name.contains(f))
            })
            .collect();
        let (key, desc) = self.sort;
        rows.sort_by(|a, b| {
            compare(
                key,
                desc,
                (a, self.cold_of(&a.config.name)),
                (b, self.cold_of(&b.config.name)),
            )
        });
        rows
    }

    fn selected(&self) -> Option<&FunctionRow> {
        self.shown().get(self.cursor).copied()
    }

    fn select_wanted(&mut self) {
        let Some(name) = self.wanted.clone() else {
            return;
        };
        self.filter = None;
        if let Some(i) = self.shown().iter().position(|r| r.config.name == name) {
            self.cursor = i;
            self.wanted = None;
        }
    }

    fn set_window(&mut self, window: MetricWindow, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        self.window = window;
        self.point = None;
        ctx.info(format!("functions over the last {}", window.label()));
        vec![Effect::Refresh(self.table_topic())]
    }

    fn account_line(&self, table: &FunctionsTable) -> String {
        let a = &table.account;
        let concurrency = match (a.claimed_max, a.limit) {
            (Some(c), Some(l)) if l > 0 => format!(
                "account concurrency: peak {c:.0} of {l} ({:.0}%)",
                c * 100.0 / f64::from(l)
            ),
            (Some(c), _) => format!("account concurrency: peak {c:.0} (limit not read)"),
            (None, Some(l)) => format!("account concurrency: limit {l}, claimed not published"),
            (None, None) => "account concurrency: not published".to_string(),
        };
        let total: f64 = table
            .rows
            .iter()
            .map(|r| unstuck_aws::model::functions::estimated_cost(&r.config, &r.metrics))
            .sum();
        let cold = match (&self.cold.data, &self.cold.error) {
            (Some(c), _) if c.window == self.window => format!(
                "cold starts: REPORT lines via Logs Insights, {:.1} MB scanned (~{})",
                c.bytes_scanned / 1e6,
                columns::dollars(
                    c.bytes_scanned / 1e9 * crate::state::insights::DEFAULT_PRICE_PER_GB
                )
            ),
            (_, Some(e)) => format!("cold starts: {}", e.headline),
            _ => "cold starts: counting REPORT lines…".to_string(),
        };
        let percentiles = if table.percentiles_refused.is_some() {
            " · p50/p95/p99: this endpoint computes no percentiles"
        } else {
            ""
        };
        format!(
            "{concurrency} · est. cost {} over {} · {cold}{percentiles}",
            columns::dollars(total),
            table.window.label()
        )
    }
}

impl Pane for FunctionsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            let was = self.cursor;
            self.cursor = moved_cursor(self.cursor, delta, self.shown().len());
            if self.cursor != was {
                self.point = None;
            }
            return Vec::new();
        }
        match action {
            Action::ScrollLeft | Action::ScrollRight => {
                let delta = if action == Action::ScrollLeft { -1 } else { 1 };
                self.point = charts::stepped_point(self.point, delta, self.window.points());
            }
            Action::CycleWindow => return self.set_window(self.window.next(), ctx),
            Action::CycleSort => {
                let next = (self.sort.0 + 1) % (COLUMNS.len() + 1);
                // Names ascend, numbers descend (the biggest first).
                self.sort = (next, next != 0);
                let label = self
                    .sort
                    .0
                    .checked_sub(1)
                    .map_or("NAME", |i| COLUMNS[i].1.label);
                ctx.info(format!("sorted by {label}"));
            }
            Action::ReverseSort => self.sort.1 = !self.sort.1,
            Action::ClearFilter => {
                self.filter = None;
                self.cursor = 0;
                self.point = None;
            }
            Action::Open => {
                let point = self.point.zip(self.table.data.as_ref());
                if let Some(row) = self.selected() {
                    let group = row.config.log_group();
                    // From the chosen point's period, or a tail from now.
                    let focus = match point {
                        Some((i, table)) => Focus::StepLogs {
                            group,
                            since_ms: charts::point_window(table, i).0,
                            request_id: None,
                        },
                        None => Focus::TailGroups(vec![group]),
                    };
                    return vec![Effect::Goto {
                        pane: PaneId::Logs,
                        focus,
                        show: true,
                    }];
                }
            }
            Action::OpenSource => return self.open_source(ctx),
            Action::Expand => {
                if let (Some(row), Some(table)) = (self.selected(), &self.table.data) {
                    let cold = self.cold_of(&row.config.name).copied();
                    let (all, read) = self.leads_of(row);
                    let name = row.config.name.clone();
                    ctx.request(ShellRequest::OpenDetail(detail::function_detail(
                        row,
                        table,
                        cold,
                        (&all, read),
                        ctx.zone,
                    )));
                    // Read its destinations for the next look (and for `o`).
                    self.ask_leads_of(&name);
                }
            }
            _ => {}
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
        match (topic, result) {
            (
                Topic::Functions(FunctionsTopic::Table { window }),
                Ok(Data::Functions(FunctionsData::Table(t))),
            ) if *window == self.window => {
                self.table.fetched(at, (**t).clone());
                self.cursor = self.cursor.min(self.shown().len().saturating_sub(1));
                self.select_wanted();
            }
            (Topic::Functions(FunctionsTopic::Table { window }), Err(e))
                if *window == self.window =>
            {
                self.table.failed(&topic.resource(), at, e);
                if ctx.visible {
                    ctx.error(
                        self.table
                            .error
                            .as_ref()
                            .map(|e| e.headline.clone())
                            .unwrap_or_default(),
                    );
                }
            }
            (
                Topic::Functions(FunctionsTopic::ColdStarts { .. }),
                Ok(Data::Functions(FunctionsData::ColdStarts {
                    window,
                    by_function,
                    bytes_scanned,
                })),
            ) => self.cold.fetched(
                at,
                ColdStartCounts {
                    window: *window,
                    by_function: by_function.clone(),
                    bytes_scanned: *bytes_scanned,
                },
            ),
            (Topic::Functions(FunctionsTopic::ColdStarts { .. }), Err(e)) => {
                self.cold.failed("cold starts", at, e)
            }
            (Topic::Functions(FunctionsTopic::Destinations { function }), result) => {
                let read = result.as_ref().map(|data| match data {
                    Data::Functions(FunctionsData::Destinations { destinations, .. }) => {
                        Some(destinations)
                    }
                    _ => None,
                });
                let resource = topic.resource();
                leads::keep_read(&mut self.destinations, function, (&resource, at), read);
                return self.follow_when_read(function, ctx);
            }
            (Topic::Functions(FunctionsTopic::Invokers { function }), result) => {
                let read = result.as_ref().map(|data| match data {
                    Data::Functions(FunctionsData::Invokers { machines, .. }) => Some(machines),
                    _ => None,
                });
                let resource = topic.resource();
                leads::keep_read(&mut self.invokers, function, (&resource, at), read);
                return self.follow_when_read(function, ctx);
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_focus(&mut self, focus: Focus, _ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Focus::Function(name) = focus {
            self.wanted = Some(name);
            self.select_wanted();
        }
        Vec::new()
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if visible {
            out.insert(self.table_topic());
            out.insert(Topic::Functions(FunctionsTopic::ColdStarts {
                window: self.window,
            }));
            if let Some(function) = &self.leads_for {
                out.insert(Topic::Functions(FunctionsTopic::Destinations {
                    function: function.clone(),
                }));
                out.insert(Topic::Functions(FunctionsTopic::Invokers {
                    function: function.clone(),
                }));
            }
        }
    }

    fn filter_text(&self) -> Option<&str> {
        self.filter.as_deref()
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        self.filter = text.filter(|t| !t.is_empty()).map(str::to_string);
        self.cursor = 0;
        Ok(())
    }

    fn props<'a>(&'a self, keymap: &Keymap, _now_ms: i64, zone: Zone) -> PaneProps<'a> {
        let shown = self.shown();
        let table = self.table.data.as_ref();
        let pending = table.is_some_and(|t| t.window != self.window);
        let k = |a| key_for(keymap, Context::Functions, a);
        let items = shown
            .iter()
            .map(|row| FunctionItem {
                name: &row.config.name,
                cells: COLUMNS
                    .iter()
                    .map(|(kind, _)| columns::cell(*kind, row, self.cold_of(&row.config.name)))
                    .collect(),
                trend: row.metrics.invocations_series.clone(),
                trouble: in_trouble(row),
            })
            .collect();
        let trouble = shown.iter().filter(|r| in_trouble(r)).count();
        let charts = match (shown.get(self.cursor), table) {
            (Some(row), Some(t)) => charts::charts(row, t, self.point, zone),
            _ => Vec::new(),
        };
        PaneProps::Functions(FunctionsProps {
            title: format!(
                "functions · {} · {} in trouble · last {}{}{}",
                shown.len(),
                trouble,
                self.window.label(),
                if pending {
                    " (loading; older window shown)"
                } else {
                    ""
                },
                self.filter
                    .as_deref()
                    .map(|f| format!(" · /{f}"))
                    .unwrap_or_default(),
            ),
            state: self.table.loadable(),
            hint: format!(
                "{} {} · {}/{} chart point · {} window · {} sort · {} reverse · {} where it leads · {} details",
                k(Action::Open),
                if self.point.is_some() {
                    "logs of the point"
                } else {
                    "tail logs"
                },
                k(Action::ScrollLeft),
                k(Action::ScrollRight),
                k(Action::CycleWindow),
                k(Action::CycleSort),
                k(Action::ReverseSort),
                k(Action::OpenSource),
                k(Action::Expand),
            ),
            account: table.map(|t| self.account_line(t)).unwrap_or_default(),
            columns: &VIEW_COLUMNS,
            sort: self.sort,
            items,
            cursor: self.cursor,
            charts,
        })
    }

    fn is_stale(&self) -> bool {
        self.table.is_stale()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        self.table.fetched_ms
    }

    fn last_error(&self) -> Option<&PollError> {
        self.table.error.as_ref().or(self.cold.error.as_ref())
    }
}
