//! Which state machines invoke a Lambda function: their current definitions (DescribeStateMachine),
//! read for the function the functions pane asks about and kept for [`DEFINITION_REREAD_MS`], so
//! asking about the next function costs one ListStateMachines, not a definition per machine again.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Backends;
use super::execution_reader::Pace;
use crate::model::BackendError;
use crate::model::asl::{self, Definition, StateKind, lambda_function_name};
use crate::model::functions::Invoker;

/// Machines whose definitions an invokers read looks at, at most.
pub const MAX_MACHINES_READ: usize = 200;
/// A machine's current definition is read again after this long (deployments change it).
pub const DEFINITION_REREAD_MS: i64 = 10 * 60 * 1000;

/// Per machine ARN: when its current definition was read, and the definition (None: it does not
/// parse).
#[derive(Debug, Default)]
pub struct CurrentDefinitions {
    read: Mutex<HashMap<String, (i64, Option<Definition>)>>,
}

impl CurrentDefinitions {
    fn fresh(&self, machine: &str, now_ms: i64) -> Option<Option<Definition>> {
        let read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        read.get(machine)
            .filter(|(at, _)| now_ms - at < DEFINITION_REREAD_MS)
            .map(|(_, d)| d.clone())
    }

    fn keep(&self, machine: &str, now_ms: i64, definition: Option<Definition>) {
        let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        read.insert(machine.to_string(), (now_ms, definition));
    }
}

/// The state machines whose Task states invoke `function` (by name or ARN, any version or
/// alias): ListStateMachines, then each machine's definition (DescribeStateMachine), each
/// call drawn from the budget. A machine deleted meanwhile, or whose definition does not
/// parse, is passed over; a function named by a path (`FunctionName.$`) cannot be matched.
pub(super) async fn invokers(
    backends: &Backends,
    function: &str,
    pace: &dyn Pace,
) -> Result<Vec<Invoker>, BackendError> {
    let machines = backends.step_functions.list_state_machines().await?;
    let mut out = Vec::new();
    for machine in machines.iter().take(MAX_MACHINES_READ) {
        let now_ms = backends.clock.now_ms();
        let parsed = match backends.current_definitions.fresh(&machine.arn, now_ms) {
            Some(known) => known,
            None => {
                pace.before_call().await;
                let read = match backends
                    .step_functions
                    .machine_definition(&machine.arn)
                    .await
                {
                    Ok(d) => asl::parse(&d.definition).ok(),
                    Err(BackendError::NotFound(_)) => continue,
                    Err(e) => return Err(e),
                };
                backends
                    .current_definitions
                    .keep(&machine.arn, now_ms, read.clone());
                read
            }
        };
        let Some(parsed) = parsed else {
            continue;
        };
        let states: Vec<String> = parsed
            .states
            .iter()
            .filter(|s| match &s.kind {
                StateKind::Task(task) => task
                    .function
                    .as_deref()
                    .is_some_and(|f| lambda_function_name(f) == function),
                _ => false,
            })
            .map(|s| s.name.clone())
            .collect();
        if !states.is_empty() {
            out.push(Invoker {
                machine_arn: machine.arn.clone(),
                machine_name: machine.name.clone(),
                states,
            });
        }
    }
    Ok(out)
}
