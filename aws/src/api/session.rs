//! Who and where we are (STS), and the topic the header polls for it.

use std::time::Duration;

use async_trait::async_trait;

use super::Backends;
use super::topic::{Service, TopicTiming};
use crate::model::{BackendError, Identity};

/// Who and where we are.
#[async_trait]
pub trait Session: Send + Sync {
    async fn identity(&self) -> Result<Identity, BackendError>;
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionTopic {
    /// STS GetCallerIdentity: the account shown in the header.
    Identity,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SessionData {
    Identity(Identity),
}

impl SessionTopic {
    pub fn timing(&self) -> TopicTiming {
        TopicTiming::every(Duration::from_secs(15 * 60))
    }

    pub fn service(&self) -> Service {
        Service::Session
    }

    pub fn resource(&self) -> String {
        "account".to_string()
    }

    pub async fn fetch(&self, backends: &Backends) -> Result<SessionData, BackendError> {
        match self {
            SessionTopic::Identity => backends.session.identity().await.map(SessionData::Identity),
        }
    }
}
