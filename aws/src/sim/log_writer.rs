//! Turning one Lambda invocation into the log lines CloudWatch would hold for it: the
//! platform lines (`INIT_START`, `START`, `END`, `REPORT`), the application's lines
//! (Powertools JSON or the runtime's plain text) and, on failure, stack traces.

use super::catalogue::{FunctionSpec, LogStyle, Runtime, Trigger};
use super::clock::{UtcTime, push_padded};
use super::stack_traces::{Failure, headline, java_class, stack_trace};

/// How an invocation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// Threw `failure` after logging `after_steps` of its steps.
    Failed {
        failure: Failure,
        after_steps: usize,
    },
    /// Ran into the function's timeout after logging `after_steps` of its steps.
    TimedOut {
        after_steps: usize,
    },
}

/// Everything random about one invocation, decided by the world before writing.
#[derive(Debug, Clone)]
pub struct Invocation<'a> {
    pub function: &'a FunctionSpec,
    pub request_id: String,
    pub trace_id: String,
    /// A business id the handler logs (`submission_id`).
    pub submission_id: String,
    /// When the event reached the execution environment (INIT_START on a cold start).
    pub arrival_ms: i64,
    /// `Some` on a cold start.
    pub init_duration_ms: Option<f64>,
    /// The REPORT line's Duration.
    pub duration_ms: f64,
    pub max_memory_used_mb: u32,
    pub outcome: Outcome,
    /// Logs a WARN about DynamoDB throttling and a retry.
    pub throttled_downstream: bool,
}

/// One line for CloudWatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub timestamp_ms: i64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Info,
    Warn,
    Error,
}

/// An extra Powertools field: key and JSON value.
type JsonField<'a> = (&'a str, &'a str);

/// Extra Powertools fields of the DynamoDB throttling warning.
const THROTTLE_FIELDS: &[JsonField] = &[
    ("error_code", "\"ProvisionedThroughputExceededException\""),
    ("retry_attempt", "2"),
];

/// The invocation's lines, with strictly increasing timestamps.
pub fn write_invocation(invocation: &Invocation<'_>) -> Vec<LogLine> {
    let writer = AppLineWriter::new(invocation);
    let function = invocation.function;
    let mut sink = LineSink::default();
    let mut start_ms = invocation.arrival_ms;
    if let Some(init_ms) = invocation.init_duration_ms {
        sink.push(
            invocation.arrival_ms,
            format!(
                "INIT_START Runtime Version: {}\tRuntime Version ARN: arn:aws:lambda:{}::runtime:{}",
                function.runtime.runtime_version(),
                super::catalogue::DEMO_REGION,
                function.runtime.runtime_version_hash()
            ),
        );
        start_ms += whole_ms(init_ms).max(1);
    }
    let request_id = &invocation.request_id;
    sink.push(
        start_ms,
        format!("START RequestId: {request_id} Version: $LATEST"),
    );

    let steps_done = match invocation.outcome {
        Outcome::Succeeded => function.steps.len(),
        Outcome::Failed { after_steps, .. } | Outcome::TimedOut { after_steps } => {
            after_steps.min(function.steps.len())
        }
    };
    let mut app_lines: Vec<(Level, &str, &[JsonField])> = Vec::with_capacity(6);
    for (index, step) in function.steps.iter().take(steps_done).enumerate() {
        if invocation.throttled_downstream && index + 1 == steps_done {
            app_lines.push((
                Level::Warn,
                "DynamoDB throttled the request, retrying",
                THROTTLE_FIELDS,
            ));
        }
        app_lines.push((Level::Info, step, &[]));
    }
    let mut line_count = app_lines.len();
    if let Outcome::Failed { .. } = invocation.outcome {
        line_count += 2;
    }
    let run_ms = whole_ms(invocation.duration_ms).max(1);
    let spacing = run_ms / i64::try_from(line_count + 1).unwrap_or(1);
    let mut at = start_ms;
    for (level, message, extras) in &app_lines {
        at += spacing.max(1);
        sink.push(at, writer.app_line(*level, message, extras, at));
    }
    if let Outcome::Failed { failure, .. } = invocation.outcome {
        at += spacing.max(1);
        for message in writer.failure_lines(&failure, at) {
            sink.push(at, message);
        }
    }

    sink.push(start_ms + run_ms, format!("END RequestId: {request_id}"));
    sink.push(start_ms + run_ms, report_line(invocation));
    if let Outcome::TimedOut { .. } = invocation.outcome {
        let end_ms = start_ms + run_ms;
        sink.push(
            end_ms,
            format!(
                "{} {request_id} Task timed out after {:.2} seconds",
                UtcTime::from_epoch_ms(end_ms).iso8601(),
                invocation.duration_ms / 1000.0
            ),
        );
    }
    sink.lines
}

fn report_line(invocation: &Invocation<'_>) -> String {
    let function = invocation.function;
    // Since August 2025 the INIT phase is billed for managed runtimes too.
    let billed_ms = (invocation.duration_ms + invocation.init_duration_ms.unwrap_or(0.0)).ceil();
    let mut line = String::with_capacity(160);
    line.push_str("REPORT RequestId: ");
    line.push_str(&invocation.request_id);
    line.push_str("\tDuration: ");
    push_hundredths(&mut line, invocation.duration_ms);
    line.push_str(" ms\tBilled Duration: ");
    push_padded(&mut line, billed_ms.max(0.0) as u64, 1);
    line.push_str(" ms\tMemory Size: ");
    push_padded(&mut line, u64::from(function.memory_mb), 1);
    line.push_str(" MB\tMax Memory Used: ");
    push_padded(&mut line, u64::from(invocation.max_memory_used_mb), 1);
    line.push_str(" MB");
    if let Some(init_ms) = invocation.init_duration_ms {
        line.push_str("\tInit Duration: ");
        push_hundredths(&mut line, init_ms);
        line.push_str(" ms");
    }
    line
}

/// Lines with strictly increasing timestamps (a later line never goes back in time).
#[derive(Default)]
struct LineSink {
    lines: Vec<LogLine>,
}

impl LineSink {
    fn push(&mut self, timestamp_ms: i64, message: String) {
        let floor = self.lines.last().map_or(i64::MIN, |l| l.timestamp_ms + 1);
        self.lines.push(LogLine {
            timestamp_ms: timestamp_ms.max(floor),
            message,
        });
    }
}

/// Writes application lines in the function's style, sharing the per-invocation fields.
struct AppLineWriter<'a> {
    invocation: &'a Invocation<'a>,
    /// Powertools fields that are the same on every line of the invocation.
    shared_fields: String,
}

impl<'a> AppLineWriter<'a> {
    fn new(invocation: &'a Invocation<'a>) -> Self {
        let function = invocation.function;
        let cold = invocation.init_duration_ms.is_some();
        let name = function.name;
        let memory = function.memory_mb;
        let arn = function.arn();
        let request_id = &invocation.request_id;
        let shared_fields = if function.log_style == LogStyle::PlainText {
            String::new()
        } else {
            match function.runtime {
                Runtime::Python312 => format!(
                    ",\"service\":\"{name}\",\"cold_start\":{cold},\"function_name\":\"{name}\",\"function_memory_size\":{memory},\"function_arn\":\"{arn}\",\"function_request_id\":\"{request_id}\""
                ),
                Runtime::Nodejs20 => format!(
                    ",\"service\":\"{name}\",\"cold_start\":{cold},\"function_arn\":\"{arn}\",\"function_memory_size\":{memory},\"function_name\":\"{name}\",\"function_request_id\":\"{request_id}\",\"sampling_rate\":0"
                ),
                Runtime::Java21 => format!(
                    ",\"cold_start\":{cold},\"function_arn\":\"{arn}\",\"function_memory_size\":{memory},\"function_name\":\"{name}\",\"function_request_id\":\"{request_id}\",\"function_version\":\"$LATEST\",\"sampling_rate\":0.0,\"service\":\"{name}\""
                ),
            }
        };
        Self {
            invocation,
            shared_fields,
        }
    }

    fn app_line(&self, level: Level, message: &str, extras: &[(&str, &str)], at_ms: i64) -> String {
        let function = self.invocation.function;
        let time = UtcTime::from_epoch_ms(at_ms);
        let request_id = &self.invocation.request_id;
        if function.log_style == LogStyle::PlainText {
            return match function.runtime {
                Runtime::Python312 => format!(
                    "[{}]\t{}\t{request_id}\t{message}",
                    python_level(level),
                    time.iso8601()
                ),
                Runtime::Nodejs20 => {
                    format!(
                        "{}\t{request_id}\t{}\t{message}",
                        time.iso8601(),
                        node_level(level)
                    )
                }
                Runtime::Java21 => format!(
                    "{} {request_id} {:<5} {} - {message}",
                    time.log4j(),
                    node_level(level),
                    java_simple_class(function)
                ),
            };
        }
        let mut line = String::with_capacity(512 + message.len());
        let level_name = match function.runtime {
            Runtime::Python312 => python_level(level),
            Runtime::Nodejs20 | Runtime::Java21 => node_level(level),
        };
        line.push_str("{\"level\":\"");
        line.push_str(level_name);
        line.push('"');
        if function.runtime == Runtime::Python312 {
            line.push_str(",\"location\":\"lambda_handler:");
            push_padded(&mut line, 40 + 9 * (message.len() as u64 % 11), 1);
            line.push('"');
        }
        line.push_str(",\"message\":");
        push_json_string(&mut line, message);
        match function.runtime {
            Runtime::Python312 => {
                line.push_str(",\"timestamp\":\"");
                time.push_python_logging(&mut line);
                line.push('"');
                line.push_str(&self.shared_fields);
            }
            Runtime::Nodejs20 => {
                line.push_str(",\"timestamp\":\"");
                time.push_iso8601(&mut line);
                line.push('"');
                line.push_str(&self.shared_fields);
            }
            Runtime::Java21 => {
                line.push_str(&self.shared_fields);
                line.push_str(",\"timestamp\":\"");
                time.push_iso8601(&mut line);
                line.push('"');
            }
        }
        if !matches!(function.trigger, Trigger::Schedule { .. }) {
            line.push_str(",\"submission_id\":");
            push_json_string(&mut line, &self.invocation.submission_id);
        }
        for (key, value) in extras {
            line.push_str(",\"");
            line.push_str(key);
            line.push_str("\":");
            line.push_str(value);
        }
        line.push_str(",\"xray_trace_id\":\"");
        line.push_str(&self.invocation.trace_id);
        line.push_str("\"}");
        line
    }

    /// The ERROR line(s) and the stack trace.
    fn failure_lines(&self, failure: &Failure, at_ms: i64) -> Vec<String> {
        let function = self.invocation.function;
        let trace = stack_trace(function, failure);
        let time = UtcTime::from_epoch_ms(at_ms);
        let request_id = &self.invocation.request_id;
        let summary = function.failure_message;
        match (function.log_style, function.runtime) {
            (LogStyle::Powertools, Runtime::Python312) => {
                let exception = json_string(&trace);
                let exception_name = json_string(failure.exception);
                let json = self.app_line(
                    Level::Error,
                    summary,
                    &[
                        ("exception", &exception),
                        ("exception_name", &exception_name),
                    ],
                    at_ms,
                );
                let frames = trace.rsplit_once('\n').map_or(trace.as_str(), |(f, _)| f);
                vec![json, format!("[ERROR] {}\n{frames}", headline(failure))]
            }
            (LogStyle::Powertools, Runtime::Nodejs20 | Runtime::Java21) => {
                let error = format!(
                    "{{\"name\":{},\"message\":{},\"stack\":{}}}",
                    json_string(failure.exception),
                    json_string(failure.message),
                    json_string(&trace)
                );
                let json = self.app_line(Level::Error, summary, &[("error", &error)], at_ms);
                let raw = if function.runtime == Runtime::Nodejs20 {
                    format!("{}\t{request_id}\tERROR\t{trace}", time.iso8601())
                } else {
                    trace
                };
                vec![json, raw]
            }
            (LogStyle::PlainText, Runtime::Python312) => vec![format!(
                "[ERROR]\t{}\t{request_id}\t{summary}\n{trace}",
                time.iso8601()
            )],
            (LogStyle::PlainText, Runtime::Nodejs20) => vec![format!(
                "{}\t{request_id}\tERROR\t{summary}: {trace}",
                time.iso8601()
            )],
            // printStackTrace() to stderr without the Lambda log4j appender: CloudWatch gets
            // one event per line of the trace.
            (LogStyle::PlainText, Runtime::Java21) => {
                let mut lines = vec![self.app_line(Level::Error, summary, &[], at_ms)];
                lines.extend(trace.lines().map(str::to_owned));
                lines
            }
        }
    }
}

fn python_level(level: Level) -> &'static str {
    match level {
        Level::Info => "INFO",
        Level::Warn => "WARNING",
        Level::Error => "ERROR",
    }
}

fn node_level(level: Level) -> &'static str {
    match level {
        Level::Info => "INFO",
        Level::Warn => "WARN",
        Level::Error => "ERROR",
    }
}

fn java_simple_class(function: &FunctionSpec) -> String {
    let class = java_class(function);
    class.rsplit('.').next().unwrap_or(&class).to_owned()
}

fn whole_ms(ms: f64) -> i64 {
    // Durations here are at most minutes: the conversion cannot overflow.
    ms.round() as i64
}

/// `value` (non-negative) with exactly two decimals: `412.30`.
fn push_hundredths(out: &mut String, value: f64) {
    let hundredths = (value.max(0.0) * 100.0).round() as u64;
    push_padded(out, hundredths / 100, 1);
    out.push('.');
    push_padded(out, hundredths % 100, 2);
}

/// A JSON string literal (quotes included) for `text`.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_json_string(&mut out, text);
    out
}

fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}
