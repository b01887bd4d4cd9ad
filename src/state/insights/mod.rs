//! The Logs Insights pane: the saved queries, and the table of the last query run over the
//! tailed groups (`:insights [SINCE] QUERY|NAME`, or `I` in the logs pane), with its status,
//! the bytes it scanned and their cost. One query at a time: a new one replaces the last,
//! `x` stops it in AWS. Its seam with the shell is the [`Pane`] impl below.

mod run;
mod saved;

use unstuck_aws::model::{DEFAULT_INSIGHTS_LIMIT, InsightsQuery, MAX_INSIGHTS_GROUPS};
use unstuck_views::insights::props::{InsightsBody, InsightsProps, SavedItem};
use unstuck_views::props::PaneProps;
use unstuck_views::zone::Zone;

use crate::config::{Action, Keymap};
use crate::insights::{InsightsJob, InsightsReport};
use crate::state::logs::parse_since_in;
use crate::state::shared::detail::Detail;
use crate::state::shared::durations::short_duration;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest, cursor_delta};
use crate::state::shared::thousands::count;
use crate::state::shell::palette::CommandSpec;
use crate::state::shell::panes::Pane;
use crate::tail::TailReport;

pub use run::{InsightsRun, cost_text};
pub use saved::{DEFAULT_PRICE_PER_GB, SHIPPED_QUERIES, SavedQuery, saved_queries};

/// The window of a query when nothing set one (`I` in the logs pane uses its oldest line).
pub const DEFAULT_WINDOW_MS: i64 = 3_600_000;

const INSIGHTS_COMMANDS: &[CommandSpec] = &[CommandSpec::new(
    "insights",
    "run a Logs Insights query over the tailed groups: [SINCE] QUERY, or a saved one's name",
)
.aliases(&["query"])
.optional(
    "[SINCE] QUERY|NAME",
    "e.g. cold-starts, or 2h stats count(*) by @log",
)];

/// The insights pane's settings (config.toml `[insights]` and `insights_price_per_gb`).
#[derive(Debug, Clone, PartialEq)]
pub struct InsightsSettings {
    pub saved: Vec<SavedQuery>,
    pub price_per_gb: f64,
}

impl Default for InsightsSettings {
    fn default() -> Self {
        Self {
            saved: saved_queries(&[]),
            price_per_gb: DEFAULT_PRICE_PER_GB,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct InsightsPane {
    pub settings: InsightsSettings,
    /// The groups the logs pane tails (from its tail's reports, or `I`).
    pub groups: Vec<String>,
    /// Where the logs pane's lines start, when `I` said so: the default window's start.
    pub window_start_ms: Option<i64>,
    pub run: Option<InsightsRun>,
    pub next_job: u64,
    /// Showing the table of the last run (else the saved queries).
    pub showing_results: bool,
    /// The selected saved query, and the selected row of the table.
    pub saved_cursor: usize,
    pub row_cursor: usize,
    pub h_scroll: usize,
    pub page_rows: usize,
}

impl InsightsPane {
    pub fn new(settings: InsightsSettings) -> Self {
        Self {
            settings,
            page_rows: 10,
            ..Self::default()
        }
    }

    /// Runs `text` (a saved query's name, or a query, after an optional SINCE).
    pub fn start(&mut self, text: &str, now_ms: i64, zone: Zone) -> Result<Vec<Effect>, String> {
        let text = text.trim();
        let (since, rest) = match text.split_once(char::is_whitespace) {
            Some((first, rest)) => match parse_since_in(first, now_ms, zone) {
                Ok(back) => (Some(now_ms.saturating_sub(back)), rest.trim()),
                Err(_) => (None, text),
            },
            None => (None, text),
        };
        let (name, query) = match self.settings.saved.iter().find(|q| q.name == rest) {
            Some(saved) => (Some(saved.name.clone()), saved.query.clone()),
            None => (None, rest.to_string()),
        };
        if query.is_empty() {
            return Err("give a query, or the name of a saved one".into());
        }
        if self.groups.is_empty() {
            return Err("no log groups are tailed: choose some first (:groups)".into());
        }
        if self.groups.len() > MAX_INSIGHTS_GROUPS {
            return Err(format!(
                "Logs Insights takes at most {MAX_INSIGHTS_GROUPS} log groups and {} are \
                 tailed: narrow the tail (:prefix) first",
                self.groups.len()
            ));
        }
        let start_ms = since
            .or(self.window_start_ms)
            .unwrap_or(now_ms - DEFAULT_WINDOW_MS)
            .min(now_ms - 1_000);
        let query = InsightsQuery {
            groups: self.groups.clone(),
            start_ms,
            end_ms: now_ms,
            query,
            limit: DEFAULT_INSIGHTS_LIMIT,
        };
        self.next_job += 1;
        let job = self.next_job;
        self.run = Some(InsightsRun::new(job, name, query.clone(), now_ms));
        self.showing_results = true;
        self.row_cursor = 0;
        self.h_scroll = 0;
        Ok(vec![Effect::RunInsights(InsightsJob { job, query })])
    }

    /// A report of the running query (an older job's are dropped).
    pub fn on_report(&mut self, report: InsightsReport, ctx: &mut PaneCtx<'_>) {
        let Some(run) = self.run.as_mut().filter(|r| r.job == report.job) else {
            return;
        };
        let was_running = run.is_running();
        run.apply(report.update, ctx.now_ms);
        if was_running && !run.is_running() {
            let what = run.name.clone().unwrap_or_else(|| "query".into());
            match &run.error {
                Some(error) => ctx.error(format!("insights {what}: {error}")),
                None => ctx.info(format!(
                    "insights {what}: {}",
                    run.summary(ctx.now_ms, self.settings.price_per_gb)
                )),
            }
        }
    }

    fn rows(&self) -> usize {
        self.run
            .as_ref()
            .and_then(|r| r.results.as_ref())
            .map_or(0, |r| r.rows.len())
    }

    fn move_cursor(&mut self, delta: isize) {
        let rows = self.rows();
        let (cursor, len) = if self.showing_results {
            (&mut self.row_cursor, rows)
        } else {
            (&mut self.saved_cursor, self.settings.saved.len())
        };
        let last = len.saturating_sub(1) as isize;
        *cursor = (*cursor as isize)
            .saturating_add(delta)
            .clamp(0, last.max(0)) as usize;
    }

    /// The selected row in full, field by field.
    fn row_detail(&self) -> Option<Detail> {
        let results = self.run.as_ref()?.results.as_ref()?;
        let row = results.rows.get(self.row_cursor)?;
        let lines: Vec<String> = results
            .columns
            .iter()
            .zip(row)
            .map(|(column, value)| format!("{column}: {value}"))
            .collect();
        Some(Detail::text(format!("row {}", self.row_cursor + 1), &lines))
    }

    fn title(&self, now_ms: i64, zone: Zone) -> String {
        let window = match &self.run {
            Some(run) if self.showing_results => {
                format!(
                    "{} → {}",
                    zone.clock(run.query.start_ms),
                    zone.clock(run.query.end_ms)
                )
            }
            _ => {
                let start = self.window_start_ms.unwrap_or(now_ms - DEFAULT_WINDOW_MS);
                format!("last {}", short_duration(now_ms - start))
            }
        };
        format!(
            "insights · {} · {window}",
            count(self.groups.len(), "group")
        )
    }
}

impl Pane for InsightsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Some(delta) = cursor_delta(action, self.page_rows) {
            self.move_cursor(delta);
            return Vec::new();
        }
        match action {
            Action::ScrollLeft => self.h_scroll = self.h_scroll.saturating_sub(1),
            Action::ScrollRight => self.h_scroll += 1,
            Action::SavedQueries => self.showing_results = !self.showing_results,
            Action::Open if !self.showing_results => {
                let Some(saved) = self.settings.saved.get(self.saved_cursor) else {
                    return Vec::new();
                };
                let name = saved.name.clone();
                match self.start(&name, ctx.now_ms, ctx.zone) {
                    Ok(effects) => return effects,
                    Err(error) => ctx.error(error),
                }
            }
            Action::Open => {
                if let Some(detail) = self.row_detail() {
                    ctx.request(ShellRequest::OpenDetail(detail));
                }
            }
            Action::EditQuery => {
                let text = match (&self.run, self.showing_results) {
                    (Some(run), true) => run.query.query.clone(),
                    _ => self
                        .settings
                        .saved
                        .get(self.saved_cursor)
                        .map(|q| q.query.clone())
                        .unwrap_or_default(),
                };
                ctx.request(ShellRequest::OpenPalette(format!("insights {text}")));
            }
            Action::StopQuery => match self.run.as_mut().filter(|r| r.is_running()) {
                Some(run) => {
                    run.stopping = true;
                    return vec![Effect::StopInsights(run.job)];
                }
                None => ctx.info("no query is running"),
            },
            _ => {}
        }
        Vec::new()
    }

    fn on_tail_seen(&mut self, report: &TailReport) -> bool {
        // Compared before anything is copied: Progress arrives every second.
        let names: Vec<&String> = match report {
            TailReport::Progress { groups, .. } => groups.iter().map(|g| &g.group).collect(),
            TailReport::Live { groups, .. } => groups.iter().collect(),
            _ => return false,
        };
        if names.is_empty() || names.iter().copied().eq(self.groups.iter()) {
            return false;
        }
        self.groups = names.into_iter().cloned().collect();
        true
    }

    fn on_focus(&mut self, focus: Focus, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Focus::InsightsScope { groups, start_ms } = focus {
            if !groups.is_empty() {
                self.groups = groups;
            }
            self.window_start_ms = start_ms;
            if ctx.visible && self.run.is_none() {
                self.showing_results = false;
            }
        }
        Vec::new()
    }

    fn commands(&self) -> &'static [CommandSpec] {
        INSIGHTS_COMMANDS
    }

    fn run_command(
        &mut self,
        _name: &'static str,
        arg: &str,
        ctx: &mut PaneCtx<'_>,
    ) -> Result<Vec<Effect>, String> {
        let effects = if arg.trim().is_empty() {
            self.showing_results = false;
            Vec::new()
        } else {
            self.start(arg, ctx.now_ms, ctx.zone)?
        };
        ctx.request(ShellRequest::ShowMe);
        Ok(effects)
    }

    fn argument_values(&self, _command: &'static str, _now_ms: i64) -> Vec<String> {
        self.settings.saved.iter().map(|q| q.name.clone()).collect()
    }

    fn on_resize(&mut self, body_rows: usize) {
        self.page_rows = body_rows.saturating_sub(3).max(1);
    }

    fn props<'a>(&'a self, _keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a> {
        let body = match self.run.as_ref().filter(|_| self.showing_results) {
            Some(run) => InsightsBody::Results {
                query: &run.query.query,
                summary: run.summary(now_ms, self.settings.price_per_gb),
                error: run.error.as_deref(),
                running: run.is_running(),
                columns: run.results.as_ref().map_or(&[][..], |r| &r.columns[..]),
                rows: run.results.as_ref().map_or(&[][..], |r| &r.rows[..]),
                cursor: self.row_cursor,
                h_scroll: self.h_scroll,
            },
            None => InsightsBody::Saved {
                queries: self
                    .settings
                    .saved
                    .iter()
                    .map(|q| SavedItem {
                        name: &q.name,
                        query: &q.query,
                    })
                    .collect(),
                cursor: self.saved_cursor,
            },
        };
        let hint = self
            .groups
            .is_empty()
            .then_some("No log groups are tailed yet: choose some (2), then come back here.");
        PaneProps::Insights(InsightsProps {
            title: self.title(now_ms, zone),
            body,
            hint,
        })
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        self.run.as_ref().and_then(|r| r.ended_ms)
    }
}
