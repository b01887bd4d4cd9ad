//! The Lambda invocations of demo executions, handed to the world to write their logs: each
//! once, in the tick it starts in (so the world is the same however often it is looked at).
//! An execution's whole timeline is walked up front, so its future invocations are known;
//! an execution walked again after an operator's answer, stop or redrive is looked at again
//! (its new invocations come after the change; the old ones keep their request ids, so they
//! are not written twice).

use std::collections::{BTreeSet, HashSet};

use super::ExecutionBook;
use super::timeline::LambdaRun;

/// What has been handed out so far.
#[derive(Debug, Default)]
pub struct LambdaScan {
    /// Per machine: the first execution index not looked at yet.
    next: Vec<u64>,
    /// Executions with invocations still to come (machine, index).
    pending: BTreeSet<(usize, u64)>,
    written: HashSet<String>,
}

impl ExecutionBook {
    /// Look at an execution again (an operation changed its future).
    pub(super) fn rewalked(&mut self, m: usize, index: u64) {
        self.lambda_scan.pending.insert((m, index));
    }

    /// Every invocation started by `until_ms`, not handed out before, from `since_ms` on,
    /// in the order started.
    pub fn lambda_runs_started_by(&mut self, until_ms: i64, since_ms: i64) -> Vec<LambdaRun> {
        let machines = self.machines.len();
        self.lambda_scan.next.resize(machines, 0);
        for m in 0..machines {
            let started = self.started(m, until_ms);
            let next = self.lambda_scan.next[m];
            self.lambda_scan
                .pending
                .extend((next..started).map(|i| (m, i)));
            self.lambda_scan.next[m] = started.max(next);
        }
        let mut out = Vec::new();
        let pending: Vec<(usize, u64)> = self.lambda_scan.pending.iter().copied().collect();
        for (m, index) in pending {
            let lambdas = &self.run(m, index).timeline.lambdas;
            let due: Vec<LambdaRun> = lambdas
                .iter()
                .filter(|l| l.start_ms <= until_ms && l.start_ms >= since_ms)
                .cloned()
                .collect();
            if lambdas.iter().all(|l| l.start_ms <= until_ms) {
                self.lambda_scan.pending.remove(&(m, index));
            }
            for l in due {
                if self.lambda_scan.written.insert(l.request_id.clone()) {
                    out.push(l);
                }
            }
        }
        out.sort_by_key(|l| l.start_ms);
        out
    }
}
