//! Live tail through the real `aws_sdk_cloudwatchlogs::Client`, against recorded event
//! streams (see `live_tail_fixture.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::Ordering;

use serde_json::json;

use super::*;

#[path = "live_tail_fixture.rs"]
mod fixture;
use fixture::*;

#[tokio::test]
async fn start_updates_and_end_of_stream() {
    let recorded = Recorded::stream(&[
        start(&["/aws/lambda/a", "/aws/lambda/b"]),
        update(
            false,
            json!([
                result(
                    &arn("/aws/lambda/b"),
                    "2026/11/20/[$LATEST]b1",
                    2_000,
                    "second"
                ),
                result(
                    &arn("/aws/lambda/a"),
                    "2026/11/20/[$LATEST]a1",
                    1_000,
                    "first\n"
                ),
            ]),
        ),
        // The heartbeat AWS sends when nothing was ingested in the last second.
        update(false, json!([])),
        update(
            true,
            json!([result(
                &format!("{ACCOUNT}:/aws/lambda/a"),
                "s",
                3_000,
                "hot"
            )]),
        ),
    ]);
    let (tail, who) = live_tail(&recorded);
    let req = LiveTailRequest {
        filter_pattern: Some("?ERROR ?first".into()),
        ..LiveTailRequest::for_groups(["/aws/lambda/a", "/aws/lambda/b"])
    };
    let mut session = tail.start_live_tail(&req).await.unwrap();

    // The request: log group ARNs built from the STS account, the operation, the host prefix.
    let sent = recorded.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].target, "Logs_20140328.StartLiveTail");
    assert_eq!(sent[0].uri, "http://stream-127.0.0.1:9/");
    assert_eq!(
        sent[0].body,
        json!({
            "logGroupIdentifiers": [arn("/aws/lambda/a"), arn("/aws/lambda/b")],
            "logEventFilterPattern": "?ERROR ?first",
        })
    );
    assert_eq!(who.asked.load(Ordering::SeqCst), 1);

    let got = drain(&mut session).await;
    let got: Vec<_> = got.into_iter().map(Result::unwrap).collect();
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(
        got[0],
        Some(LiveTailUpdate::Started {
            session_id: "sess-1".into(),
            groups: vec!["/aws/lambda/a".into(), "/aws/lambda/b".into()],
        })
    );
    let Some(LiveTailUpdate::Events { events, sampled }) = &got[1] else {
        panic!("{:?}", got[1]);
    };
    assert!(!sampled);
    let first = &events[0];
    assert_eq!(first.group, "/aws/lambda/a");
    assert_eq!(first.stream, "2026/11/20/[$LATEST]a1");
    assert_eq!(
        (first.timestamp_ms, first.ingestion_time_ms),
        (1_000, 1_700)
    );
    assert_eq!(first.message, "first\n");
    assert!(
        first.event_id.starts_with("live-1000-"),
        "{}",
        first.event_id
    );
    assert_eq!(events[1].group, "/aws/lambda/b");
    assert_eq!(events[1].message, "second");
    assert_ne!(first.event_id, events[1].event_id);
    // The empty heartbeat is skipped; the sampled update names its group `account:name`.
    let Some(LiveTailUpdate::Events { events, sampled }) = &got[2] else {
        panic!("{:?}", got[2]);
    };
    assert!(sampled);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].group, "/aws/lambda/a");
    assert!(
        matches!(&got[3], Some(LiveTailUpdate::Ended { .. })),
        "{:?}",
        got[3]
    );
    assert_eq!(got[4], None);
    assert_eq!(session.next().await, Ok(None));
}

#[tokio::test]
async fn session_timeout_ends_the_session() {
    let recorded = Recorded::stream(&[
        start(&["/g"]),
        update(false, json!([result(&arn("/g"), "s", 5, "before the end")])),
        exception("SessionTimeoutException", "Session timed out after 3 hours"),
    ]);
    let (tail, _) = live_tail(&recorded);
    let mut session = tail
        .start_live_tail(&LiveTailRequest::for_groups(["/g"]))
        .await
        .unwrap();
    let got: Vec<_> = drain(&mut session)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(matches!(got[0], Some(LiveTailUpdate::Started { .. })));
    assert!(
        matches!(&got[1], Some(LiveTailUpdate::Events { events, .. }) if events[0].message == "before the end")
    );
    let Some(LiveTailUpdate::Ended { reason }) = &got[2] else {
        panic!("{got:?}");
    };
    assert!(reason.contains("3 hours"), "{reason}");
    assert_eq!(got[3], None);
}

#[tokio::test]
async fn streaming_exception_is_a_retryable_error_that_ends_the_session() {
    let recorded = Recorded::stream(&[
        start(&["/g"]),
        exception("SessionStreamingException", "internal failure"),
    ]);
    let (tail, _) = live_tail(&recorded);
    let mut session = tail
        .start_live_tail(&LiveTailRequest::for_groups(["/g"]))
        .await
        .unwrap();
    assert!(matches!(
        session.next().await,
        Ok(Some(LiveTailUpdate::Started { .. }))
    ));
    let err = session.next().await.unwrap_err();
    assert!(matches!(err, BackendError::Other(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("internal failure"), "{err}");
    assert_eq!(session.next().await, Ok(None));
}

async fn start_error(status: u16, content_type: &'static str, body: &str) -> BackendError {
    let recorded = Recorded::answering(status, content_type, body.as_bytes().to_vec());
    let (tail, _) = live_tail(&recorded);
    match tail
        .start_live_tail(&LiveTailRequest::for_groups(["/g"]))
        .await
    {
        Ok(_) => panic!("HTTP {status} {body:?} opened a session"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn where_live_tail_is_not_offered_it_is_unavailable() {
    const JSON: &str = "application/x-amz-json-1.1";
    for (status, content_type, body) in [
        (404, "text/html", "<html><body>Not Found</body></html>"),
        (500, "text/html", "<h1>Internal Server Error</h1>"),
        (400, JSON, r#"{"__type":"UnknownOperationException"}"#),
        (
            400,
            JSON,
            r#"{"__type":"AccessDeniedException","message":"not allowed"}"#,
        ),
        (
            400,
            JSON,
            r#"{"__type":"LimitExceededException","message":"15 sessions"}"#,
        ),
        // A 200 that is not an event stream (an emulator answering with a JSON document).
        (200, JSON, r#"{"responseStream":[]}"#),
        (200, JSON, ""),
        // A region without a live tail host.
        (
            0,
            "",
            "dns error: failed to lookup address information: Name or service not known",
        ),
    ] {
        let err = start_error(status, content_type, body).await;
        assert!(err.is_unavailable(), "HTTP {status} {body}: {err:?}");
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn other_start_failures_keep_their_meaning() {
    const JSON: &str = "application/x-amz-json-1.1";
    let err = start_error(
        400,
        JSON,
        r#"{"__type":"ResourceNotFoundException","message":"no such group"}"#,
    )
    .await;
    assert!(matches!(err, BackendError::NotFound(_)), "{err:?}");
    let err = start_error(
        400,
        JSON,
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    )
    .await;
    assert!(err.is_throttling(), "{err:?}");
    let err = start_error(
        400,
        JSON,
        r#"{"__type":"InvalidParameterException","message":"bad pattern"}"#,
    )
    .await;
    assert!(matches!(err, BackendError::InvalidInput(_)), "{err:?}");
    let err = start_error(0, "", "Connection refused (os error 111)").await;
    assert!(matches!(err, BackendError::Network(_)), "{err:?}");
}

#[tokio::test]
async fn arns_are_sent_as_given_and_sts_is_asked_once() {
    let recorded = Recorded::stream(&[start(&["/x"])]);
    recorded.answers.lock().unwrap().extend([
        (
            200,
            "application/vnd.amazon.eventstream",
            frame(&[start(&["/y"])]),
        ),
        (
            200,
            "application/vnd.amazon.eventstream",
            frame(&[start(&["/y"])]),
        ),
    ]);
    let (tail, who) = live_tail(&recorded);
    let given = "arn:aws:logs:eu-west-1:999999999999:log-group:/shared/x:*";
    let req = LiveTailRequest {
        stream_prefixes: vec!["2026/".into()],
        ..LiveTailRequest::for_groups([given])
    };
    let mut session = tail.start_live_tail(&req).await.unwrap();
    assert_eq!(who.asked.load(Ordering::SeqCst), 0);
    assert_eq!(
        recorded.sent()[0].body,
        json!({
            "logGroupIdentifiers": ["arn:aws:logs:eu-west-1:999999999999:log-group:/shared/x"],
            "logStreamNamePrefixes": ["2026/"],
        })
    );
    // The session start names a group this session did not ask for: kept by its name.
    assert!(
        matches!(session.next().await, Ok(Some(LiveTailUpdate::Started { groups, .. })) if groups == ["/x"])
    );
    for _ in 0..2 {
        tail.start_live_tail(&LiveTailRequest::for_groups(["/y"]))
            .await
            .unwrap();
    }
    assert_eq!(who.asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn invalid_requests_never_reach_aws() {
    let recorded = Recorded::default();
    let (tail, who) = live_tail(&recorded);
    let err = match tail
        .start_live_tail(&LiveTailRequest::for_groups(
            (0..11).map(|i| format!("/g/{i}")),
        ))
        .await
    {
        Ok(_) => panic!("11 groups accepted"),
        Err(e) => e,
    };
    assert!(matches!(err, BackendError::InvalidInput(_)), "{err:?}");
    assert!(recorded.sent().is_empty());
    assert_eq!(who.asked.load(Ordering::SeqCst), 0);
    let unavailable = LiveTailUnavailable::new("custom endpoint");
    let err = match unavailable
        .start_live_tail(&LiveTailRequest::for_groups(["/g"]))
        .await
    {
        Ok(_) => panic!("opened"),
        Err(e) => e,
    };
    assert_eq!(err, BackendError::Unavailable("custom endpoint".into()));
}

#[test]
fn group_keys_and_partitions() {
    let keys = GroupKeys::new(
        &["/a".to_string(), "/a/b".to_string()],
        vec![arn("/a"), arn("/a/b")],
    );
    assert_eq!(keys.key_of(&arn("/a/b")), "/a/b");
    assert_eq!(keys.key_of(&format!("{}:*", arn("/a"))), "/a");
    assert_eq!(keys.key_of(&format!("{ACCOUNT}:/a/b")), "/a/b");
    assert_eq!(keys.key_of("/a"), "/a");
    assert_eq!(keys.key_of(&arn("/other")), "/other");
    assert_eq!(partition_of_region("cn-north-1"), "aws-cn");
    assert_eq!(partition_of_region("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition_of_region("eu-west-1"), "aws");
}
