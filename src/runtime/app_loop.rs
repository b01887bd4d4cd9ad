//! The runtime loop: the only owner of `AppState`. It drains the channel, runs the pure
//! reducer, carries out effects, polls what the screen wants, and draws only when the
//! reducer says something visible changed (at most ~60 fps; idle means no frames).

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::Backends;

use super::clipboard::{Clipboard, osc52, write_private};
use super::executor;
use super::poller::Poller;
use super::screen::Screen;
use super::subscriptions::Subscriptions;
use crate::budgets::ApiBudgets;
use crate::config::{ConfigDirs, theme_by_name};
use crate::state::logs::Clip;
use crate::state::{
    AppState, Connection, Effect, Msg, PaneId, Reconnect, next_wake_ms, update, wanted_topics,
};
use crate::tail::{
    LiveTailRun, ReportSink, RequestBudget, TailOptions, TailReport, TailSpec, load_older,
    run_live_tail, run_tail,
};

pub const CHANNEL_CAPACITY: usize = 1024;
pub const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(16);
const MAX_BATCH: usize = 256;
/// How often the header's calls/min is brought up to date.
const CALL_METER_INTERVAL: Duration = Duration::from_secs(5);

/// Builds the backends again for another profile or region (`:profile`, `:region`).
pub type Reconnector = Arc<
    dyn Fn(
            Reconnect,
            unstuck_aws::api::BackendLabel,
        ) -> BoxFuture<'static, Result<Backends, String>>
        + Send
        + Sync,
>;

impl ReportSink for Sender<Msg> {
    async fn report(&self, report: TailReport) -> bool {
        self.send(Msg::Tail(report)).await.is_ok()
    }
}

struct RunningTail {
    cancel: CancellationToken,
    handle: JoinHandle<()>,
    spec: TailSpec,
}

pub struct AppRuntime<S: Screen> {
    pub state: AppState,
    pub screen: S,
    backends: Backends,
    budgets: ApiBudgets,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    poller: Poller,
    subscriptions: Subscriptions,
    tail: Option<RunningTail>,
    /// The Logs Insights query running (its job and how to cancel it).
    insights: Option<(u64, CancellationToken)>,
    tail_options: TailOptions,
    /// Tail with Live Tail sessions instead of polling (`--live-tail`).
    live_tail: bool,
    clipboard: Clipboard,
    reconnector: Option<Reconnector>,
    config_dirs: ConfigDirs,
    no_color: bool,
    /// Where mutations are recorded (else `audit.jsonl` in the state directory).
    audit_log: Option<crate::commands::AuditLog>,
}

impl<S: Screen> AppRuntime<S> {
    pub fn new(
        state: AppState,
        screen: S,
        backends: Backends,
        config_dirs: ConfigDirs,
        no_color: bool,
    ) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let budgets = ApiBudgets::new(crate::tail::DEFAULT_CALLS_PER_SECOND);
        let poller = Poller::new(backends.clone(), budgets.clone(), tx.clone());
        Self {
            state,
            screen,
            backends,
            budgets,
            tx,
            rx,
            poller,
            subscriptions: Subscriptions::default(),
            tail: None,
            insights: None,
            tail_options: TailOptions::default(),
            live_tail: false,
            clipboard: Clipboard::default(),
            reconnector: None,
            config_dirs,
            no_color,
            audit_log: None,
        }
    }

    /// Record mutations in this audit log.
    pub fn with_audit_log(mut self, audit_log: crate::commands::AuditLog) -> Self {
        self.audit_log = Some(audit_log);
        self
    }

    pub fn with_clipboard(mut self, clipboard: Clipboard) -> Self {
        self.clipboard = clipboard;
        self
    }

    pub fn with_tail_options(mut self, options: TailOptions) -> Self {
        self.tail_options = options;
        self
    }

    /// Tail with CloudWatch Logs Live Tail where AWS offers it (polling elsewhere).
    pub fn with_live_tail(mut self, live_tail: bool) -> Self {
        self.live_tail = live_tail;
        self
    }

    /// Share this CloudWatch Logs budget (FilterLogEvents calls per second) with the tail;
    /// the other services keep their default budgets.
    pub fn with_budget(self, budget: Arc<RequestBudget>) -> Self {
        self.with_budgets(ApiBudgets::with_logs(budget))
    }

    pub fn with_budgets(mut self, budgets: ApiBudgets) -> Self {
        self.budgets = budgets;
        self.poller = Poller::new(self.backends.clone(), self.budgets.clone(), self.tx.clone());
        self
    }

    /// How to rebuild the backends for `:profile` / `:region`.
    pub fn with_reconnector(mut self, reconnector: Reconnector) -> Self {
        self.reconnector = Some(reconnector);
        self
    }

    /// Where input and tests send messages.
    pub fn sender(&self) -> Sender<Msg> {
        self.tx.clone()
    }

    /// Run until the user quits (or every sender is gone). Returns the final state and the
    /// screen, which headless tests inspect.
    pub async fn run(mut self) -> io::Result<(AppState, S)> {
        let (w, h) = self.screen.size()?;
        self.state.size = (w, h);
        let mut pending: VecDeque<Msg> = VecDeque::new();
        self.follow_screen();
        self.screen.draw(&self.state)?;
        self.state.take_redraw();
        let mut last_draw = Instant::now();
        let mut dirty = false;
        let mut batch = Vec::with_capacity(MAX_BATCH);
        let mut meter = tokio::time::interval(CALL_METER_INTERVAL);
        meter.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut calls_reported = None;
        while !self.state.quit {
            let frame_due = last_draw + MIN_FRAME_INTERVAL;
            let wake = self.next_wake();
            let grace_end = self.subscriptions.next_expiry();
            tokio::select! {
                _ = meter.tick() => {
                    // Only a changed count is news: an idle app stays idle.
                    let total = self.backends.calls.total();
                    if calls_reported != Some(total) {
                        calls_reported = Some(total);
                        let at_ms = self.backends.clock.now_ms();
                        pending.push_back(Msg::ApiCalls {
                            at_ms,
                            total,
                            by_operation: self.backends.calls.snapshot(),
                            billed: self.backends.calls.billed(),
                        });
                    }
                }
                received = self.rx.recv_many(&mut batch, MAX_BATCH) => {
                    if received == 0 {
                        break;
                    }
                    pending.extend(batch.drain(..));
                }
                () = sleep_until_opt(wake), if wake.is_some() => {
                    pending.push_back(Msg::Tick { at_ms: self.backends.clock.now_ms() });
                }
                () = sleep_until_opt(grace_end), if grace_end.is_some() => {}
                () = tokio::time::sleep_until(frame_due), if dirty => {}
            }
            while let Some(msg) = pending.pop_front() {
                let effects = update(&mut self.state, msg);
                self.apply(effects, &mut pending).await?;
            }
            self.follow_screen();
            dirty |= self.state.take_redraw();
            if dirty && !self.state.quit && Instant::now() >= last_draw + MIN_FRAME_INTERVAL {
                self.screen.draw(&self.state)?;
                last_draw = Instant::now();
                dirty = false;
            }
        }
        self.shutdown();
        Ok((self.state, self.screen))
    }

    /// The wall-clock wake the reducer asked for, as a tokio instant.
    fn next_wake(&self) -> Option<Instant> {
        let at_ms = next_wake_ms(&self.state)?;
        let wait_ms = at_ms.saturating_sub(self.backends.clock.now_ms()).max(0);
        Some(Instant::now() + Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0)))
    }

    /// Start what the screen now wants, stop what it stopped wanting (after the grace); the
    /// tail spends its whole budget only while the logs pane shows what it reads.
    fn follow_screen(&mut self) {
        self.budgets
            .logs()
            .set_background(self.state.pane != PaneId::Logs);
        let wanted = wanted_topics(&self.state);
        let changes = self.subscriptions.reconcile(&wanted, Instant::now());
        for topic in changes.stop {
            self.poller.stop(&topic);
        }
        for topic in changes.start {
            self.poller.start(topic);
        }
    }

    async fn apply(&mut self, effects: Vec<Effect>, pending: &mut VecDeque<Msg>) -> io::Result<()> {
        for effect in effects {
            match effect {
                Effect::Refresh(topic) => {
                    if self.poller.is_running(&topic) {
                        self.poller.refresh(&topic);
                    }
                }
                Effect::StartTail(spec) => self.start_tail(spec),
                Effect::StopTail => self.stop_tail(),
                Effect::LoadOlder(request) => {
                    let cancel = self
                        .tail
                        .as_ref()
                        .map_or_else(CancellationToken::new, |t| t.cancel.child_token());
                    tokio::spawn(load_older(
                        self.backends.logs.clone(),
                        self.backends.clock.clone(),
                        self.budgets.logs(),
                        request,
                        self.tx.clone(),
                        cancel,
                    ));
                }
                Effect::RunInsights(job) => self.run_insights(job),
                Effect::StopInsights(job) => {
                    if self
                        .insights
                        .as_ref()
                        .is_some_and(|(running, _)| *running == job)
                    {
                        self.stop_insights();
                    }
                }
                Effect::LoadTheme(name) => {
                    let loaded = theme_by_name(&self.config_dirs, &name, self.no_color)
                        .map(|t| crate::config::fit_colour_depth(t, |k| std::env::var(k).ok()))
                        .map(Box::new)
                        .map_err(|e| e.to_string());
                    pending.push_back(Msg::ThemeLoaded(loaded));
                }
                Effect::Execute(command) => {
                    let audit = (
                        self.audit_log
                            .clone()
                            .or_else(crate::commands::AuditLog::in_state_dir),
                        crate::commands::AuditSession {
                            profile: self.backends.label.profile.clone(),
                            region: self.backends.label.region.clone(),
                            account: self.state.account.clone(),
                        },
                    );
                    executor::spawn(
                        command,
                        self.tx.clone(),
                        self.mutation_context(),
                        self.backends.clone(),
                        audit,
                    )
                }
                Effect::Copy(clip) => pending.push_back(Msg::Copied(self.copy(&clip))),
                Effect::Reconnect(what) => self.reconnect(what, pending).await,
                // The shell carries these out inside the reducer.
                Effect::Goto { .. } => {}
                Effect::Suspend => {
                    self.screen.suspend()?;
                    let (w, h) = self.screen.size()?;
                    pending.push_back(Msg::Resize(w, h));
                    pending.push_back(Msg::Resumed);
                }
                Effect::Quit => self.state.quit = true,
            }
        }
        Ok(())
    }

    /// Put `clip` on the clipboard; says how (or why not) for the status line.
    fn copy(&mut self, clip: &Clip) -> Result<String, String> {
        let chars = clip.text.chars().count();
        match &self.clipboard {
            Clipboard::Osc52 => self
                .screen
                .set_clipboard(&osc52(&clip.text))
                .map(|()| format!("copied {} ({chars} characters) via the terminal", clip.what))
                .map_err(|e| format!("could not copy: {e}")),
            Clipboard::File(path) => write_private(path, &clip.text)
                .map(|()| {
                    format!(
                        "{} written to {} (clipboard = \"osc52\" in config.toml copies via \
                         the terminal instead)",
                        clip.what,
                        path.display()
                    )
                })
                .map_err(|e| format!("could not write {}: {e}", path.display())),
        }
    }

    fn start_tail(&mut self, spec: TailSpec) {
        self.stop_tail();
        let cancel = CancellationToken::new();
        let handle = if self.live_tail {
            let run = LiveTailRun {
                live: self.backends.live_tail.clone(),
                logs: self.backends.logs.clone(),
                clock: self.backends.clock.clone(),
                budget: self.budgets.logs(),
                spec: spec.clone(),
                options: self.tail_options,
            };
            tokio::spawn(run_live_tail(run, self.tx.clone(), cancel.clone()))
        } else {
            tokio::spawn(run_tail(
                self.backends.logs.clone(),
                self.backends.clock.clone(),
                self.budgets.logs(),
                spec.clone(),
                self.tx.clone(),
                cancel.clone(),
                self.tail_options,
            ))
        };
        self.tail = Some(RunningTail {
            cancel,
            handle,
            spec,
        });
    }

    /// What a mutation runs with; None when the backends have none (`--read-only`).
    fn mutation_context(&self) -> Option<crate::commands::MutationContext> {
        Some(crate::commands::MutationContext {
            ops: self.backends.step_functions_ops.clone()?,
            audit: self
                .audit_log
                .clone()
                .or_else(crate::commands::AuditLog::in_state_dir),
            session: crate::commands::AuditSession {
                profile: self.backends.label.profile.clone(),
                region: self.backends.label.region.clone(),
                account: self.state.account.clone(),
            },
            clock: self.backends.clock.clone(),
        })
    }

    /// Rebuild the backends; polls and the tail go on with the new ones.
    async fn reconnect(&mut self, what: Reconnect, pending: &mut VecDeque<Msg>) {
        let Some(reconnector) = self.reconnector.clone() else {
            pending.push_back(Msg::Reconnected(Err(
                "switching is not available here".to_string()
            )));
            return;
        };
        match reconnector(what, self.backends.label.clone()).await {
            Ok(backends) => {
                self.backends = backends;
                self.poller.replace_backends(self.backends.clone());
                if let Some(spec) = self.tail.as_ref().map(|t| t.spec.clone()) {
                    self.start_tail(spec);
                }
                let label = self.backends.label.clone();
                pending.push_back(Msg::Reconnected(Ok(Connection { label })));
            }
            Err(error) => pending.push_back(Msg::Reconnected(Err(error))),
        }
    }

    fn stop_tail(&mut self) {
        if let Some(tail) = self.tail.take() {
            tail.cancel.cancel();
            tail.handle.abort();
        }
    }

    /// Start `job`, stopping the query it replaces.
    fn run_insights(&mut self, job: crate::insights::InsightsJob) {
        self.stop_insights();
        let cancel = CancellationToken::new();
        self.insights = Some((job.job, cancel.clone()));
        tokio::spawn(crate::insights::run_query(
            self.backends.insights.clone(),
            job,
            cancel,
            crate::insights::Reporter {
                tx: self.tx.clone(),
                wrap: Msg::Insights,
                calls: self.backends.calls.clone(),
            },
        ));
    }

    /// Cancel the running query (its task stops it in AWS).
    fn stop_insights(&mut self) {
        if let Some((_, cancel)) = self.insights.take() {
            cancel.cancel();
        }
    }

    fn shutdown(&mut self) {
        self.stop_insights();
        self.stop_tail();
        self.poller.shutdown();
    }
}

async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
