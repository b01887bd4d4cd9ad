//! The queues pane: every queue with its counts and a depth sparkline of our own polls, DLQs
//! holding messages first and in the failed colour; `enter` peeks (a receive, said plainly),
//! `/` filters what was read, `g` groups it, `e` exports, `R` redrives what the filter
//! takes (each to its source), `N` starts a native move task, `X` cancels it. Every
//! mutation goes through the confirm dialog with the queue's name typed.

mod messages;
mod table_item;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use unstuck_aws::api::{Data, QueuesData, QueuesTopic, Topic};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::queues::{MoveTask, QueueSummary};
use unstuck_views::props::{Loadable, PaneProps};
use unstuck_views::queues::{QueuesBody, QueuesProps};
use unstuck_views::zone::Zone;

use crate::commands::{Command, PEEK_MAX, PEEK_VISIBILITY_S, QueueCommand, QueueReport};
use crate::config::{Action, Keymap};
use crate::queues::MessageFilter;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest, cursor_delta, key_for, moved_cursor};
use crate::state::shared::polled::PollError;
use crate::state::shell::panes::Pane;

pub use messages::{OpenQueue, group_of};

/// Polls kept for each queue's sparkline.
const DEPTH_SAMPLES: usize = 30;

#[derive(Debug, Default)]
pub struct QueuesPane {
    rows: Vec<QueueSummary>,
    loaded: bool,
    error: Option<PollError>,
    last_ms: Option<i64>,
    depths: BTreeMap<String, VecDeque<u64>>,
    cursor: usize,
    name_filter: Option<String>,
    open: Option<OpenQueue>,
    tasks: BTreeMap<String, Vec<MoveTask>>,
    /// A running export or redrive: (queue, done, total).
    progress: Option<(String, u64, u64)>,
    /// A queue another pane asked for (by ARN), selected once the table has it.
    wanted: Option<String>,
    /// Seconds since the oldest message was sent, by queue name (CloudWatch; absent where
    /// it was not read or the endpoint has no CloudWatch).
    ages: BTreeMap<String, f64>,
}

impl QueuesPane {
    /// DLQs holding messages first, then by name; the `/` filter over names.
    fn shown(&self) -> Vec<&QueueSummary> {
        let mut rows: Vec<&QueueSummary> = self
            .rows
            .iter()
            .filter(|r| {
                self.name_filter
                    .as_deref()
                    .is_none_or(|f| r.queue.name.contains(f))
            })
            .collect();
        rows.sort_by_key(|r| {
            (
                !(r.is_dlq() && r.attributes.depth() > 0),
                r.queue.name.clone(),
            )
        });
        rows
    }

    /// The queue the cursor is on (or the one open).
    pub fn selected_name(&self) -> Option<&str> {
        self.selected().map(|q| q.queue.name.as_str())
    }

    fn selected(&self) -> Option<&QueueSummary> {
        match &self.open {
            Some(open) => Some(&open.queue),
            None => self.shown().get(self.cursor).copied(),
        }
    }

    fn on_table(&mut self, rows: Vec<QueueSummary>, at_ms: i64) {
        for row in &rows {
            let samples = self.depths.entry(row.attributes.arn.clone()).or_default();
            samples.push_back(row.attributes.visible);
            while samples.len() > DEPTH_SAMPLES {
                samples.pop_front();
            }
        }
        if let Some(open) = &mut self.open
            && let Some(fresh) = rows.iter().find(|r| r.queue.url == open.queue.queue.url)
        {
            open.queue = fresh.clone();
        }
        self.rows = rows;
        self.loaded = true;
        self.error = None;
        self.last_ms = Some(at_ms);
        self.cursor = self.cursor.min(self.shown().len().saturating_sub(1));
        self.select_wanted();
    }

    /// Put the cursor on the queue asked for, if the table has it (the filter is cleared).
    fn select_wanted(&mut self) {
        let Some(arn) = self.wanted.clone() else {
            return;
        };
        self.name_filter = None;
        if let Some(i) = self.shown().iter().position(|r| r.attributes.arn == arn) {
            self.cursor = i;
            self.open = None;
            self.wanted = None;
        }
    }

    fn peek(&mut self, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let Some(queue) = self.selected().cloned() else {
            return Vec::new();
        };
        // The pane says what a receive does while the messages are open.
        ctx.info(format!("reading {} (a receive)…", queue.queue.name));
        let (url, name) = (queue.queue.url.clone(), queue.queue.name.clone());
        let keep = self.open.take().filter(|o| o.queue.queue.url == url);
        let mut open = OpenQueue::new(queue);
        if let Some(old) = keep {
            open.filter_text = old.filter_text;
            open.filter = old.filter;
        }
        self.open = Some(open);
        vec![Effect::Execute(Command::Queue(QueueCommand::Peek {
            url,
            name,
        }))]
    }

    fn confirm(&self, command: Option<Result<QueueCommand, String>>, ctx: &mut PaneCtx<'_>) {
        match command {
            _ if ctx.read_only => {
                ctx.error("read-only: changes are off (unstuck was started with --read-only)")
            }
            None => ctx.error("choose a queue first"),
            Some(Err(why)) => ctx.error(why),
            Some(Ok(command)) => ctx.request(ShellRequest::Confirm(Command::Queue(command))),
        }
    }

    fn redrive(&self) -> Option<Result<QueueCommand, String>> {
        let q = self.selected()?;
        if !q.is_dlq() {
            return Some(Err(format!(
                "{} is no queue's DLQ: a redrive sends messages back to the queue they failed in",
                q.queue.name
            )));
        }
        let filter = self
            .open
            .as_ref()
            .map(|o| o.filter_text.clone())
            .unwrap_or_default();
        Some(Ok(QueueCommand::Redrive {
            url: q.queue.url.clone(),
            name: q.queue.name.clone(),
            to: None,
            filter,
            about: q.attributes.depth(),
        }))
    }

    fn native(&self) -> Option<Result<QueueCommand, String>> {
        let q = self.selected()?;
        let active = self
            .tasks
            .get(&q.attributes.arn)
            .and_then(|t| t.iter().find(|t| t.is_active()));
        let why = crate::queues::native_refusal(&q.into(), q.sources.len(), None, active);
        Some(match why {
            Some(why) => Err(why),
            None => Ok(QueueCommand::MoveTask {
                arn: q.attributes.arn.clone(),
                name: q.queue.name.clone(),
                to_arn: None,
                about: q.attributes.visible,
            }),
        })
    }

    fn cancel(&self) -> Option<Result<QueueCommand, String>> {
        let q = self.selected()?;
        let task = self
            .tasks
            .get(&q.attributes.arn)
            .and_then(|t| t.iter().find(|t| t.status == "RUNNING"));
        Some(match task.and_then(|t| t.task_handle.clone()) {
            Some(handle) => Ok(QueueCommand::CancelMoveTask {
                arn: q.attributes.arn.clone(),
                name: q.queue.name.clone(),
                handle,
            }),
            None => Err(format!("{} has no running move task", q.queue.name)),
        })
    }

    /// A queue command's report.
    pub fn on_report(&mut self, report: QueueReport, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        match report {
            QueueReport::Peeked { url, result } => {
                if let Some(open) = self.open.as_mut().filter(|o| o.queue.queue.url == url) {
                    if let Err(e) = &result {
                        ctx.error(format!("peek {}: {e}", open.queue.queue.name));
                    }
                    open.messages = Some(result);
                    open.cursor = 0;
                }
                Vec::new()
            }
            QueueReport::Progress { name, done, total } => {
                self.progress = Some((name, done, total));
                Vec::new()
            }
            QueueReport::Finished { result } => {
                self.progress = None;
                match result {
                    Ok(line) => ctx.info(line),
                    Err(e) => ctx.error(e),
                }
                let mut effects = vec![Effect::Refresh(Topic::QUEUES)];
                if self.open.is_some() {
                    effects.extend(self.peek(ctx));
                }
                effects
            }
        }
    }

    fn hint(&self, keymap: &Keymap) -> String {
        let key = |a| key_for(keymap, crate::config::Context::Queues, a);
        match &self.open {
            None => format!(
                "{} peek · / name · {} redrive · {} native · {} cancel move · {} export",
                key(Action::Open),
                key(Action::RedriveMessages),
                key(Action::NativeRedrive),
                key(Action::CancelMoveTask),
                key(Action::Export)
            ),
            Some(_) => format!(
                "{} read again · / filter (regex, @NAME=VALUE) · {} redrive the shown · {} export the shown · esc queues",
                key(Action::Open),
                key(Action::RedriveMessages),
                key(Action::Export)
            ),
        }
    }
}

impl Pane for QueuesPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            match &mut self.open {
                Some(open) => open.move_cursor(delta),
                None => self.cursor = moved_cursor(self.cursor, delta, self.shown().len()),
            }
            return Vec::new();
        }
        match action {
            Action::Open => return self.peek(ctx),
            Action::RedriveMessages => self.confirm(self.redrive(), ctx),
            Action::NativeRedrive => self.confirm(self.native(), ctx),
            Action::CancelMoveTask => self.confirm(self.cancel(), ctx),
            Action::Export => {
                if let Some(q) = self.selected() {
                    let stamp = chrono::DateTime::from_timestamp_millis(ctx.now_ms)
                        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
                        .unwrap_or_default();
                    let name = q.queue.name.clone();
                    let path = std::path::PathBuf::from(format!("{name}-{stamp}.jsonl"));
                    let filter = self
                        .open
                        .as_ref()
                        .map(|o| o.filter_text.clone())
                        .unwrap_or_default();
                    ctx.info(format!(
                        "exporting {name}: {}",
                        crate::queues::receive_warning(120)
                    ));
                    let command = QueueCommand::Export {
                        url: q.queue.url.clone(),
                        name,
                        path,
                        filter,
                    };
                    return vec![Effect::Execute(Command::Queue(command))];
                }
            }
            Action::Copy => {
                if let Some(q) = self.selected() {
                    return vec![Effect::Copy(crate::state::logs::Clip {
                        what: "queue URL".into(),
                        text: q.queue.url.clone(),
                    })];
                }
            }
            Action::ClearFilter => {
                let _ = self.set_filter(None);
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
        match (topic, result) {
            (Topic::Queues(_), Ok(Data::Queues(QueuesData::Table(rows)))) => {
                self.on_table(rows.clone(), ctx.now_ms);
                ctx.clear_error();
            }
            (Topic::Queues(_), Ok(Data::Queues(QueuesData::MoveTasks { source_arn, tasks }))) => {
                self.tasks.insert(source_arn.clone(), tasks.clone());
            }
            (
                Topic::Queues(QueuesTopic::Ages { names }),
                Ok(Data::Queues(QueuesData::Ages(ages))),
            ) => {
                // A queue read and absent has no point lately: its age is not known.
                self.ages.retain(|name, _| !names.contains(name));
                self.ages.extend(ages.iter().map(|(k, v)| (k.clone(), *v)));
            }
            (Topic::Queues(QueuesTopic::Table), Err(e)) => {
                let explained = PollError::explain("queues", e, ctx.now_ms);
                if ctx.visible {
                    ctx.error(explained.headline.clone());
                }
                self.error = Some(explained);
            }
            (Topic::Queues(QueuesTopic::MoveTasks { source_arn }), Err(_)) => {
                // Emulators without move tasks: nothing to show, nothing to start from here.
                self.tasks.remove(source_arn);
            }
            _ => {}
        }
        Vec::new()
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if visible {
            out.insert(Topic::QUEUES);
            if let Some(q) = self.selected().filter(|q| q.is_dlq()) {
                out.insert(Topic::Queues(QueuesTopic::MoveTasks {
                    source_arn: q.attributes.arn.clone(),
                }));
            }
            if let Some(ages) = table_item::ages_topic(&self.rows) {
                out.insert(ages);
            }
        }
    }

    fn filter_text(&self) -> Option<&str> {
        match &self.open {
            Some(open) => Some(open.filter_text.as_str()).filter(|t| !t.is_empty()),
            None => self.name_filter.as_deref(),
        }
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        let text = text.unwrap_or_default();
        match &mut self.open {
            Some(open) => {
                open.filter = MessageFilter::parse_typed(text)?;
                open.filter_text = text.to_string();
                open.cursor = 0;
            }
            None => {
                self.name_filter = Some(text.to_string()).filter(|t| !t.is_empty());
                self.cursor = 0;
            }
        }
        Ok(())
    }

    fn on_focus(&mut self, focus: Focus, _ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Focus::Queue(arn) = focus {
            self.wanted = Some(arn);
            self.select_wanted();
        }
        Vec::new()
    }

    fn go_back(&mut self) -> bool {
        self.open.take().is_some()
    }

    fn props<'a>(&'a self, keymap: &Keymap, _now_ms: i64, _zone: Zone) -> PaneProps<'a> {
        let state = match (&self.error, self.loaded) {
            (_, false) if self.error.is_none() => Loadable::Loading,
            (Some(e), false) => Loadable::Failed(e.headline.clone()),
            (Some(e), true) => Loadable::Stale(e.headline.clone()),
            (None, _) => Loadable::Ready,
        };
        let note = self.progress.as_ref().map(|(name, done, total)| {
            format!(
                "{name}: {}",
                crate::state::shared::thousands::progress(
                    usize::try_from(*done).unwrap_or(usize::MAX),
                    usize::try_from((*total).max(*done)).unwrap_or(usize::MAX),
                    "messages"
                )
            )
        });
        let (title, body, note) = match &self.open {
            Some(open) => {
                let read = match &open.messages {
                    None => "reading…".to_string(),
                    Some(Ok(all)) => format!(
                        "{} read (at most {PEEK_MAX}), {} shown",
                        all.len(),
                        open.shown().len()
                    ),
                    Some(Err(e)) => format!("could not read: {e}"),
                };
                let title = format!("queues › {} · {read}", open.queue.queue.name);
                let warning = crate::queues::receive_warning(PEEK_VISIBILITY_S);
                let body = QueuesBody::Messages {
                    items: open.items(),
                    cursor: open.cursor,
                    groups: open.groups(),
                    detail: open.detail(),
                };
                (title, body, note.or(Some(warning)))
            }
            None => {
                let shown = self.shown();
                let dlqs_filling = shown
                    .iter()
                    .filter(|r| r.is_dlq() && r.attributes.depth() > 0)
                    .count();
                let title = format!(
                    "queues · {} · {dlqs_filling} DLQs holding messages",
                    shown.len()
                );
                let items = shown
                    .iter()
                    .map(|r| {
                        table_item::queue_item(
                            r,
                            self.depths.get(&r.attributes.arn),
                            self.tasks.get(&r.attributes.arn),
                            self.ages.get(&r.queue.name).copied(),
                        )
                    })
                    .collect();
                (
                    title,
                    QueuesBody::Table {
                        items,
                        cursor: self.cursor,
                    },
                    note,
                )
            }
        };
        PaneProps::Queues(QueuesProps {
            title,
            state,
            hint: self.hint(keymap),
            note,
            body,
        })
    }

    fn is_stale(&self) -> bool {
        self.loaded && self.error.is_some()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        self.last_ms
    }

    fn last_error(&self) -> Option<&PollError> {
        self.error.as_ref()
    }
}
