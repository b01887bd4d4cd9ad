//! Plain data types shared by the backends, the app and the views. No IO.

mod error;
mod logs;

pub use error::BackendError;
pub use logs::{FilterPage, FilterRequest, Identity, LogEvent, LogGroup};
