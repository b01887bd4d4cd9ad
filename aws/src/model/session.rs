//! Who and where the app is connected.

/// Who the credentials belong to (STS GetCallerIdentity).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub account: Option<String>,
    pub arn: Option<String>,
}
