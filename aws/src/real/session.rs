//! Who we are, through STS GetCallerIdentity.

use async_trait::async_trait;
use aws_sdk_sts::Client;

use super::convert;
use super::errors::{ErrorContext, classify};
use crate::api::Session;
use crate::model::{BackendError, Identity};

/// The real [`Session`] backend.
#[derive(Debug, Clone)]
pub struct RealSession {
    client: Client,
    cx: ErrorContext,
}

impl RealSession {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

#[async_trait]
impl Session for RealSession {
    async fn identity(&self) -> Result<Identity, BackendError> {
        let out = self
            .client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify(&e, "GetCallerIdentity", &self.cx))?;
        Ok(convert::identity(&out))
    }
}
