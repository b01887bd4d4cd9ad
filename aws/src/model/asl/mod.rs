//! A Step Functions definition (Amazon States Language) as a model: every state type, the
//! blocks of Parallel branches and Map processors, and the transitions between states. Built
//! by [`parse`] from the definition text; a malformed definition is an [`AslError`] that names
//! the state, never a panic. Names are sanitised at ingest (a definition is untrusted text).
//!
//! States live in one arena ([`Definition::states`]) and are referred to by [`StateId`]: a
//! name can repeat across branches, an id cannot.

mod check;
mod choice_rule;
mod json_tree;
mod parse;

pub use json_tree::Json;
pub use parse::{lambda_function_name, parse};

/// A state's index in [`Definition::states`].
pub type StateId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    JsonAta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub comment: Option<String>,
    pub query_language: QueryLanguage,
    /// Every state of every block, each block's states in definition order.
    pub states: Vec<State>,
    pub root: Block,
    /// What is odd but runs (a state no transition reaches).
    pub warnings: Vec<String>,
}

/// The states of one machine, branch or Map processor.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub start: StateId,
    /// In definition order.
    pub members: Vec<StateId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub id: StateId,
    pub name: String,
    pub kind: StateKind,
    /// The Parallel or Map state whose block holds this one.
    pub parent: Option<StateId>,
    pub comment: Option<String>,
    pub next: Option<StateId>,
    pub end: bool,
    pub catches: Vec<Catcher>,
    pub retries: Vec<Retrier>,
    pub query_language: QueryLanguage,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Task(TaskSpec),
    Pass,
    Choice {
        rules: Vec<ChoiceRule>,
        default: Option<StateId>,
    },
    Wait(WaitSpec),
    Succeed,
    Fail {
        error: Option<String>,
        cause: Option<String>,
    },
    Parallel {
        branches: Vec<Block>,
    },
    Map {
        processor: Block,
        mode: MapMode,
    },
}

impl StateKind {
    /// A Parallel or a Map: a region that holds blocks of states.
    pub fn is_region(&self) -> bool {
        matches!(self, StateKind::Parallel { .. } | StateKind::Map { .. })
    }

    /// The ASL `Type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Task(_) => "Task",
            StateKind::Pass => "Pass",
            StateKind::Choice { .. } => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail { .. } => "Fail",
            StateKind::Parallel { .. } => "Parallel",
            StateKind::Map { .. } => "Map",
        }
    }

    /// The blocks this state holds (Parallel branches, a Map's processor).
    pub fn blocks(&self) -> &[Block] {
        match self {
            StateKind::Parallel { branches } => branches,
            StateKind::Map { processor, .. } => std::slice::from_ref(processor),
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    pub resource: String,
    pub pattern: TaskPattern,
    /// `TimeoutSeconds` (or the path/expression giving it).
    pub timeout: Option<Seconds>,
    pub heartbeat: Option<Seconds>,
    /// The Lambda function it invokes, by name or ARN as written, when it invokes one.
    pub function: Option<String>,
    /// Where its Parameters (or Arguments) put the task token (`$$.Task.Token`), as key
    /// paths (`[0]` for an array item), so the token can be read back from the rendered
    /// parameters of TaskScheduled.
    pub token_paths: Vec<Vec<String>>,
}

impl TaskSpec {
    /// The task token in `rendered`, the parameters TaskScheduled reports (JSON text).
    pub fn token_in(&self, rendered: &str) -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(rendered).ok()?;
        self.token_paths.iter().find_map(|path| {
            let found = path.iter().try_fold(&value, |v, key| {
                match key.strip_prefix('[').and_then(|k| k.strip_suffix(']')) {
                    Some(index) => v.get(index.parse::<usize>().ok()?),
                    None => v.get(key),
                }
            })?;
            found.as_str().filter(|t| !t.is_empty()).map(str::to_string)
        })
    }
}

/// How the task waits for its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskPattern {
    /// The call returns and the state moves on.
    RequestResponse,
    /// `.sync`: waits for the job it started.
    Sync,
    /// `.waitForTaskToken`: waits until someone sends the token back.
    WaitForTaskToken,
    /// An activity ARN: waits for a worker to poll it.
    Activity,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Seconds {
    Fixed(u64),
    /// A JSONPath (`TimeoutSecondsPath`) or JSONata expression.
    Dynamic(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaitSpec {
    Seconds(Seconds),
    /// An RFC 3339 time, or the path/expression giving one.
    Until(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMode {
    Inline,
    Distributed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub errors: Vec<String>,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub errors: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    /// The condition in words: `$.status == "APPROVED"`, `{% $amount > 100 %}`.
    pub summary: String,
    pub next: StateId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    Next,
    Choice,
    Default,
    Catch,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Choice => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch => "catch",
        }
    }
}

/// A transition between two states of one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: StateId,
    pub to: StateId,
    pub kind: EdgeKind,
}

impl State {
    /// Where this state can go, in a fixed order: Next, the Choice rules, Default, Catches.
    /// A target reached twice (a rule and the default to the same state) is listed once.
    pub fn edges(&self) -> Vec<Edge> {
        let mut out: Vec<Edge> = Vec::new();
        let mut add = |to: StateId, kind: EdgeKind| {
            if !out.iter().any(|e| e.to == to) {
                out.push(Edge {
                    from: self.id,
                    to,
                    kind,
                });
            }
        };
        if let Some(next) = self.next {
            add(next, EdgeKind::Next);
        }
        if let StateKind::Choice { rules, default } = &self.kind {
            for rule in rules {
                add(rule.next, EdgeKind::Choice);
            }
            if let Some(default) = default {
                add(*default, EdgeKind::Default);
            }
        }
        for catch in &self.catches {
            add(catch.next, EdgeKind::Catch);
        }
        out
    }
}

impl Definition {
    pub fn state(&self, id: StateId) -> Option<&State> {
        self.states.get(id)
    }

    /// Every state as a person reads the definition: each block's states in order, a
    /// Parallel's or Map's states right after it.
    pub fn reading_order(&self) -> Vec<StateId> {
        let mut out = Vec::with_capacity(self.states.len());
        let mut todo: Vec<StateId> = self.root.members.iter().rev().copied().collect();
        while let Some(id) = todo.pop() {
            out.push(id);
            if let Some(state) = self.states.get(id) {
                for block in state.kind.blocks().iter().rev() {
                    todo.extend(block.members.iter().rev());
                }
            }
        }
        out
    }

    /// The states called `name` (more than one when branches reuse a name).
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a State> + 'a {
        self.states.iter().filter(move |s| s.name == name)
    }
}

/// What is wrong with a definition, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AslError {
    /// The state it is about, when it is about one.
    pub state: Option<String>,
    /// Where in the document: `States.Review.Branches[0].States.Check.Next`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for AslError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.state, self.path.is_empty()) {
            (Some(state), true) => write!(f, "state \"{state}\": {}", self.message),
            (Some(state), false) => {
                write!(f, "state \"{state}\" ({}): {}", self.path, self.message)
            }
            (None, true) => f.write_str(&self.message),
            (None, false) => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for AslError {}

#[cfg(test)]
mod tests;
