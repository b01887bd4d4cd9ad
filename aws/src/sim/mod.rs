//! `sim`: the embedded demo world, modelled on a serverless tax-return system
//! (API Gateway -> SNS -> SQS -> Lambda -> DynamoDB; DynamoDB streams -> Pipes -> EventBridge
//! -> Step Functions), 18 Lambda functions writing about 30 log streams.
//!
//! One shared, seeded, clock-driven simulation implements every backend trait. Its clock is
//! a fixed epoch (2026-11-20T02:47:00Z, a 3 a.m. incident) plus tokio time, and the world
//! advances lazily in one-second ticks from one seeded RNG, so what a query sees depends
//! only on the seed and the simulated time: tests with paused tokio time are deterministic.
//! Later issues extend the same world with queues, executions, metrics, canaries and RUM.

mod catalogue;
mod clock;
mod filter_pattern;
mod fleet;
mod ids;
mod insights;
mod live_tail;
mod log_store;
mod log_writer;
mod logs;
mod metrics;
mod queues;
mod session;
pub mod sized;
mod stack_traces;
mod step_functions;
mod traffic;
mod world;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::api::{BackendLabel, Backends, WallClock};
use crate::model::{ApiCalls, BackendError};

pub use catalogue::{DEMO_ACCOUNT, DEMO_REGION};
pub use clock::DEMO_EPOCH_MS;
pub use insights::SIM_QUERY_MS;
pub use live_tail::SimLiveTail;
pub use log_store::{MAX_EVENTS_PER_GROUP, MAX_PAGE_SIZE};
pub use world::HISTORY_MS;

use clock::SimClock;
use log_store::EventSource;
use world::WorldState;

/// The role the demo identity has assumed.
pub const DEMO_ROLE_ARN: &str = "arn:aws:sts::123456789012:assumed-role/OnCallEngineer/demo";

/// The demo world. All state sits behind one mutex, never held across an `.await`.
pub struct SimWorld {
    seed: u64,
    clock: SimClock,
    state: Mutex<WorldState>,
    /// The calls made to this world, as the real backend counts its AWS calls.
    calls: Arc<ApiCalls>,
}

impl SimWorld {
    /// The tax-return app with about ten minutes of history before "now", so the logs pane
    /// is full at start. Must be called inside a tokio runtime (the clock reads tokio time).
    pub fn new(seed: u64) -> Arc<SimWorld> {
        let clock = SimClock::start();
        let world = SimWorld {
            seed,
            clock,
            calls: Arc::new(ApiCalls::new()),
            state: Mutex::new(WorldState::demo(seed, clock.epoch_ms())),
        };
        drop(world.lock_caught_up());
        Arc::new(world)
    }

    /// A world with no functions and no log groups, for tests that seed their own data.
    /// Must be called inside a tokio runtime.
    pub fn empty(seed: u64) -> Arc<SimWorld> {
        Arc::new(SimWorld {
            seed,
            clock: SimClock::start(),
            calls: Arc::new(ApiCalls::new()),
            state: Mutex::new(WorldState::empty()),
        })
    }

    /// The counter of calls made to this world.
    pub fn calls(&self) -> Arc<ApiCalls> {
        Arc::clone(&self.calls)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Creates an empty log group; `InvalidInput` when it already exists.
    pub fn create_log_group(&self, name: &str) -> Result<(), BackendError> {
        let now_ms = self.clock.now_ms();
        self.lock_caught_up().logs.create_group(name, now_ms, None)
    }

    /// Writes events (timestamp in epoch ms, message) to a stream of an existing group,
    /// creating the stream. They are ingested now, so they are visible at once.
    pub fn put_log_events(
        &self,
        group: &str,
        stream: &str,
        events: &[(i64, String)],
    ) -> Result<(), BackendError> {
        if stream.is_empty() || stream.contains(':') {
            return Err(BackendError::InvalidInput(format!(
                "log stream name {stream:?} must be non-empty and may not contain ':'"
            )));
        }
        let now_ms = self.clock.now_ms();
        let mut state = self.lock_caught_up();
        let stream = state.logs.stream(group, stream)?;
        for (timestamp_ms, message) in events {
            state.logs.append(
                group,
                &stream,
                *timestamp_ms,
                now_ms,
                message.clone(),
                EventSource::Client,
            )?;
        }
        Ok(())
    }

    /// The demo app's Lambda functions, in catalogue order (none for [`SimWorld::empty`]).
    pub fn function_names(&self) -> Vec<String> {
        self.lock().function_names()
    }

    fn lock(&self) -> MutexGuard<'_, WorldState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state, advanced to the clock's now.
    fn lock_caught_up(&self) -> MutexGuard<'_, WorldState> {
        self.lock_caught_up_with_now().0
    }

    /// The state advanced to the clock's now, and that now.
    fn lock_caught_up_with_now(&self) -> (MutexGuard<'_, WorldState>, i64) {
        let mut state = self.lock();
        let now_ms = self.clock.now_ms();
        state.catch_up(now_ms);
        (state, now_ms)
    }
}

impl std::fmt::Debug for SimWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimWorld")
            .field("seed", &self.seed)
            .field("now_ms", &self.clock.now_ms())
            .finish_non_exhaustive()
    }
}

impl WallClock for SimWorld {
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// Every backend served by one new demo world. Must be called inside a tokio runtime.
pub fn demo_backends(seed: u64) -> Backends {
    backends_for(SimWorld::new(seed))
}

/// Every backend served by the given world (an `empty()` one that a test seeds, say).
pub fn backends_for(world: Arc<SimWorld>) -> Backends {
    Backends {
        logs: world.clone(),
        insights: world.clone(),
        session: world.clone(),
        step_functions: world.clone(),
        step_functions_ops: Some(world.clone()),
        queues: world.clone(),
        queues_ops: Some(world.clone()),
        queue_attributes: Arc::default(),
        functions: world.clone(),
        metrics: world.clone(),
        alarms: world.clone(),
        synthetics: world.clone(),
        rum: world.clone(),
        function_list: Arc::default(),
        live_tail: Arc::new(SimLiveTail::new(world.clone())),
        calls: world.calls(),
        definitions: Arc::default(),
        histories: Arc::default(),
        current_definitions: Arc::default(),
        function_health: Arc::default(),
        clock: world,
        label: BackendLabel {
            profile: "DEMO".to_owned(),
            region: DEMO_REGION.to_owned(),
            endpoint_url: None,
            is_demo: true,
        },
    }
}

#[cfg(test)]
mod tests;
