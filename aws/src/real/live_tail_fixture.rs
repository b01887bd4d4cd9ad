//! The recorded-stream fixture of the live tail tests: an in-process `HttpClient` that
//! answers StartLiveTail with an `application/vnd.amazon.eventstream` body framed by
//! aws-smithy-eventstream (nothing leaves the process; the endpoint, a closed loopback port,
//! is never dialled), an STS stand-in, and builders for the stream's messages.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::config::retry::RetryConfig;
use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::{Response as HttpResponse, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use serde_json::{Value, json};

use super::super::{ErrorContext, RealLiveTail};
use crate::api::{LiveTailSession, Session};
use crate::model::{BackendError, Identity, LiveTailUpdate};

pub(super) const ACCOUNT: &str = "123456789012";

/// What StartLiveTail was sent.
#[derive(Debug, Clone)]
pub(super) struct Sent {
    pub(super) uri: String,
    pub(super) target: String,
    pub(super) body: Value,
}

/// (HTTP status, content type, body); status 0: a connection failure whose text is the body.
pub(super) type Answer = (u16, &'static str, Vec<u8>);

/// Answers each request with the next recorded answer.
#[derive(Debug, Clone, Default)]
pub(super) struct Recorded {
    pub(super) answers: Arc<Mutex<VecDeque<Answer>>>,
    pub(super) sent: Arc<Mutex<Vec<Sent>>>,
}

impl Recorded {
    pub(super) fn answering(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        let r = Self::default();
        r.answers
            .lock()
            .unwrap()
            .push_back((status, content_type, body));
        r
    }

    pub(super) fn stream(messages: &[Message]) -> Self {
        Self::answering(200, "application/vnd.amazon.eventstream", frame(messages))
    }

    pub(super) fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

impl HttpConnector for Recorded {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request.body().bytes().unwrap_or_default();
        self.sent.lock().unwrap().push(Sent {
            uri: request.uri().to_string(),
            target: request
                .headers()
                .get("x-amz-target")
                .unwrap_or_default()
                .to_string(),
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
        });
        let (status, content_type, body) = self.answers.lock().unwrap().pop_front().unwrap_or((
            599,
            "text/plain",
            b"no recording left".to_vec(),
        ));
        if status == 0 {
            // A connection failure whose text is the body.
            let text = String::from_utf8(body).unwrap();
            return HttpConnectorFuture::ready(Err(ConnectorError::io(Box::new(
                std::io::Error::other(text),
            ))));
        }
        let mut response =
            HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        response.headers_mut().insert("content-type", content_type);
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Recorded {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// STS stand-in that counts the questions.
#[derive(Debug, Default)]
pub(super) struct Who {
    pub(super) asked: AtomicUsize,
}

#[async_trait]
impl Session for Who {
    async fn identity(&self) -> Result<Identity, BackendError> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Ok(Identity {
            account: Some(ACCOUNT.into()),
            arn: Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/OnCall/me")),
        })
    }
}

pub(super) fn live_tail(recorded: &Recorded) -> (RealLiveTail, Arc<Who>) {
    let conf = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .http_client(recorded.clone())
        .build();
    let who = Arc::new(Who::default());
    let cx = ErrorContext {
        profile: "default".into(),
        endpoint: "CloudWatch Logs (eu-west-1)".into(),
    };
    let tail = RealLiveTail::new(Client::from_conf(conf), cx, "eu-west-1".into(), who.clone());
    (tail, who)
}

pub(super) fn event(event_type: &'static str, payload: Value) -> Message {
    Message::new(payload.to_string().into_bytes())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(event_type.into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
}

pub(super) fn exception(exception_type: &'static str, message: &str) -> Message {
    Message::new(json!({ "message": message }).to_string().into_bytes())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("exception".into()),
        ))
        .add_header(Header::new(
            ":exception-type",
            HeaderValue::String(exception_type.into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
}

pub(super) fn arn(name: &str) -> String {
    format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:{name}")
}

pub(super) fn start(groups: &[&str]) -> Message {
    event(
        "sessionStart",
        json!({
            "requestId": "req-1",
            "sessionId": "sess-1",
            "logGroupIdentifiers": groups.iter().map(|g| arn(g)).collect::<Vec<_>>(),
        }),
    )
}

pub(super) fn update(sampled: bool, results: Value) -> Message {
    event(
        "sessionUpdate",
        json!({ "sessionMetadata": { "sampled": sampled }, "sessionResults": results }),
    )
}

pub(super) fn result(group_identifier: &str, stream: &str, ts: i64, message: &str) -> Value {
    json!({
        "logGroupIdentifier": group_identifier,
        "logStreamName": stream,
        "timestamp": ts,
        "ingestionTime": ts + 700,
        "message": message,
    })
}

pub(super) async fn drain(
    session: &mut Box<dyn LiveTailSession>,
) -> Vec<Result<Option<LiveTailUpdate>, BackendError>> {
    let mut out = Vec::new();
    for _ in 0..8 {
        let next = session.next().await;
        let stop = matches!(next, Ok(None));
        out.push(next);
        if stop {
            break;
        }
    }
    out
}

pub(super) fn frame(messages: &[Message]) -> Vec<u8> {
    let mut body = Vec::new();
    for m in messages {
        aws_smithy_eventstream::frame::write_message_to(m, &mut body).unwrap();
    }
    body
}
