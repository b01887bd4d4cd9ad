//! unstuck-aws: the domain model, the backend traits, the real AWS backend (`real`, the only
//! place aws-sdk-rust is named) and the embedded demo world (`sim`).
//!
//! With default features off this crate is the model only (plus the untrusted-text
//! sanitiser), which is all `unstuck-views` may depend on.

pub mod model;
pub mod untrusted_text;

#[cfg(feature = "backends")]
pub mod api;
#[cfg(feature = "real")]
pub mod real;
#[cfg(feature = "sim")]
pub mod sim;
