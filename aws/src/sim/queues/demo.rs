//! The demo app's queues and their traffic. The SNS topic `tax-return-submitted` fans out to
//! `tax-submissions-validate` and `tax-submissions-audit`; `tax-refund-calculation` feeds
//! `tax-calculate-refund`, which fails on every return without deductions (the incident), so
//! its DLQ fills; `tax-amendments.fifo` has a FIFO DLQ; `tax-notify-failures` is where the
//! notification Lambda's failed async invocations go (fed by Lambda: no queue names it as its
//! DLQ, so SQS cannot move its messages back).
//!
//! Each tick the producers send, the consumers receive (a failed receive comes back after the
//! visibility timeout, and after `maxReceiveCount` goes to the DLQ), and move tasks move. A
//! redriven message's processing is returned as a Lambda run, so it writes its own logs.

use std::collections::BTreeMap;

use fastrand::Rng;

use super::book::{Consumer, QueueBook, SimQueue, is_poison, text_attribute};
use crate::model::queues::{RedrivePolicy, system_attribute as sys};
use crate::sim::ids::{hex, request_id, xray_trace_id};
use crate::sim::step_functions::LambdaRun;
use crate::sim::{DEMO_ACCOUNT, DEMO_REGION};

struct QueueSpec {
    name: &'static str,
    consumer: Consumer,
    dlq: Option<(&'static str, u32)>,
    /// Messages sent per second.
    rate: f64,
    /// Share of returns without deductions (poison for the refund calculator).
    poison: f64,
    /// Chance that a receive fails for a passing reason (a registry timeout).
    transient: f64,
    /// Messages already in the queue when the history starts (DLQs: their backlog).
    backlog: usize,
}

const SPECS: &[QueueSpec] = &[
    QueueSpec {
        name: "tax-submissions-validate",
        consumer: Consumer::Lambda {
            function: "tax-validate-submission",
            per_tick: 4,
        },
        dlq: Some(("tax-submissions-dlq", 3)),
        rate: 0.55,
        poison: 0.0,
        transient: 0.01,
        backlog: 2,
    },
    QueueSpec {
        name: "tax-submissions-audit",
        consumer: Consumer::Lambda {
            function: "tax-persist-return",
            per_tick: 2,
        },
        dlq: None,
        rate: 0.55,
        poison: 0.0,
        transient: 0.0,
        backlog: 5,
    },
    QueueSpec {
        name: "tax-refund-calculation",
        consumer: Consumer::Lambda {
            function: "tax-calculate-refund",
            per_tick: 3,
        },
        dlq: Some(("tax-refund-calculation-dlq", 3)),
        rate: 0.5,
        poison: 0.05,
        transient: 0.02,
        backlog: 3,
    },
    QueueSpec {
        name: "tax-amendments.fifo",
        consumer: Consumer::Lambda {
            function: "tax-enrich-taxpayer",
            per_tick: 2,
        },
        dlq: Some(("tax-amendments-dlq.fifo", 2)),
        rate: 0.1,
        poison: 0.03,
        transient: 0.0,
        backlog: 1,
    },
    QueueSpec {
        name: "tax-submissions-dlq",
        consumer: Consumer::None,
        dlq: None,
        rate: 0.0,
        poison: 0.0,
        transient: 0.0,
        backlog: 6,
    },
    QueueSpec {
        name: "tax-refund-calculation-dlq",
        consumer: Consumer::None,
        dlq: None,
        rate: 0.0,
        poison: 0.7,
        transient: 0.0,
        backlog: 41,
    },
    QueueSpec {
        name: "tax-amendments-dlq.fifo",
        consumer: Consumer::None,
        dlq: None,
        rate: 0.0,
        poison: 1.0,
        transient: 0.0,
        backlog: 3,
    },
    QueueSpec {
        name: "tax-notify-failures",
        consumer: Consumer::None,
        dlq: None,
        rate: 0.0,
        poison: 0.0,
        transient: 0.0,
        backlog: 4,
    },
];

fn arn(name: &str) -> String {
    format!("arn:aws:sqs:{DEMO_REGION}:{DEMO_ACCOUNT}:{name}")
}

/// The queues' traffic, advanced tick by tick with its own RNG.
#[derive(Debug)]
pub struct QueueTraffic {
    rng: Rng,
    next_tick_ms: Option<i64>,
}

impl QueueTraffic {
    /// Ticks from `start_ms`; None: a world without the demo's queues, which never ticks.
    pub fn new(seed: u64, start_ms: Option<i64>) -> Self {
        Self {
            rng: Rng::with_seed(seed ^ 0x5153_5153),
            next_tick_ms: start_ms,
        }
    }
}

impl QueueBook {
    /// The demo queues, with their backlogs sent before `start_ms`.
    pub fn demo(start_ms: i64, rng: &mut Rng) -> Self {
        let mut book = QueueBook::default();
        for spec in SPECS {
            book.queues.push(SimQueue {
                name: spec.name.to_string(),
                fifo: spec.name.ends_with(".fifo"),
                consumer: spec.consumer,
                redrive: spec.dlq.map(|(dlq, max)| RedrivePolicy {
                    dead_letter_target_arn: arn(dlq),
                    max_receive_count: max,
                }),
                visibility_timeout_s: 30,
                created_ms: start_ms - 40 * 86_400_000,
                messages: Vec::new(),
            });
        }
        for (q, spec) in SPECS.iter().enumerate() {
            for i in 0..spec.backlog {
                let sent_ms = start_ms - 2 * 3_600_000 + (i as i64) * 170_000;
                let source = SPECS
                    .iter()
                    .find(|s| s.dlq.is_some_and(|(d, _)| d == spec.name))
                    .map(|s| s.name);
                let poison = rng.f64() < spec.poison;
                let mut m = book.submission(q, source.unwrap_or(spec.name), poison, sent_ms, rng);
                if let Some(source) = source {
                    m.system.insert(sys::SOURCE_ARN.to_string(), arn(source));
                    m.receive_count = 3;
                    m.first_receive_ms = Some(sent_ms + 400);
                }
                if spec.name == "tax-notify-failures" {
                    m.attributes
                        .insert("RequestID".into(), text_attribute(&request_id(rng)));
                    m.attributes
                        .insert("ErrorCode".into(), text_attribute("200"));
                    m.attributes.insert(
                        "ErrorMessage".into(),
                        text_attribute("SES throttled: Maximum sending rate exceeded."),
                    );
                }
                book.queues[q].messages.push(m);
            }
        }
        book
    }

    /// One message as the demo's producers write it: a return submission.
    fn submission(
        &mut self,
        q: usize,
        route: &str,
        poison: bool,
        sent_ms: i64,
        rng: &mut Rng,
    ) -> super::book::SimMessage {
        let id = format!("SUB-2025-{}", hex(rng, 8).to_uppercase());
        let deductions = if poison {
            "[]".to_string()
        } else {
            format!(
                "[{{\"type\":\"pension\",\"amount\":{}}}]",
                rng.u32(200..4000)
            )
        };
        let body = format!(
            "{{\"submissionId\":\"{id}\",\"taxYear\":\"2025-26\",\"taxpayerId\":\"TP-{}\",\
             \"income\":{{\"employment\":{}}},\"deductions\":{deductions}}}",
            hex(rng, 6).to_uppercase(),
            rng.u32(18_000..90_000)
        );
        let mut system = BTreeMap::new();
        system.insert(
            sys::TRACE_HEADER.to_string(),
            format!("Root={}", xray_trace_id(rng, sent_ms)),
        );
        if self.queues[q].fifo {
            system.insert(
                sys::GROUP_ID.to_string(),
                format!("taxpayer-{}", rng.u32(100..140)),
            );
            system.insert(sys::DEDUPLICATION_ID.to_string(), id.clone());
        }
        let mut m = self.new_message(&body, system, sent_ms, is_poison(&body));
        let kind = if route.contains("amend") {
            "amendment"
        } else {
            "return"
        };
        m.attributes
            .insert("submissionType".into(), text_attribute(kind));
        m.attributes.insert(
            "agentSoftware".into(),
            text_attribute(["TaxPro 9.2", "LedgerLine 4", "HMRC Direct"][rng.usize(0..3)]),
        );
        m
    }

    /// Every tick up to `now_ms`; the Lambda runs of redriven messages processed.
    pub fn catch_up(&mut self, traffic: &mut QueueTraffic, now_ms: i64) -> Vec<LambdaRun> {
        let mut runs = Vec::new();
        let Some(mut tick_ms) = traffic.next_tick_ms else {
            return runs;
        };
        while tick_ms <= now_ms {
            self.tick(&mut traffic.rng, tick_ms, &mut runs);
            tick_ms += 1000;
        }
        traffic.next_tick_ms = Some(tick_ms);
        runs
    }

    fn tick(&mut self, rng: &mut Rng, tick_ms: i64, runs: &mut Vec<LambdaRun>) {
        for (q, spec) in SPECS.iter().enumerate() {
            if spec.rate > 0.0 && rng.f64() < spec.rate {
                let poison = rng.f64() < spec.poison;
                let m = self.submission(q, spec.name, poison, tick_ms + rng.i64(0..1000), rng);
                self.queues[q].messages.push(m);
            }
            let Consumer::Lambda { function, per_tick } = self.queues[q].consumer else {
                continue;
            };
            let received = self.receive(q, per_tick, 30, tick_ms);
            for message in received {
                let Some(at) = self.queues[q]
                    .messages
                    .iter()
                    .position(|m| m.id == message.message_id)
                else {
                    continue;
                };
                let m = &self.queues[q].messages[at];
                let fails =
                    (m.poison && function == "tax-calculate-refund") || rng.f64() < spec.transient;
                if m.redriven {
                    let start_ms = tick_ms + rng.i64(0..900);
                    runs.push(LambdaRun {
                        function: function.to_string(),
                        start_ms,
                        end_ms: start_ms + rng.i64(80..400),
                        request_id: request_id(rng),
                        error: fails.then(|| "MissingDeductionException".to_string()),
                    });
                }
                if fails {
                    self.failed(q, at, tick_ms);
                } else {
                    self.queues[q].messages.remove(at);
                }
            }
        }
        self.move_tasks(tick_ms);
    }

    /// Native move tasks: each moves up to its rate per tick, to each message's source (or
    /// its destination), and completes when its share is moved.
    fn move_tasks(&mut self, now_ms: i64) {
        for t in 0..self.tasks.len() {
            if self.tasks[t].task.status != "RUNNING" {
                continue;
            }
            let Some(source) = self.index_of_arn(&self.tasks[t].task.source_arn) else {
                self.tasks[t].task.status = "FAILED".into();
                self.tasks[t].task.failure_reason = Some("the source queue was deleted".into());
                continue;
            };
            let rate = self.tasks[t].task.max_per_second.unwrap_or(500) as usize;
            let left = self.tasks[t]
                .task
                .to_move
                .unwrap_or(0)
                .saturating_sub(self.tasks[t].task.moved);
            let mut moved = 0u64;
            for _ in 0..rate.min(left as usize) {
                let Some(at) = self.queues[source]
                    .messages
                    .iter()
                    .position(|m| m.visible_at_ms <= now_ms)
                else {
                    break;
                };
                let mut m = self.queues[source].messages.remove(at);
                let to = self.tasks[t]
                    .task
                    .destination_arn
                    .clone()
                    .or_else(|| m.system.get(sys::SOURCE_ARN).cloned());
                match to.and_then(|arn| self.index_of_arn(&arn)) {
                    Some(dest) => {
                        m.system.remove(sys::SOURCE_ARN);
                        m.receive_count = 0;
                        m.redriven = true;
                        self.queues[dest].messages.push(m);
                        moved += 1;
                    }
                    None => {
                        self.queues[source].messages.insert(at, m);
                        self.tasks[t].task.status = "FAILED".into();
                        self.tasks[t].task.failure_reason =
                            Some("a message has no source queue to go back to".into());
                        break;
                    }
                }
            }
            let task = &mut self.tasks[t].task;
            task.moved += moved;
            if task.status == "RUNNING" && task.moved >= task.to_move.unwrap_or(0) {
                task.status = "COMPLETED".into();
            }
        }
    }
}
