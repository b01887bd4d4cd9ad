//! unstuck: a terminal UI for observing and operating serverless apps on AWS.
//!
//! Data flow (see ARCHITECTURE.md): input, poller and tail tasks send `Msg`s into one
//! bounded channel; the runtime loop owns `AppState`, runs the pure `state::update`
//! reducer, carries out the `Effect`s it returns and draws only when something changed.

pub mod budgets;
pub mod cli;
pub mod cli_queues;
pub mod cli_signals;
pub mod commands;
pub mod config;
pub mod executions_command;
pub mod exit;
pub mod graph_command;
pub mod insights;
pub mod queues;
pub mod queues_command;
pub mod runtime;
pub mod signals_command;
pub mod snapshot_command;
pub mod startup;
pub mod state;
pub mod tail;
pub mod tail_command;
