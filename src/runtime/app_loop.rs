//! The runtime loop: the only owner of `AppState`. It drains the channel, runs the pure
//! reducer, carries out effects, and draws only when something changed (at most ~60 fps;
//! no messages means no frames).

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::Backends;

use super::poller::Poller;
use super::screen::Screen;
use crate::config::{ConfigDirs, theme_by_name};
use crate::state::{AppState, Effect, Msg, initial_effects, update};
use crate::tail::{TailOptions, run_tail};

pub const CHANNEL_CAPACITY: usize = 1024;
pub const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(16);
const MAX_BATCH: usize = 256;

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
            config_dirs,
            no_color,
        }
    }

    pub fn with_tail_options(mut self, options: TailOptions) -> Self {
        self.tail_options = options;
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
        while !self.state.quit {
            let deadline = last_draw + MIN_FRAME_INTERVAL;
            tokio::select! {
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
                    let handle = tokio::spawn(run_tail(
                        self.backends.logs.clone(),
                        self.backends.clock.clone(),
                        spec,
                        self.tx.clone(),
                        cancel.clone(),
                        self.tail_options,
                    ));
                    self.tail = Some(RunningTail { cancel, handle });
                }
                Effect::StopTail => self.stop_tail(),
                Effect::LoadTheme(name) => {
                    let loaded = theme_by_name(&self.config_dirs, &name, self.no_color)
                        .map(Box::new)
                        .map_err(|e| e.to_string());
                    pending.push_back(Msg::ThemeLoaded(loaded));
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
