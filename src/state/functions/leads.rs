//! Where a function leads: the queues and streams that feed it (event source mappings), the
//! state machines whose Task states invoke it, where its asynchronous invocations go when
//! they end (OnSuccess / OnFailure destinations) and its dead-letter queue. `o` in the
//! functions pane follows them one after another to the pane that shows each (a queue in
//! the queues pane, a machine in the executions pane, a function here), and says what has
//! no pane (an SNS topic, an EventBridge bus, a stream).

use std::collections::BTreeMap;

use unstuck_aws::model::BackendError;
use unstuck_aws::model::asl::lambda_function_name;
use unstuck_aws::model::functions::{
    EventSourceMapping, FunctionConfig, FunctionDestinations, FunctionRow, Invoker,
};

use super::FunctionsPane;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::PaneCtx;
use crate::state::shared::polled::Polled;
use crate::state::shell::panes::PaneId;

/// How a function is tied to a place it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadKind {
    /// An event source mapping reads it (a queue or stream).
    FedBy,
    /// A state machine's Task states invoke it.
    InvokedBy,
    OnFailure,
    DeadLetters,
    OnSuccess,
}

impl LeadKind {
    pub fn label(self) -> &'static str {
        match self {
            LeadKind::FedBy => "fed by",
            LeadKind::InvokedBy => "invoked by",
            LeadKind::OnFailure => "on failure",
            LeadKind::DeadLetters => "dead letters",
            LeadKind::OnSuccess => "on success",
        }
    }

    /// What comes to the function (rather than what it hands on).
    fn upstream(self) -> bool {
        matches!(self, LeadKind::FedBy | LeadKind::InvokedBy)
    }
}

/// One place a function leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub how: LeadKind,
    pub arn: String,
    /// The Task states of an invoking machine.
    pub states: Vec<String>,
}

impl Lead {
    /// "queue tax-submissions", "SNS topic tax-ops-alerts", "function tax-audit-trail".
    pub fn what(&self) -> String {
        let name = self.arn.rsplit(':').next().unwrap_or(&self.arn);
        let service = self.arn.split(':').nth(2).unwrap_or_default();
        match service {
            "sqs" => format!("queue {name}"),
            "sns" => format!("SNS topic {name}"),
            "lambda" => format!("function {}", function_name(&self.arn).unwrap_or(name)),
            "states" => format!("state machine {name} ({})", self.states.join(", ")),
            "events" => format!("EventBridge {name}"),
            "kinesis" => format!("Kinesis {name}"),
            "dynamodb" => "a DynamoDB stream".to_string(),
            "kafka" => format!("Kafka {name}"),
            "s3" => format!("S3 bucket {name}"),
            _ => self.arn.clone(),
        }
    }

    /// The pane that shows it, with it selected; None where unstuck has no such pane.
    pub fn goto(&self) -> Option<Effect> {
        let focus = if self.arn.starts_with("arn:aws:sqs:") {
            (PaneId::Queues, Focus::Queue(self.arn.clone()))
        } else if self.arn.contains(":stateMachine:") {
            (PaneId::Executions, Focus::Machine(self.arn.clone()))
        } else {
            let name = function_name(&self.arn)?;
            (PaneId::Functions, Focus::Function(name.to_string()))
        };
        Some(Effect::Goto {
            pane: focus.0,
            focus: focus.1,
            show: true,
        })
    }
}

/// `o` in the functions pane.
impl FunctionsPane {
    pub(super) fn leads_of(&self, row: &FunctionRow) -> (Vec<Lead>, bool) {
        let read = self.destinations.get(&row.config.name);
        let mappings = self
            .table
            .data
            .as_ref()
            .map(|t| t.mappings.as_slice())
            .unwrap_or_default();
        let invokers = self.invokers.get(&row.config.name);
        let all = leads(
            &row.config,
            mappings,
            invokers.and_then(|p| p.data.as_deref()).unwrap_or_default(),
            read.and_then(|p| p.data.as_ref()),
        );
        (all, answered(read) && answered(invokers))
    }

    /// After a read for `function`: the `o` that waited for it, once everything is read.
    pub(super) fn follow_when_read(
        &mut self,
        function: &str,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        let all_read =
            answered(self.destinations.get(function)) && answered(self.invokers.get(function));
        if !(self.open_when_read && all_read && self.leads_for.as_deref() == Some(function)) {
            return Vec::new();
        }
        self.open_when_read = false;
        if ctx.visible {
            self.follow_lead(function, ctx)
        } else {
            Vec::new()
        }
    }

    /// Read where `name` leads (its destinations and invoking machines, subscribed while the
    /// pane is shown); `o` starts again from its first lead when the function changed.
    pub(super) fn ask_leads_of(&mut self, name: &str) {
        if self.leads_for.as_deref() != Some(name) {
            self.lead_turn = 0;
            self.leads_for = Some(name.to_string());
        }
    }

    /// `o`: the next place the selected function leads to, in its pane; its destinations are
    /// read first when they are not yet.
    pub(super) fn open_source(&mut self, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let Some(name) = self.selected().map(|r| r.config.name.clone()) else {
            return Vec::new();
        };
        self.ask_leads_of(&name);
        self.follow_lead(&name, ctx)
    }

    pub(super) fn follow_lead(&mut self, name: &str, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let Some(row) = self.shown().into_iter().find(|r| r.config.name == name) else {
            return Vec::new();
        };
        let (all, read) = self.leads_of(row);
        let open: Vec<&Lead> = all.iter().filter(|l| l.goto().is_some()).collect();
        if !read && self.lead_turn >= open.len() {
            self.open_when_read = true;
            ctx.info(format!(
                "reading where {name} leads (its asynchronous destinations, the state machines that \
                 invoke it)…"
            ));
            return Vec::new();
        }
        let read_error: String = [
            (
                "destinations",
                self.destinations.get(name).and_then(|p| p.error.as_ref()),
            ),
            (
                "state machines",
                self.invokers.get(name).and_then(|p| p.error.as_ref()),
            ),
        ]
        .into_iter()
        .filter_map(|(what, e)| e.map(|e| format!(" ({what} not read: {})", e.headline)))
        .collect();
        if open.is_empty() {
            ctx.info(if all.is_empty() {
                format!(
                    "{name} has no event source mapping, invoking state machine, destination or \
                     dead-letter queue (it is invoked directly, by a topic or a rule){read_error}"
                )
            } else {
                format!("{name}: {}{read_error}", summary(&all))
            });
            return Vec::new();
        }
        let lead = open[self.lead_turn % open.len()];
        self.lead_turn += 1;
        let again = if open.len() > 1 || !read {
            " · o again: the next"
        } else {
            ""
        };
        ctx.info_across_panes(format!(
            "{name}: {} · opened {}{again}{read_error}",
            summary(&all),
            lead.what()
        ));
        lead.goto().into_iter().collect()
    }
}

/// Keep a read of `function`'s destinations or invoking machines (`Ok(None)`: an answer of
/// another kind, nothing to keep).
pub(super) fn keep_read<T: Clone>(
    store: &mut BTreeMap<String, Polled<T>>,
    function: &str,
    (resource, at_ms): (&str, i64),
    result: Result<Option<&T>, &BackendError>,
) {
    let polled = store.entry(function.to_string()).or_default();
    match result {
        Ok(Some(data)) => polled.fetched(at_ms, data.clone()),
        Ok(None) => {}
        Err(e) => polled.failed(resource, at_ms, e),
    }
}

/// Whether a read ended, with data or an error.
fn answered<T>(polled: Option<&Polled<T>>) -> bool {
    polled.is_some_and(|p| p.data.is_some() || p.error.is_some())
}

/// `tax-audit-trail` of `arn:aws:lambda:...:function:tax-audit-trail[:qualifier]`; None for
/// any other ARN.
fn function_name(arn: &str) -> Option<&str> {
    arn.contains(":function:")
        .then(|| lambda_function_name(arn))
}

/// Everything the function leads to, in the order `o` follows them: what feeds it (queues
/// first), the machines that invoke it, then where its failures go (destination, then
/// dead-letter queue), then its successes.
pub fn leads(
    config: &FunctionConfig,
    mappings: &[EventSourceMapping],
    invokers: &[Invoker],
    destinations: Option<&FunctionDestinations>,
) -> Vec<Lead> {
    let mut feeds: Vec<&EventSourceMapping> = mappings
        .iter()
        .filter(|m| m.function_name() == config.name)
        .collect();
    feeds.sort_by_key(|m| !m.is_queue());
    let mut out: Vec<Lead> = feeds
        .into_iter()
        .map(|m| Lead {
            how: LeadKind::FedBy,
            arn: m.source_arn.clone(),
            states: Vec::new(),
        })
        .chain(invokers.iter().map(|i| Lead {
            how: LeadKind::InvokedBy,
            arn: i.machine_arn.clone(),
            states: i.states.clone(),
        }))
        .collect();
    let failure = destinations.and_then(|d| d.on_failure.clone());
    let success = destinations.and_then(|d| d.on_success.clone());
    for (how, arn) in [
        (LeadKind::OnFailure, failure),
        (LeadKind::DeadLetters, config.dead_letter_arn.clone()),
        (LeadKind::OnSuccess, success),
    ] {
        if let Some(arn) = arn {
            out.push(Lead {
                how,
                arn,
                states: Vec::new(),
            });
        }
    }
    out
}

/// "fed by queue tax-submissions · on failure → SNS topic tax-ops-alerts (no pane)".
pub fn summary(leads: &[Lead]) -> String {
    leads
        .iter()
        .map(|l| {
            let arrow = if l.how.upstream() { " " } else { " → " };
            let pane = if l.goto().is_some() { "" } else { " (no pane)" };
            format!("{}{arrow}{}{pane}", l.how.label(), l.what())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(source: &str) -> EventSourceMapping {
        EventSourceMapping {
            uuid: "u".into(),
            function_arn: "arn:aws:lambda:eu-west-1:1:function:tax-refund".into(),
            source_arn: source.into(),
            state: "Enabled".into(),
            batch_size: Some(10),
        }
    }

    #[test]
    fn feeds_then_failures_then_successes_each_to_its_pane() {
        let config = FunctionConfig {
            name: "tax-refund".into(),
            dead_letter_arn: Some("arn:aws:sqs:eu-west-1:1:tax-refund-dlq".into()),
            ..FunctionConfig::default()
        };
        let mappings = [
            mapping("arn:aws:kinesis:eu-west-1:1:stream/returns"),
            mapping("arn:aws:sqs:eu-west-1:1:tax-refund-jobs"),
        ];
        let destinations = FunctionDestinations {
            on_success: Some("arn:aws:lambda:eu-west-1:1:function:tax-receipt:live".into()),
            on_failure: Some("arn:aws:sns:eu-west-1:1:tax-ops-alerts".into()),
        };
        let invoker = Invoker {
            machine_arn: "arn:aws:states:eu-west-1:1:stateMachine:tax-returns".into(),
            machine_name: "tax-returns".into(),
            states: vec!["CalculateRefund".into()],
        };
        let all = leads(&config, &mappings, &[invoker], Some(&destinations));
        let hows: Vec<&str> = all.iter().map(|l| l.how.label()).collect();
        assert_eq!(
            hows,
            [
                "fed by",
                "fed by",
                "invoked by",
                "on failure",
                "dead letters",
                "on success"
            ]
        );
        assert_eq!(
            summary(&all),
            "fed by queue tax-refund-jobs · fed by Kinesis stream/returns (no pane) · \
             invoked by state machine tax-returns (CalculateRefund) · \
             on failure → SNS topic tax-ops-alerts (no pane) · dead letters → queue \
             tax-refund-dlq · on success → function tax-receipt"
        );
        assert_eq!(
            all[2].goto(),
            Some(Effect::Goto {
                pane: PaneId::Executions,
                focus: Focus::Machine("arn:aws:states:eu-west-1:1:stateMachine:tax-returns".into()),
                show: true,
            })
        );
        assert_eq!(
            all[0].goto(),
            Some(Effect::Goto {
                pane: PaneId::Queues,
                focus: Focus::Queue("arn:aws:sqs:eu-west-1:1:tax-refund-jobs".into()),
                show: true,
            })
        );
        assert_eq!(
            all[5].goto(),
            Some(Effect::Goto {
                pane: PaneId::Functions,
                focus: Focus::Function("tax-receipt".into()),
                show: true,
            })
        );
        // Another function's mappings are not this one's.
        let other = FunctionConfig {
            name: "tax-other".into(),
            ..FunctionConfig::default()
        };
        assert!(leads(&other, &mappings, &[], None).is_empty());
    }
}
