//! The log-group chooser: the list from DescribeLogGroups, a `/` filter, a cursor and a
//! multi-selection; `enter` hands the selection to the logs pane. Its seam with the shell
//! is the [`Pane`] impl below.

mod list;

use std::collections::BTreeSet;

use crossterm::event::MouseEventKind;
use unstuck_aws::api::{Data, LogsData, Topic};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::LogGroup;
use unstuck_views::groups::props::{GroupItem, GroupSort, GroupStatus, GroupsProps};
use unstuck_views::props::PaneProps;

use crate::config::{Action, Keymap};
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::PaneCtx;
use crate::state::shared::polled::PollError;
use crate::state::shared::thousands::count;
use crate::state::shell::palette::CommandSpec;
use crate::state::shell::panes::{Pane, PaneClick, PaneId};

pub use list::GroupsPane;

/// How often the list is redrawn for the tail's figures alone.
const ACTIVITY_REDRAW_MS: i64 = 2_000;

const GROUPS_COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("prefix", "tail every log group with this prefix")
        .required("PREFIX", "a log group name prefix"),
    CommandSpec::new("sort", "sort log groups: name, last, rate, errors, size")
        .required("COLUMN", "name, last, rate, errors or size"),
];

impl GroupsPane {
    /// One row: DescribeLogGroups' facts and what the tail saw, its rates up to `rates_at`.
    fn item<'a>(&'a self, group: &'a LogGroup, rates_at: i64) -> GroupItem<'a> {
        let seen = self.activity.seen.get(&group.name);
        let progress = self.activity.groups.get(&group.name);
        let rates = seen.map(|a| a.per_minute(rates_at));
        let tailed = seen.is_some() || progress.is_some();
        let status = if self.activity.failing.contains(&group.name) {
            GroupStatus::Failing
        } else if rates.is_some_and(|(_, errors)| errors > 0) {
            GroupStatus::Erroring
        } else if rates.is_some_and(|(events, _)| events > 0) {
            GroupStatus::Active
        } else if tailed {
            GroupStatus::Quiet
        } else {
            GroupStatus::Untailed
        };
        GroupItem {
            name: &group.name,
            selected: self.selected.contains(&group.name),
            stored_bytes: group.stored_bytes,
            retention_days: group.retention_days,
            last_event_ms: seen.and_then(|a| a.last_event_ms),
            events_per_min: tailed.then(|| rates.map_or(0, |r| r.0)),
            errors_per_min: tailed.then(|| rates.map_or(0, |r| r.1)),
            polled_ms: progress.and_then(|p| p.polled_ms),
            poll_every_ms: progress.map(|p| p.every_ms),
            status,
        }
    }
}

impl GroupsPane {
    /// Hand the selection to the logs pane and show it.
    fn tail_selected(&mut self, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let groups = self.selected_names();
        ctx.clear_error();
        vec![Effect::Goto {
            pane: PaneId::Logs,
            focus: Focus::TailGroups(groups),
            show: true,
        }]
    }
}

impl Pane for GroupsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let page = ctx.body_rows;
        let page_i = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
        match action {
            Action::ScrollUp => self.move_cursor(-1, page),
            Action::ScrollDown => self.move_cursor(1, page),
            Action::PageUp => self.move_cursor(-page_i, page),
            Action::PageDown => self.move_cursor(page_i, page),
            Action::ScrollTop => self.set_cursor(0, page),
            Action::ScrollBottom => self.set_cursor(usize::MAX, page),
            Action::ToggleSelect => {
                self.toggle_current();
                self.move_cursor(1, page);
            }
            Action::SelectAll => self.select_all_shown(),
            Action::CycleSort => {
                self.set_sort(self.sort.next());
                ctx.info(format!("sorted by {}", self.sort.word()));
            }
            Action::SelectNone => self.select_none(),
            Action::Open => {
                if self.selected.is_empty() {
                    self.toggle_current();
                }
                return self.tail_selected(ctx);
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
        if *topic != Topic::LOG_GROUPS {
            return Vec::new();
        }
        match result {
            Ok(Data::Logs(LogsData::Groups(groups))) => {
                let was_failing = self.list.error.is_some();
                self.set_groups(ctx.now_ms, groups.clone());
                if was_failing {
                    ctx.clear_error();
                    ctx.info("log groups: reachable again");
                }
            }
            Ok(_) => {}
            Err(error) => {
                self.list.failed(&topic.resource(), ctx.now_ms, error);
                let kept = match self.list.fetched_ms {
                    None => String::new(),
                    Some(at) => format!(" (showing the list of {})", ctx.zone.clock(at)),
                };
                let headline = self.list.error.as_ref().map_or("", |e| e.headline.as_str());
                ctx.error(format!("{headline}{kept}"));
            }
        }
        Vec::new()
    }

    fn on_focus(&mut self, focus: Focus, _ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Focus::TailedGroups(names) = focus {
            self.selected = names.into_iter().collect();
        }
        Vec::new()
    }

    fn commands(&self) -> &'static [CommandSpec] {
        GROUPS_COMMANDS
    }

    fn run_command(
        &mut self,
        name: &'static str,
        arg: &str,
        ctx: &mut PaneCtx<'_>,
    ) -> Result<Vec<Effect>, String> {
        if name == "sort" {
            let sort = GroupSort::ALL
                .into_iter()
                .find(|s| s.word() == arg.trim().to_ascii_lowercase())
                .ok_or_else(|| {
                    format!("cannot sort by \"{arg}\": name, last, rate, errors or size")
                })?;
            self.set_sort(sort);
            ctx.info(format!("sorted by {}", sort.word()));
            return Ok(Vec::new());
        }
        if name != "prefix" {
            return Ok(Vec::new());
        }
        self.select_none();
        let n = self.select_prefix(arg);
        if n == 0 {
            return Err(if self.list.data.is_none() {
                "the list of log groups has not arrived yet".to_string()
            } else {
                format!("no log group starts with {arg}")
            });
        }
        ctx.info(format!("selected {}", count(n, "log group")));
        Ok(self.tail_selected(ctx))
    }

    fn argument_values(&self, command: &'static str, _now_ms: i64) -> Vec<String> {
        match command {
            "prefix" => self.all().iter().map(|g| g.name.clone()).collect(),
            "sort" => GroupSort::ALL
                .iter()
                .map(|s| s.word().to_string())
                .collect(),
            _ => Vec::new(),
        }
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if visible {
            out.insert(Topic::LOG_GROUPS);
        }
    }

    fn filter_text(&self) -> Option<&str> {
        self.filter_text.as_deref()
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        GroupsPane::set_filter(self, text.map(str::to_string))
    }

    fn on_tail_seen(&mut self, report: &crate::tail::TailReport) -> bool {
        use crate::tail::TailReport;
        if let Some(at) = report.at_ms() {
            self.activity_at_ms = self.activity_at_ms.max(at);
        }
        self.activity.observe(report, |e| {
            crate::state::shared::log_level::is_error(&e.message)
        });
        if self.sort != GroupSort::Name && self.sort != GroupSort::Stored {
            self.resort();
        }
        // A failure shows at once; rates and ages are redrawn every couple of seconds (as
        // k9s refreshes its tables), not on every batch of events.
        let at = report.at_ms().unwrap_or(self.activity_at_ms);
        let due = at - self.activity_drawn_ms >= ACTIVITY_REDRAW_MS;
        let show = matches!(report, TailReport::Failed { .. }) || due;
        if show {
            self.activity_drawn_ms = at;
        }
        show
    }

    fn on_mouse(&mut self, click: PaneClick, ctx: &mut PaneCtx<'_>) {
        let page = ctx.body_rows;
        match click.kind {
            MouseEventKind::ScrollUp => self.move_cursor(-3, page),
            MouseEventKind::ScrollDown => self.move_cursor(3, page),
            _ => {
                let index = self.offset + click.row;
                if index < self.shown.len() {
                    self.set_cursor(index, page);
                    // A click on the check box toggles the selection.
                    if click.column <= 4 {
                        self.toggle_current();
                    }
                }
            }
        }
    }

    fn on_resize(&mut self, body_rows: usize) {
        self.keep_cursor_visible(body_rows);
    }

    fn props<'a>(
        &'a self,
        _keymap: &Keymap,
        now_ms: i64,
        zone: unstuck_views::zone::Zone,
    ) -> PaneProps<'a> {
        let rates_at = self.activity_at_ms.max(now_ms);
        PaneProps::Groups(GroupsProps {
            items: self
                .shown
                .iter()
                .map(|&i| self.item(&self.all()[i], rates_at))
                .collect(),
            sort: self.sort,
            now_ms,
            zone,
            cursor: self.cursor,
            offset: self.offset,
            total: self.all().len(),
            selected_count: self.selected.len(),
            filter_text: self.filter_text.as_deref(),
            state: self.list.loadable(),
        })
    }

    fn is_stale(&self) -> bool {
        self.list.error.is_some()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        self.list.fetched_ms
    }

    fn last_error(&self) -> Option<&PollError> {
        self.list.error.as_ref()
    }
}
