//! What a demo execution is made of: the decisions of its [`Oracle`], what operators did to it
//! ([`Interventions`]), and the [`Timeline`] the walker writes from both.

use std::collections::HashMap;

use crate::model::step_functions::{ExecutionStatus, HistoryEvent};

/// What happens to a task's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskFate {
    Succeeds,
    /// Fails once with this error, then succeeds on the retry.
    RetriedOnce(String),
    /// Fails with (error, cause); a Catch may take it.
    Fails(String, String),
}

/// The decisions of one execution.
pub trait Oracle {
    /// Which Choice rule holds (`rules` means the Default).
    fn choose(&mut self, state: &str, rules: usize) -> usize;
    /// How long until the token of a `.waitForTaskToken` task comes back; None: never.
    fn token_after_ms(&mut self, state: &str) -> Option<i64>;
    /// The task's output once it succeeds (a token's answer, a Lambda's result).
    fn task_output(&mut self, state: &str) -> String;
    fn task_fate(&mut self, state: &str) -> TaskFate;
    /// How long one piece of work takes.
    fn work_ms(&mut self, state: &str) -> i64;
    /// Items of a Map.
    fn map_items(&mut self, state: &str) -> usize;
    /// The task token handed to a `.waitForTaskToken` task.
    fn task_token(&mut self, state: &str) -> String;
}

/// How an operator answered a task token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    Success(String),
    Failure {
        error: Option<String>,
        cause: Option<String>,
    },
}

/// A stop or a redrive, at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Stop {
        error: Option<String>,
        cause: Option<String>,
    },
    Redrive,
}

/// What operators did to one execution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interventions {
    /// Task tokens answered: token -> (when, how).
    pub answers: HashMap<String, (i64, TokenAnswer)>,
    /// Stops and redrives, in the order done.
    pub operations: Vec<(i64, Operation)>,
}

/// One task token handed out: when, and when its task stopped waiting (None: never).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSpan {
    pub token: String,
    pub handed_ms: i64,
    pub closed_ms: Option<i64>,
}

/// One Lambda invocation made by a task: the demo world writes its logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaRun {
    /// The function's name (no alias, no ARN).
    pub function: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub request_id: String,
    /// The error it failed with, if it did.
    pub error: Option<String>,
}

/// The whole life of an execution: its events, and how and when it ends (None: it never
/// does on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub events: Vec<HistoryEvent>,
    pub end: Option<(ExecutionStatus, i64)>,
    pub tokens: Vec<TokenSpan>,
    pub redrives: u32,
    /// Its Lambda invocations, in the order started.
    pub lambdas: Vec<LambdaRun>,
}

impl Timeline {
    /// Whether the execution is waiting on `token` at `now_ms`.
    pub fn waits_on(&self, token: &str, now_ms: i64) -> bool {
        let running = self.end.is_none_or(|(_, at)| at > now_ms);
        running
            && self.tokens.iter().any(|t| {
                t.token == token && t.handed_ms <= now_ms && t.closed_ms.is_none_or(|c| c > now_ms)
            })
    }

    /// Whether `token` was ever handed out in this execution.
    pub fn handed(&self, token: &str) -> bool {
        self.tokens.iter().any(|t| t.token == token)
    }
}
