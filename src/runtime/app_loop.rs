//! The runtime loop: the only owner of `AppState`. It drains the channel, runs the pure
//! reducer, carries out effects, and draws only when something changed (at most ~60 fps;
//! no messages means no frames).

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::Backends;

use super::poller::Poller;
use super::screen::Screen;
use crate::config::{ConfigDirs, theme_by_name};
use crate::state::{AppState, Effect, Msg, initial_effects, update, write_export};
use crate::tail::{LiveTailRun, RequestBudget, TailOptions, run_live_tail, run_tail};

pub const CHANNEL_CAPACITY: usize = 1024;
pub const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(16);
const MAX_BATCH: usize = 256;
/// How often the header's calls/min is brought up to date.
const CALL_METER_INTERVAL: Duration = Duration::from_secs(5);

struct RunningTail {
    cancel: CancellationToken,
    handle: JoinHandle<()>,
}

pub struct AppRuntime<S: Screen> {
    pub state: AppState,
    pub screen: S,
    backends: Backends,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    poller: Poller,
    tail: Option<RunningTail>,
    tail_options: TailOptions,
    budget: Arc<RequestBudget>,
    /// Tail with Live Tail sessions instead of polling (`--live-tail`).
    live_tail: bool,
    config_dirs: ConfigDirs,
    no_color: bool,
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
        let poller = Poller::new(backends.clone(), tx.clone());
        Self {
            state,
            screen,
            backends,
            tx,
            rx,
            poller,
            tail: None,
            tail_options: TailOptions::default(),
            budget: Arc::new(RequestBudget::new(crate::tail::DEFAULT_CALLS_PER_SECOND)),
            live_tail: false,
            config_dirs,
            no_color,
        }
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

    /// Share this request budget (calls per second for FilterLogEvents) with the tail.
    pub fn with_budget(mut self, budget: Arc<RequestBudget>) -> Self {
        self.budget = budget;
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
        self.apply(initial_effects(), &mut pending)?;
        self.screen.draw(&self.state)?;
        let mut last_draw = Instant::now();
        let mut dirty = false;
        let mut batch = Vec::with_capacity(MAX_BATCH);
        let mut meter = tokio::time::interval(CALL_METER_INTERVAL);
        meter.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut calls_reported = None;
        while !self.state.quit {
            let deadline = last_draw + MIN_FRAME_INTERVAL;
            tokio::select! {
                _ = meter.tick() => {
                    // Only a changed count is news: an idle app stays idle.
                    let total = self.backends.calls.total();
                    if calls_reported != Some(total) {
                        calls_reported = Some(total);
                        let at_ms = self.backends.clock.now_ms();
                        let effects = update(&mut self.state, Msg::ApiCalls { at_ms, total });
                        self.apply(effects, &mut pending)?;
                        dirty = true;
                    }
                }
                received = self.rx.recv_many(&mut batch, MAX_BATCH) => {
                    if received == 0 {
                        break;
                    }
                    pending.extend(batch.drain(..));
                    while let Some(msg) = pending.pop_front() {
                        let effects = update(&mut self.state, msg);
                        self.apply(effects, &mut pending)?;
                    }
                    dirty = true;
                }
                () = tokio::time::sleep_until(deadline), if dirty => {}
            }
            if dirty && !self.state.quit && Instant::now() >= last_draw + MIN_FRAME_INTERVAL {
                self.screen.draw(&self.state)?;
                last_draw = Instant::now();
                dirty = false;
            }
        }
        self.shutdown();
        Ok((self.state, self.screen))
    }

    fn apply(&mut self, effects: Vec<Effect>, pending: &mut VecDeque<Msg>) -> io::Result<()> {
        for effect in effects {
            match effect {
                Effect::Subscribe(topic) => self.poller.subscribe(topic),
                Effect::Unsubscribe(topic) => self.poller.unsubscribe(&topic),
                Effect::Refresh(topic) => self.poller.refresh(&topic),
                Effect::StartTail(spec) => {
                    self.stop_tail();
                    let cancel = CancellationToken::new();
                    let handle = if self.live_tail {
                        let run = LiveTailRun {
                            live: self.backends.live_tail.clone(),
                            logs: self.backends.logs.clone(),
                            clock: self.backends.clock.clone(),
                            budget: Arc::clone(&self.budget),
                            spec,
                            options: self.tail_options,
                        };
                        tokio::spawn(run_live_tail(run, self.tx.clone(), cancel.clone()))
                    } else {
                        tokio::spawn(run_tail(
                            self.backends.logs.clone(),
                            self.backends.clock.clone(),
                            Arc::clone(&self.budget),
                            spec,
                            self.tx.clone(),
                            cancel.clone(),
                            self.tail_options,
                        ))
                    };
                    self.tail = Some(RunningTail { cancel, handle });
                }
                Effect::StopTail => self.stop_tail(),
                Effect::LoadTheme(name) => {
                    let loaded = theme_by_name(&self.config_dirs, &name, self.no_color)
                        .map(Box::new)
                        .map_err(|e| e.to_string());
                    pending.push_back(Msg::ThemeLoaded(loaded));
                }
                Effect::Export(job) => {
                    // Off the UI thread; progress goes through the channel like any message
                    // (dropped when the channel is full: the next report says more).
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = write_export(&job, |written, total| {
                            let _ = tx.try_send(Msg::ExportProgress { written, total });
                        });
                        let _ = tx.blocking_send(Msg::ExportDone(result));
                    });
                }
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

    fn stop_tail(&mut self) {
        if let Some(tail) = self.tail.take() {
            tail.cancel.cancel();
            tail.handle.abort();
        }
    }

    fn shutdown(&mut self) {
        self.stop_tail();
        self.poller.shutdown();
    }
}
