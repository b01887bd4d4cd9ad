//! Working with SQS queues from the app and the headless commands: naming them, peeking
//! and exporting (receives that take nothing), and selective redrive (send, then delete,
//! journalled). No SDK here: everything goes through the [`unstuck_aws::api::Queues`] and
//! [`unstuck_aws::api::QueuesOps`] traits, so the demo world runs the same code.

pub mod filter;
pub mod journal;
mod pacer;
pub mod reading;
pub mod redrive;
mod redrive_loop;
pub mod target;

pub use filter::MessageFilter;
pub use journal::{Journal, default_journal_path, journal_for};
pub use reading::{ReadError, ReadSummary, export, message_json, read_messages, receive_warning};
pub use redrive::{
    Decision, RedriveCounts, RedriveError, RedriveOptions, RedriveReport, decide, redrive,
};
pub use target::{Destination, QueueTarget, check_types, native_refusal, resolve};
