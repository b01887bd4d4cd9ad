//! STS served by the demo world: one fixed account and role.

use async_trait::async_trait;

use crate::api::Session;
use crate::model::{BackendError, Identity};

use super::{DEMO_ACCOUNT, DEMO_ROLE_ARN, SimWorld};

#[async_trait]
impl Session for SimWorld {
    async fn identity(&self) -> Result<Identity, BackendError> {
        Ok(Identity {
            account: Some(DEMO_ACCOUNT.to_owned()),
            arn: Some(DEMO_ROLE_ARN.to_owned()),
        })
    }
}
