//! The world's CloudWatch Logs storage: groups, streams and events, queried the way
//! FilterLogEvents answers (one group, a time range, streams, a pattern, pages).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use crate::model::{BackendError, FilterPage, FilterRequest, LogEvent, LogGroup};

use super::catalogue::{DEMO_ACCOUNT, DEMO_REGION};
use super::filter_pattern::FilterPattern;

/// FilterLogEvents' default and maximum page size.
pub const MAX_PAGE_SIZE: usize = 10_000;

/// Events kept per group; the oldest are dropped beyond this.
pub const MAX_EVENTS_PER_GROUP: usize = 20_000;

/// The order FilterLogEvents returns events in: timestamp, then ingestion, then arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct EventKey {
    timestamp_ms: i64,
    ingestion_ms: i64,
    seq: u64,
}

#[derive(Debug, Clone)]
struct StoredEvent {
    stream: Arc<str>,
    message: String,
}

#[derive(Debug)]
struct GroupLog {
    created_ms: i64,
    retention_days: Option<i32>,
    stored_bytes: i64,
    streams: BTreeSet<Arc<str>>,
    events: BTreeMap<EventKey, StoredEvent>,
}

/// One stored event, as [`LogStore::scan`] lends it.
#[derive(Debug, Clone, Copy)]
pub struct ScannedEvent<'a> {
    pub group: &'a str,
    pub stream: &'a str,
    pub timestamp_ms: i64,
    pub ingestion_ms: i64,
    pub message: &'a str,
}

/// Who wrote an event. Each writer numbers its events separately, so that events put by a
/// client never shift the ids of the generated ones (which depend only on seed and time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    Simulation,
    Client,
}

/// Client-written events are numbered from here on.
const FIRST_CLIENT_SEQ: u64 = 1 << 62;

/// All log groups of the world.
#[derive(Debug)]
pub struct LogStore {
    groups: BTreeMap<String, GroupLog>,
    next_simulation_seq: u64,
    next_client_seq: u64,
}

impl Default for LogStore {
    fn default() -> Self {
        Self {
            groups: BTreeMap::new(),
            next_simulation_seq: 0,
            next_client_seq: FIRST_CLIENT_SEQ,
        }
    }
}

impl LogStore {
    pub fn create_group(
        &mut self,
        name: &str,
        created_ms: i64,
        retention_days: Option<i32>,
    ) -> Result<(), BackendError> {
        if name.is_empty() || name.len() > 512 {
            return Err(BackendError::InvalidInput(format!(
                "log group name must be 1 to 512 characters long, got {:?}",
                name
            )));
        }
        if self.groups.contains_key(name) {
            return Err(BackendError::InvalidInput(format!(
                "log group {name} already exists"
            )));
        }
        self.groups.insert(
            name.to_owned(),
            GroupLog {
                created_ms,
                retention_days,
                stored_bytes: 0,
                streams: BTreeSet::new(),
                events: BTreeMap::new(),
            },
        );
        Ok(())
    }

    /// The stream's shared name, creating the stream if needed.
    pub fn stream(&mut self, group: &str, stream: &str) -> Result<Arc<str>, BackendError> {
        let log = self.group_mut(group)?;
        if let Some(existing) = log.streams.get(stream) {
            return Ok(Arc::clone(existing));
        }
        let name: Arc<str> = Arc::from(stream);
        log.streams.insert(Arc::clone(&name));
        Ok(name)
    }

    /// Stores one event; the oldest events of the group are dropped beyond
    /// [`MAX_EVENTS_PER_GROUP`].
    pub fn append(
        &mut self,
        group: &str,
        stream: &Arc<str>,
        timestamp_ms: i64,
        ingestion_ms: i64,
        message: String,
        source: EventSource,
    ) -> Result<(), BackendError> {
        let log = self
            .groups
            .get_mut(group)
            .ok_or_else(|| BackendError::NotFound(format!("log group {group} does not exist")))?;
        let counter = match source {
            EventSource::Simulation => &mut self.next_simulation_seq,
            EventSource::Client => &mut self.next_client_seq,
        };
        let seq = *counter;
        *counter += 1;
        log.stored_bytes += i64::try_from(message.len()).unwrap_or(0);
        log.events.insert(
            EventKey {
                timestamp_ms,
                ingestion_ms,
                seq,
            },
            StoredEvent {
                stream: Arc::clone(stream),
                message,
            },
        );
        while log.events.len() > MAX_EVENTS_PER_GROUP {
            log.events.pop_first();
        }
        Ok(())
    }

    pub fn list_groups(&self, prefix: Option<&str>) -> Vec<LogGroup> {
        self.groups
            .iter()
            .filter(|(name, _)| prefix.is_none_or(|p| name.starts_with(p)))
            .map(|(name, log)| LogGroup {
                name: name.clone(),
                arn: Some(format!(
                    "arn:aws:logs:{DEMO_REGION}:{DEMO_ACCOUNT}:log-group:{name}:*"
                )),
                created_ms: Some(log.created_ms),
                stored_bytes: Some(log.stored_bytes),
                retention_days: log.retention_days,
            })
            .collect()
    }

    /// One FilterLogEvents page, as of `now_ms` (events not yet ingested are invisible).
    pub fn filter(&self, req: &FilterRequest, now_ms: i64) -> Result<FilterPage, BackendError> {
        let limit = page_size(req.limit)?;
        let pattern = FilterPattern::parse(req.filter_pattern.as_deref().unwrap_or(""))?;
        let log = self.groups.get(&req.group).ok_or_else(|| {
            BackendError::NotFound(format!("log group {} does not exist", req.group))
        })?;
        let lower = match req.next_token.as_deref() {
            Some(token) => Bound::Excluded(decode_token(token)?),
            None => Bound::Included(EventKey {
                timestamp_ms: req.start_ms,
                ingestion_ms: i64::MIN,
                seq: 0,
            }),
        };
        let end_ms = req.end_ms.unwrap_or(i64::MAX);
        let stream_matches = |stream: &str| {
            if !req.stream_names.is_empty() {
                req.stream_names.iter().any(|s| s == stream)
            } else {
                req.stream_prefix
                    .as_deref()
                    .is_none_or(|p| stream.starts_with(p))
            }
        };
        let mut matching = log
            .events
            .range((lower, Bound::Unbounded))
            .take_while(|(key, _)| key.timestamp_ms <= end_ms)
            .filter(|(key, event)| {
                key.timestamp_ms >= req.start_ms
                    && key.ingestion_ms <= now_ms
                    && stream_matches(&event.stream)
                    && pattern.matches(&event.message)
            });
        let mut events = Vec::new();
        let mut last_key = None;
        for (key, event) in matching.by_ref().take(limit) {
            last_key = Some(*key);
            events.push(LogEvent {
                timestamp_ms: key.timestamp_ms,
                ingestion_time_ms: key.ingestion_ms,
                group: req.group.clone(),
                stream: event.stream.to_string(),
                event_id: event_id(key),
                message: event.message.clone(),
            });
        }
        let next_token = match (last_key, matching.next()) {
            (Some(key), Some(_)) => Some(encode_token(&key)),
            _ => None,
        };
        Ok(FilterPage { events, next_token })
    }

    pub fn has_group(&self, group: &str) -> bool {
        self.groups.contains_key(group)
    }

    /// Every event of `groups` stamped in `[start_ms, end_ms]` and ingested by `now_ms`,
    /// group by group, oldest first (what a Logs Insights query reads).
    pub fn scan<'a>(
        &'a self,
        groups: &'a [String],
        start_ms: i64,
        end_ms: i64,
        now_ms: i64,
    ) -> impl Iterator<Item = ScannedEvent<'a>> + 'a {
        groups
            .iter()
            .filter_map(|name| self.groups.get(name).map(|log| (name, log)))
            .flat_map(move |(name, log)| {
                let from = EventKey {
                    timestamp_ms: start_ms,
                    ingestion_ms: i64::MIN,
                    seq: 0,
                };
                log.events
                    .range(from..)
                    .take_while(move |(key, _)| key.timestamp_ms <= end_ms)
                    .filter(move |(key, _)| key.ingestion_ms <= now_ms)
                    .map(move |(key, event)| ScannedEvent {
                        group: name,
                        stream: &event.stream,
                        timestamp_ms: key.timestamp_ms,
                        ingestion_ms: key.ingestion_ms,
                        message: &event.message,
                    })
            })
    }

    fn group_mut(&mut self, group: &str) -> Result<&mut GroupLog, BackendError> {
        self.groups
            .get_mut(group)
            .ok_or_else(|| BackendError::NotFound(format!("log group {group} does not exist")))
    }
}

fn page_size(limit: Option<i32>) -> Result<usize, BackendError> {
    match limit {
        None => Ok(MAX_PAGE_SIZE),
        Some(n) => match usize::try_from(n) {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
            _ => Err(BackendError::InvalidInput(format!(
                "limit must be between 1 and {MAX_PAGE_SIZE}, got {n}"
            ))),
        },
    }
}

/// A numeric id, unique per group (the sequence number is unique in the whole world).
fn event_id(key: &EventKey) -> String {
    format!("{:020}{:020}", key.timestamp_ms.max(0), key.seq)
}

const TOKEN_PREFIX: &str = "sim1/";

fn encode_token(key: &EventKey) -> String {
    format!(
        "{TOKEN_PREFIX}{}/{}/{}",
        key.timestamp_ms, key.ingestion_ms, key.seq
    )
}

fn decode_token(token: &str) -> Result<EventKey, BackendError> {
    let invalid = || BackendError::InvalidInput(format!("the next token {token:?} is not valid"));
    let mut parts = token
        .strip_prefix(TOKEN_PREFIX)
        .ok_or_else(invalid)?
        .split('/');
    let mut field = || parts.next().ok_or_else(invalid);
    let timestamp_ms = field()?.parse().map_err(|_| invalid())?;
    let ingestion_ms = field()?.parse().map_err(|_| invalid())?;
    let seq = field()?.parse().map_err(|_| invalid())?;
    Ok(EventKey {
        timestamp_ms,
        ingestion_ms,
        seq,
    })
}
