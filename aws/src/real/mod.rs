//! The real AWS backend: aws-sdk-rust clients behind the [`crate::api`] traits.
//!
//! This module is the only place the SDK is named. [`connect`] builds one `SdkConfig` (standard
//! credential chain, profiles, SSO, region, endpoint overrides) and one HTTPS client shared by
//! every service client. SDK types are mapped to the model in `convert` (the live tail event
//! stream in `live_tail`), and every SDK error goes through `errors`.

mod call_counter;
mod cloudwatch;
mod connect;
mod convert;
mod errors;
mod functions;
mod insights;
mod lenient_page;
mod live_tail;
mod logs;
mod queues;
mod queues_convert;
#[cfg(test)]
mod queues_mocked;
mod session;
#[cfg(test)]
mod signals_mocked;
mod step_functions;
mod step_functions_convert;
#[cfg(test)]
mod step_functions_mocked;
mod synthetics;

pub use cloudwatch::RealCloudWatch;
pub use connect::{ConnectOptions, connect};
pub use functions::RealFunctions;
pub use insights::RealInsights;
pub use live_tail::{LiveTailUnavailable, RealLiveTail};
pub use logs::RealLogs;
pub use queues::RealQueues;
pub use session::RealSession;
pub use step_functions::RealStepFunctions;
pub use synthetics::{RealRum, RealSynthetics};
