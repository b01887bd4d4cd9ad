//! The demo world's state machines and how their executions go.
//!
//! - `tax-return-processing` (the seed system's five stages): a submission every 20 s. The
//!   EventBridge rule that forwards `TaxReturnSubmitted` back to the machine was deployed 37
//!   minutes before the incident, so the submissions of the 23 minutes before it wait in
//!   `TaxReturnSubmitted` until its one-hour timeout. A quarter are screened as suspicious and
//!   wait for a human approval; a third of those never get it (nothing times the wait out).
//!   Fraud screening is throttled now and then (retried) and sometimes fails (caught, then
//!   compensated).
//! - `tax-amendment-review`: an amendment every 10 minutes; late ones are held in a Wait
//!   until the filing deadline, weeks ahead.

use fastrand::Rng;

use super::walker::{Oracle, TaskFate};

pub const TAX_RETURN_PROCESSING: &str =
    include_str!("../../model/asl/fixtures/tax_return_processing.asl.json");

pub const TAX_AMENDMENT_REVIEW: &str = r#"{
  "Comment": "Amendments: late ones are held until the filing deadline",
  "StartAt": "AmendmentReceived",
  "States": {
    "AmendmentReceived": {"Type": "Pass", "Next": "IsLate"},
    "IsLate": {"Type": "Choice",
      "Choices": [{"Variable": "$.late", "BooleanEquals": true, "Next": "HoldUntilDeadline"}],
      "Default": "ReviewAmendment"},
    "HoldUntilDeadline": {"Type": "Wait", "Timestamp": "2027-01-31T23:59:59Z", "Next": "ReviewAmendment"},
    "ReviewAmendment": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "tax-validate-submission"}, "Next": "Amended"},
    "Amended": {"Type": "Succeed"}
  }
}"#;

/// A machine of the demo world.
pub struct MachineSpec {
    pub name: &'static str,
    pub definition: &'static str,
    /// An execution starts this often ...
    pub every_ms: i64,
    /// ... from this long before the world's epoch.
    pub since_ms: i64,
}

pub const MACHINES: [MachineSpec; 2] = [
    MachineSpec {
        name: "tax-return-processing",
        definition: TAX_RETURN_PROCESSING,
        every_ms: 20_000,
        since_ms: 3 * 3_600_000,
    },
    MachineSpec {
        name: "tax-amendment-review",
        definition: TAX_AMENDMENT_REVIEW,
        every_ms: 600_000,
        since_ms: 6 * 3_600_000,
    },
];

/// When the rule forwarding `TaxReturnSubmitted` was deployed, relative to the epoch.
pub const RULE_DEPLOYED_MS: i64 = -37 * 60_000;
/// Since when submissions have had no rule, relative to the epoch.
pub const RULE_MISSING_SINCE_MS: i64 = -60 * 60_000;

/// The decisions of one demo execution.
pub struct DemoOracle {
    rng: Rng,
    /// Started while the rule was missing (relative to the epoch).
    before_rule: bool,
    approved: bool,
    late: bool,
}

impl DemoOracle {
    pub fn new(seed: u64, start_rel_epoch_ms: i64) -> Self {
        let mut rng = Rng::with_seed(seed);
        let approved = rng.f64() < 0.85;
        let late = rng.f64() < 0.3;
        Self {
            rng,
            before_rule: (RULE_MISSING_SINCE_MS..RULE_DEPLOYED_MS).contains(&start_rel_epoch_ms),
            approved,
            late,
        }
    }

    /// The execution's input.
    pub fn input(&mut self, machine: &str, index: u64) -> String {
        match machine {
            "tax-amendment-review" => {
                format!(r#"{{"amendmentId":"amd-{index:05}","late":{}}}"#, self.late)
            }
            _ => format!(
                r#"{{"returnId":"r-{index:06}","taxpayer":"tp-{:05}","documents":{}}}"#,
                self.rng.u32(..100_000),
                self.rng.u8(1..4)
            ),
        }
    }
}

impl Oracle for DemoOracle {
    fn choose(&mut self, state: &str, rules: usize) -> usize {
        let first_rule = match state {
            "IsSuspicious" => self.rng.f64() < 0.25,
            "Approved" => self.approved,
            "DocumentReadable" => self.rng.f64() < 0.97,
            "IsLate" => self.late,
            _ => self.rng.bool(),
        };
        if first_rule && rules > 0 { 0 } else { rules }
    }

    fn token_after_ms(&mut self, state: &str) -> Option<i64> {
        match state {
            "TaxReturnSubmitted" if self.before_rule => None,
            "TaxReturnSubmitted" => Some(i64::from(self.rng.u32(300..2_500))),
            // A third of approvals never come: nobody sends the token.
            "HumanApproval" if self.rng.f64() < 0.33 => None,
            "HumanApproval" => Some(i64::from(self.rng.u32(60_000..900_000))),
            _ => Some(1_000),
        }
    }

    fn task_output(&mut self, state: &str) -> String {
        match state {
            "HumanApproval" => format!(r#"{{"approved":{},"reviewer":"j.doe"}}"#, self.approved),
            "ScreenForFraud" => format!(r#"{{"Payload":{{"risk":{}}}}}"#, self.rng.u8(..100)),
            _ => r#"{"ok":true}"#.to_string(),
        }
    }

    fn task_fate(&mut self, state: &str) -> TaskFate {
        let roll = self.rng.f64();
        match state {
            "ScreenForFraud" if roll < 0.03 => TaskFate::Fails(
                "FraudServiceUnavailable".into(),
                "tax-fraud-screening: upstream scoring API returned 503".into(),
            ),
            "ScreenForFraud" if roll < 0.10 => {
                TaskFate::RetriedOnce("Lambda.TooManyRequestsException".into())
            }
            _ => TaskFate::Succeeds,
        }
    }

    fn work_ms(&mut self, _state: &str) -> i64 {
        i64::from(self.rng.u32(150..1_800))
    }

    fn map_items(&mut self, _state: &str) -> usize {
        self.rng.usize(1..4)
    }

    fn task_token(&mut self, _state: &str) -> String {
        // Shaped like AWS's: opaque base64 text, a few hundred characters.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let body: String = (0..300)
            .map(|_| char::from(alphabet[self.rng.usize(..alphabet.len())]))
            .collect();
        format!("AAAAKgAAAAIAAAAAAAAAA{body}")
    }
}
