//! SDK types -> model types. The only place SDK shapes are mapped.

use std::hash::{DefaultHasher, Hash, Hasher};

use aws_sdk_cloudwatchlogs::types::{FilteredLogEvent, LogGroup as SdkLogGroup};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;

use crate::model::{Identity, LogEvent, LogGroup};

/// A DescribeLogGroups entry. Groups without a name (never seen in practice) are dropped.
pub(crate) fn log_group(g: &SdkLogGroup) -> Option<LogGroup> {
    let name = g.log_group_name()?.to_string();
    Some(LogGroup {
        name,
        // `logGroupArn` is the ARN without the trailing ":*" that `arn` carries.
        arn: g.log_group_arn().or(g.arn()).map(str::to_string),
        created_ms: g.creation_time(),
        stored_bytes: g.stored_bytes(),
        retention_days: g.retention_in_days(),
    })
}

/// A FilterLogEvents event. FilteredLogEvent carries no group name: the caller passes the
/// group it asked for. Every field is optional in the SDK; missing ones get neutral values
/// and a missing event id a stable synthetic one (the de-duplication key must exist).
pub(crate) fn log_event(group: &str, e: &FilteredLogEvent) -> LogEvent {
    event_from_parts(
        group,
        e.log_stream_name(),
        e.timestamp(),
        e.ingestion_time(),
        e.message().unwrap_or_default().to_string(),
        e.event_id(),
    )
}

/// A FilterLogEvents event from its fields as the service sent them (from the SDK, or from
/// a page read leniently): the same neutral values and synthetic id either way.
pub(crate) fn event_from_parts(
    group: &str,
    stream: Option<&str>,
    timestamp_ms: Option<i64>,
    ingestion_time_ms: Option<i64>,
    message: String,
    event_id: Option<&str>,
) -> LogEvent {
    let stream = stream.unwrap_or_default().to_string();
    let timestamp_ms = timestamp_ms.unwrap_or(0);
    let ingestion_time_ms = ingestion_time_ms.unwrap_or(timestamp_ms);
    let event_id = match event_id {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => synthetic_event_id(&stream, timestamp_ms, ingestion_time_ms, &message),
    };
    LogEvent {
        timestamp_ms,
        ingestion_time_ms,
        group: group.to_string(),
        stream,
        event_id,
        message,
    }
}

/// Orders one page by event time. CloudWatch already does; moto does not interleave the
/// streams of a page. Stable, so events with equal timestamps keep the service's order.
pub(crate) fn sort_page(events: &mut [LogEvent]) {
    events.sort_by_key(|e| e.timestamp_ms);
}

fn synthetic_event_id(stream: &str, ts: i64, ingested: i64, message: &str) -> String {
    // DefaultHasher::new() has fixed keys: the same event always gets the same id.
    let mut h = DefaultHasher::new();
    (stream, ts, ingested, message).hash(&mut h);
    format!("synthetic-{ts}-{:016x}", h.finish())
}

/// STS GetCallerIdentity.
pub(crate) fn identity(out: &GetCallerIdentityOutput) -> Identity {
    Identity {
        account: out.account().map(str::to_string),
        arn: out.arn().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtered_event_maps_every_field() {
        let e = FilteredLogEvent::builder()
            .log_stream_name("s1")
            .timestamp(1_000)
            .ingestion_time(1_500)
            .message("\u{1b}[31mred\u{1b}[0m")
            .event_id("42")
            .build();
        let ev = log_event("/g", &e);
        assert_eq!(ev.group, "/g");
        assert_eq!(ev.stream, "s1");
        assert_eq!(ev.timestamp_ms, 1_000);
        assert_eq!(ev.ingestion_time_ms, 1_500);
        assert_eq!(ev.event_id, "42");
        assert_eq!(ev.message, "\u{1b}[31mred\u{1b}[0m");
    }

    #[test]
    fn missing_event_id_gets_a_stable_synthetic_one() {
        let e = FilteredLogEvent::builder()
            .log_stream_name("s")
            .timestamp(5)
            .message("m")
            .build();
        let a = log_event("/g", &e);
        let b = log_event("/g", &e);
        assert_eq!(a.event_id, b.event_id);
        assert!(a.event_id.starts_with("synthetic-5-"));
        assert_eq!(a.ingestion_time_ms, 5);
    }

    #[test]
    fn log_group_prefers_the_arn_without_star() {
        let g = SdkLogGroup::builder()
            .log_group_name("/aws/lambda/x")
            .arn("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*")
            .log_group_arn("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x")
            .creation_time(7)
            .stored_bytes(9)
            .retention_in_days(14)
            .build();
        let m = log_group(&g);
        assert_eq!(
            m,
            Some(LogGroup {
                name: "/aws/lambda/x".into(),
                arn: Some("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x".into()),
                created_ms: Some(7),
                stored_bytes: Some(9),
                retention_days: Some(14),
            })
        );
        assert_eq!(log_group(&SdkLogGroup::builder().build()), None);
    }

    #[test]
    fn sort_page_is_stable() {
        let mk = |ts, id: &str| LogEvent {
            timestamp_ms: ts,
            ingestion_time_ms: ts,
            group: "g".into(),
            stream: "s".into(),
            event_id: id.into(),
            message: String::new(),
        };
        let mut v = vec![mk(3, "a"), mk(1, "b"), mk(3, "c"), mk(2, "d")];
        sort_page(&mut v);
        let ids: Vec<_> = v.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(ids, ["b", "d", "a", "c"]);
    }
}
