//! What the stuck rules need of an execution, read through [`StepFunctions`] and reused:
//! the definition it ran (once per machine and revision), its whole history (up to the
//! 25,000 events an execution keeps), its Map runs when a distributed Map is running, and
//! the durations of the machine's recent successful runs (the p95 rule). The headless
//! commands and the executions pane's topics both read through it; the caller paces the
//! calls ([`Pace`]).
//!
//! A revision read for an execution started at t was current from its update until t, so it
//! serves executions started in that span (listed newest first, the first read covers most).
//! The [`DefinitionCache`] holding them lives as long as the backends (the app's polls share
//! one; DescribeStateMachineForExecution refills at 1 call/s).

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::StepFunctions;
use super::history_cache::{CachedHistory, HistoryCache};
use crate::model::BackendError;
use crate::model::asl::{self, Definition, MapMode, StateKind};
use crate::model::step_functions::{
    ExecutionProgress, ExecutionStatus, ExecutionSummary, ExecutionsRequest, HistoryEvent,
    MAX_HISTORY_EVENTS, MachineDefinition, MapRun, Stuck, StuckLimits, detect_stuck,
};

/// Successful runs read per machine for the p95 rule.
pub const RECENT_SUCCESSES: u32 = 100;

/// Waits before each call: the caller's share of the account's Step Functions buckets.
#[async_trait]
pub trait Pace: Send + Sync {
    async fn before_call(&self);

    /// A call now if there is room, without waiting: for reads that can wait for the next
    /// poll (the stuck reasons of a list).
    fn try_call(&self) -> bool {
        true
    }
}

/// No pacing: the poller already drew one call of its budget for the whole read.
pub struct Unpaced;

#[async_trait]
impl Pace for Unpaced {
    async fn before_call(&self) {}
}

/// One execution as read: what it ran, what happened, and why it is stuck (if it is).
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionReading {
    /// The definition it ran, or why that definition does not parse (named state and field).
    pub definition: Result<Definition, String>,
    /// The definition's text as AWS returned it (sanitised by the backend).
    pub definition_text: String,
    pub events: Vec<HistoryEvent>,
    /// The history has more events than were read.
    pub truncated: bool,
    pub progress: ExecutionProgress,
    pub map_runs: Vec<MapRun>,
    /// Every reason it is stuck, worst first (empty when it is not).
    pub stuck: Vec<Stuck>,
}

/// One revision of a machine's definition, and the span it was current in as far as known.
struct Revision {
    read: MachineDefinition,
    parsed: Result<Definition, String>,
    current_until_ms: i64,
}

impl Revision {
    fn served(&self, start_ms: i64) -> bool {
        (self.read.updated_ms..=self.current_until_ms).contains(&start_ms)
    }
}

/// Per machine: each revision of its definition read, shared by every read of the backends.
#[derive(Default)]
pub struct DefinitionCache {
    known: Mutex<HashMap<String, Vec<Revision>>>,
}

impl std::fmt::Debug for DefinitionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefinitionCache").finish_non_exhaustive()
    }
}

impl DefinitionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Revision>>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The revision known to have served an execution of `machine` started at `start_ms`.
    fn served(&self, machine: &str, start_ms: i64) -> Option<(String, Result<Definition, String>)> {
        let known = self.lock();
        let r = known.get(machine)?.iter().find(|r| r.served(start_ms))?;
        Some((r.read.definition.clone(), r.parsed.clone()))
    }

    /// Keep `ran`, read for an execution started at `start_ms` (parsed once per revision).
    fn learn(
        &self,
        machine: &str,
        ran: MachineDefinition,
        start_ms: i64,
    ) -> (String, Result<Definition, String>) {
        let mut known = self.lock();
        let revisions = known.entry(machine.to_string()).or_default();
        if let Some(r) = revisions
            .iter_mut()
            .find(|r| r.read.updated_ms == ran.updated_ms && r.read.definition == ran.definition)
        {
            r.current_until_ms = r.current_until_ms.max(start_ms);
            return (r.read.definition.clone(), r.parsed.clone());
        }
        let parsed = asl::parse(&ran.definition)
            .map_err(|e| format!("the definition of {} does not parse: {e}", ran.name));
        let out = (ran.definition.clone(), parsed.clone());
        revisions.push(Revision {
            read: ran,
            parsed,
            current_until_ms: start_ms,
        });
        out
    }
}

pub struct ExecutionReader<'a> {
    api: &'a dyn StepFunctions,
    pace: &'a dyn Pace,
    definitions: &'a DefinitionCache,
    histories: &'a HistoryCache,
    successes: HashMap<String, Vec<i64>>,
    now_ms: i64,
}

impl<'a> ExecutionReader<'a> {
    pub fn new(
        api: &'a dyn StepFunctions,
        pace: &'a dyn Pace,
        caches: (&'a DefinitionCache, &'a HistoryCache),
        now_ms: i64,
    ) -> Self {
        let (definitions, histories) = caches;
        Self {
            api,
            pace,
            definitions,
            histories,
            successes: HashMap::new(),
            now_ms,
        }
    }

    /// The definition `execution` ran (its text, and the parsed model or why not).
    pub async fn definition(
        &mut self,
        execution: &ExecutionSummary,
    ) -> Result<(String, Result<Definition, String>), BackendError> {
        let machine = execution.state_machine_arn.as_str();
        if let Some(known) = self.definitions.served(machine, execution.start_ms) {
            return Ok(known);
        }
        self.pace.before_call().await;
        let ran = self.api.definition_for_execution(&execution.arn).await?;
        Ok(self.definitions.learn(machine, ran, execution.start_ms))
    }

    /// The durations of the machine's recent successful runs (read once per machine).
    pub async fn successes(&mut self, machine_arn: &str) -> Result<Vec<i64>, BackendError> {
        if let Some(known) = self.successes.get(machine_arn) {
            return Ok(known.clone());
        }
        self.pace.before_call().await;
        let page = self
            .api
            .list_executions(&ExecutionsRequest {
                state_machine_arn: machine_arn.to_string(),
                status: Some(ExecutionStatus::Succeeded),
                max_results: Some(RECENT_SUCCESSES),
                next_token: None,
            })
            .await?;
        let durations: Vec<i64> = page
            .executions
            .iter()
            .map(|e| e.duration_ms(self.now_ms))
            .collect();
        self.successes
            .insert(machine_arn.to_string(), durations.clone());
        Ok(durations)
    }

    /// The whole history (at most the 25,000 events an execution keeps); true when there
    /// was more. What the cache holds is read again only from its last page; an ended
    /// execution's (when it is not `running`) not at all.
    pub async fn history(
        &mut self,
        execution_arn: &str,
        running: bool,
    ) -> Result<(Vec<HistoryEvent>, bool), BackendError> {
        let cached = self.histories.get(execution_arn);
        if let Some(h) = cached.as_ref().filter(|h| h.ended() && !running) {
            return Ok((h.events.clone(), h.truncated));
        }
        let mut history = cached.unwrap_or_default();
        let resumed = !history.pages.is_empty();
        let read = self.read_pages(execution_arn, &mut history).await;
        match read {
            Ok(()) => {}
            // A token no longer taken: read it all, once.
            Err(BackendError::InvalidInput(_)) if resumed => {
                history = CachedHistory::default();
                self.read_pages(execution_arn, &mut history).await?;
            }
            Err(e) => return Err(e),
        }
        self.histories.put(execution_arn, history.clone());
        Ok((history.events, history.truncated))
    }

    async fn read_pages(
        &mut self,
        execution_arn: &str,
        history: &mut CachedHistory,
    ) -> Result<(), BackendError> {
        let mut token = history.resume();
        loop {
            self.pace.before_call().await;
            let page = self
                .api
                .execution_history(execution_arn, token.as_deref())
                .await?;
            history.pages.push((history.events.len(), token));
            history.events.extend(page.events);
            token = page.next_token;
            history.truncated = token.is_some();
            if token.is_none() || history.events.len() >= MAX_HISTORY_EVENTS {
                return Ok(());
            }
        }
    }

    /// Everything about one execution, with every reason it is stuck.
    pub async fn read(
        &mut self,
        execution: &ExecutionSummary,
    ) -> Result<ExecutionReading, BackendError> {
        let (definition_text, definition) = self.definition(execution).await?;
        let (events, truncated) = self
            .history(&execution.arn, execution.status.is_running())
            .await?;
        let progress = ExecutionProgress::from_history(&events);
        let distributed = definition.as_ref().is_ok_and(|d| {
            d.states.iter().any(|s| {
                matches!(
                    s.kind,
                    StateKind::Map {
                        mode: MapMode::Distributed,
                        ..
                    }
                )
            })
        });
        // Read for a finished execution too: the pane shows the item counts either way.
        let map_runs = if distributed {
            self.pace.before_call().await;
            self.api.map_runs(&execution.arn).await?
        } else {
            Vec::new()
        };
        let successes = if execution.status.is_running() {
            self.successes(&execution.state_machine_arn).await?
        } else {
            Vec::new()
        };
        let stuck = detect_stuck(
            definition.as_ref().ok(),
            execution,
            &progress,
            &map_runs,
            &successes,
            self.now_ms,
            &StuckLimits::default(),
        );
        Ok(ExecutionReading {
            definition,
            definition_text,
            events,
            truncated,
            progress,
            map_runs,
            stuck,
        })
    }
}
