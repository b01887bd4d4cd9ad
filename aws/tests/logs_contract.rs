//! The `Logs` contract, held against both backends: the simulated world (`sim_*` tests) and
//! the real backend talking to moto (`moto_*` tests, which need `scripts/test`).
//!
//! moto is shared by all tests of a run: every test uses its own, uniquely named groups.

#![cfg(feature = "real")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use support::{Fixture, connect_to, moto_endpoint, unique};
use unstuck_aws::model::{BackendError, FilterRequest, LogEvent};
use unstuck_aws::real::{ConnectOptions, connect};

fn request(group: &str, start_ms: i64) -> FilterRequest {
    FilterRequest {
        group: group.to_string(),
        start_ms,
        ..FilterRequest::default()
    }
}

/// Follows `next_token` to the end (bounded, so a backend that loops fails instead of hanging).
async fn all_pages(f: &Fixture, mut req: FilterRequest) -> (Vec<LogEvent>, usize) {
    let logs = f.logs();
    let mut events = Vec::new();
    for pages in 1..=200 {
        let page = logs.filter_log_events(&req).await.unwrap();
        events.extend(page.events);
        match page.next_token {
            Some(token) => req.next_token = Some(token),
            None => return (events, pages),
        }
    }
    panic!("more than 200 pages: the backend does not end its pagination");
}

// --- the contract ---------------------------------------------------------------------------

async fn lists_groups_by_prefix_sorted(f: Fixture) {
    let root = format!("/unstuck-test/{}", unique("list"));
    let prefix = format!("{root}/svc/");
    for leaf in ["charlie", "alpha", "bravo"] {
        f.create_group(&format!("{prefix}{leaf}")).await;
    }
    f.create_group(&format!("{root}/other/alpha")).await;
    f.create_group(&format!("{root}/svcx")).await;

    let names: Vec<String> = f
        .logs()
        .list_log_groups(Some(&prefix))
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(
        names,
        ["alpha", "bravo", "charlie"].map(|l| format!("{prefix}{l}"))
    );

    let all = f.logs().list_log_groups(None).await.unwrap();
    let all_names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
    assert!(all_names.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    assert!(all_names.contains(&format!("{root}/other/alpha").as_str()));
}

async fn lists_every_group_across_pages(f: Fixture) {
    // More than one DescribeLogGroups page (50).
    let prefix = format!("/unstuck-test/{}/", unique("many"));
    let mut expected = Vec::new();
    for i in 0..57 {
        let name = format!("{prefix}fn-{i:03}");
        f.create_group(&name).await;
        expected.push(name);
    }
    let got: Vec<String> = f
        .logs()
        .list_log_groups(Some(&prefix))
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(got, expected);
}

async fn filters_in_time_order_with_every_field(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("order"));
    let t = f.base_ms();
    f.create_group(&group).await;
    f.put(
        &group,
        "s1",
        &[(t, "one"), (t + 20, "three"), (t + 40, "five")],
    )
    .await;
    f.put(&group, "s2", &[(t + 10, "two"), (t + 30, "four")])
        .await;

    let page = f
        .logs()
        .filter_log_events(&request(&group, t))
        .await
        .unwrap();
    assert_eq!(page.next_token, None);
    let got: Vec<(i64, &str, &str)> = page
        .events
        .iter()
        .map(|e| (e.timestamp_ms - t, e.stream.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, "s1", "one"),
            (10, "s2", "two"),
            (20, "s1", "three"),
            (30, "s2", "four"),
            (40, "s1", "five"),
        ]
    );
    let ids: HashSet<&str> = page.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), 5, "event ids must be unique");
    for e in &page.events {
        assert_eq!(e.group, group);
        assert!(!e.event_id.is_empty());
        assert!(e.ingestion_time_ms > 0, "ingestion time missing: {e:?}");
    }
}

async fn time_bounds_are_inclusive(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("bounds"));
    let t = f.base_ms();
    f.create_group(&group).await;
    let events: Vec<(i64, String)> = (0..5).map(|i| (t + i * 10, format!("e{i}"))).collect();
    let refs: Vec<(i64, &str)> = events.iter().map(|(ts, m)| (*ts, m.as_str())).collect();
    f.put(&group, "s", &refs).await;

    let mut req = request(&group, t + 10);
    req.end_ms = Some(t + 30);
    let page = f.logs().filter_log_events(&req).await.unwrap();
    let got: Vec<&str> = page.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(got, ["e1", "e2", "e3"]);

    // start alone: everything from start on.
    let page = f
        .logs()
        .filter_log_events(&request(&group, t + 40))
        .await
        .unwrap();
    let got: Vec<&str> = page.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(got, ["e4"]);
}

async fn restricts_to_stream_names(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("streams"));
    let t = f.base_ms();
    f.create_group(&group).await;
    f.put(&group, "a", &[(t, "a0"), (t + 3, "a1")]).await;
    f.put(&group, "b", &[(t + 1, "b0")]).await;
    f.put(&group, "c", &[(t + 2, "c0")]).await;

    let mut req = request(&group, t);
    req.stream_names = vec!["a".into(), "c".into()];
    let page = f.logs().filter_log_events(&req).await.unwrap();
    let got: Vec<(&str, &str)> = page
        .events
        .iter()
        .map(|e| (e.stream.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(got, [("a", "a0"), ("c", "c0"), ("a", "a1")]);
}

async fn small_pages_return_every_event_once(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("pages"));
    let t = f.base_ms();
    f.create_group(&group).await;
    let mut seeded = BTreeSet::new();
    for stream in ["x", "y"] {
        let events: Vec<(i64, String)> = (0..13)
            .map(|i| {
                (
                    t + i * 7 + i64::from(stream == "y"),
                    format!("{stream}-{i}"),
                )
            })
            .collect();
        let refs: Vec<(i64, &str)> = events.iter().map(|(ts, m)| (*ts, m.as_str())).collect();
        f.put(&group, stream, &refs).await;
        seeded.extend(
            events
                .into_iter()
                .map(|(ts, m)| (ts, stream.to_string(), m)),
        );
    }

    let mut req = request(&group, t);
    req.limit = Some(4);
    let (events, pages) = all_pages(&f, req).await;
    assert!(pages >= 7, "26 events in pages of 4 came in {pages} pages");
    let ids: HashSet<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), events.len(), "an event came twice");
    let got: BTreeSet<(i64, String, String)> = events
        .iter()
        .map(|e| (e.timestamp_ms, e.stream.clone(), e.message.clone()))
        .collect();
    assert_eq!(got.len(), events.len());
    assert_eq!(got, seeded);
}

async fn missing_group_is_not_found(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("missing"));
    let err = f
        .logs()
        .filter_log_events(&request(&group, f.base_ms()))
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::NotFound(_)), "{err:?}");
}

async fn messages_come_back_byte_identical(f: Fixture) {
    let group = format!("/unstuck-test/{}", unique("bytes"));
    let t = f.base_ms();
    f.create_group(&group).await;
    let messages = [
        "\u{1b}[31mred\u{1b}[0m and \u{1b}[2J clear",
        "\u{1b}]8;;http://127.0.0.1/x\u{7}link\u{1b}]8;;\u{7} \u{1b}]0;title\u{7}",
        "tab\there\r\ncarriage, bell \u{7}, C1 \u{9b}31m, del \u{7f}",
        "unicode: \u{202e}rtl\u{202c} 🚀 e\u{301} \u{feff}bom",
        "json {\"level\":\"ERROR\",\"msg\":\"quote \\\" backslash \\\\\"}",
    ];
    let events: Vec<(i64, &str)> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (t + i64::try_from(i).unwrap(), *m))
        .collect();
    f.put(&group, "s", &events).await;
    let page = f
        .logs()
        .filter_log_events(&request(&group, t))
        .await
        .unwrap();
    let got: Vec<&[u8]> = page.events.iter().map(|e| e.message.as_bytes()).collect();
    let want: Vec<&[u8]> = messages.iter().map(|m| m.as_bytes()).collect();
    assert_eq!(got, want);
}

// --- one test per (backend, contract item) ----------------------------------------------------

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        #[cfg(feature = "sim")]
        mod sim {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Fixture::sim()).await;
                }
            )*
        }
        mod moto {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Fixture::moto().await).await;
                }
            )*
        }
    };
}

contract!(
    lists_groups_by_prefix_sorted,
    lists_every_group_across_pages,
    filters_in_time_order_with_every_field,
    time_bounds_are_inclusive,
    restricts_to_stream_names,
    small_pages_return_every_event_once,
    missing_group_is_not_found,
    messages_come_back_byte_identical,
);

// --- the real backend only --------------------------------------------------------------------

#[tokio::test]
async fn moto_session_identity_is_the_moto_account() {
    let backends = connect_to(&moto_endpoint()).await;
    let id = backends.session.identity().await.unwrap();
    assert_eq!(id.account.as_deref(), Some("123456789012"));
    assert!(id.arn.is_some_and(|a| a.starts_with("arn:aws:")));
}

#[tokio::test]
async fn moto_label_names_profile_region_and_endpoint() {
    let endpoint = moto_endpoint();
    let backends = connect_to(&endpoint).await;
    let label = backends.label;
    assert_eq!(label.profile, "default");
    assert_eq!(label.region, "us-east-1");
    assert_eq!(label.endpoint_url.as_deref(), Some(endpoint.as_str()));
    assert!(!label.is_demo);
}

/// An emulator that is down: a clear Network error, quickly (no panic, no hang).
#[tokio::test]
async fn closed_port_is_a_network_error_within_10s() {
    // The harness's static credentials are needed, or this would fail on credentials first.
    let _ = moto_endpoint();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let backends = connect(&ConnectOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await
    .unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), backends.logs.list_log_groups(None))
        .await
        .expect("list_log_groups hung on a closed port");
    let elapsed = started.elapsed();
    match result {
        Err(BackendError::Network(message)) => {
            eprintln!("after {elapsed:?}: {message}");
            assert!(message.contains(&endpoint), "{message}");
        }
        other => panic!("expected a network error, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

/// PutLogEvents by hand, with a JSON body the SDK cannot write: a lone surrogate escape.
fn put_raw_json(endpoint: &str, body: &str) {
    use std::io::{Read, Write};
    let address = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: Logs_20140328.PutLogEvents\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20261202/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn moto_a_message_with_a_lone_surrogate_is_shown_marked_and_its_page_read() {
    let f = Fixture::moto().await;
    let group = format!("/unstuck-test/{}", unique("surrogate"));
    let t = f.base_ms();
    f.create_group(&group).await;
    f.put(&group, "s", &[(t, "before")]).await;
    put_raw_json(
        &moto_endpoint(),
        &format!(
            r#"{{"logGroupName":"{group}","logStreamName":"s","logEvents":[{{"timestamp":{},"message":"bad \ud800 text"}}]}}"#,
            t + 1
        ),
    );
    f.put(&group, "s", &[(t + 2, "after")]).await;
    let (events, _) = all_pages(&f, request(&group, t)).await;
    let messages: Vec<&str> = events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[0], "before");
    assert!(
        messages[1].starts_with("bad \u{FFFD} text") && messages[1].contains("undecodable"),
        "{messages:?}"
    );
    assert_eq!(messages[2], "after");
}
