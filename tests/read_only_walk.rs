//! `--read-only` holds everywhere: every bindable action and every palette command, taken in
//! every pane and at every level of the executions pane (machines, a machine's executions,
//! a stuck running execution, a failed one), never opens a confirmation and never asks the
//! runtime to run a mutation. The data is the demo world's, read through the same topics the
//! app polls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use std::time::Duration;

use executions_support::{clone_polled, polled, run_palette, state};
use unstuck::config::Action;
use unstuck::state::shell::keys::on_action;
use unstuck::state::shell::shell_commands::command_tables;
use unstuck::state::{AppState, Effect, Modal, Msg, update};
use unstuck_aws::api::{StepFunctionsData, StepFunctionsTopic};
use unstuck_aws::model::step_functions::ExecutionStatus;

/// A state at one place of the app, with what the demo world shows there.
struct Place {
    name: &'static str,
    messages: Vec<Msg>,
    setup: Vec<Action>,
}

/// The state at `place`: on the executions pane, the setup actions taken, the data given.
fn at(place: &Place, read_only: bool, replay: &dyn Fn() -> Vec<Msg>) -> AppState {
    let mut s = state(read_only);
    on_action(&mut s, Action::GotoExecutions);
    for msg in replay() {
        update(&mut s, msg);
    }
    for action in &place.setup {
        on_action(&mut s, *action);
        for msg in replay() {
            update(&mut s, msg);
        }
    }
    s
}

fn mutations(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Execute(c) if c.mutates_aws() => Some(c.summary()),
            _ => None,
        })
        .collect()
}

fn confirm_open(s: &AppState) -> bool {
    s.modals.iter().any(|m| matches!(m, Modal::Confirm(_)))
}

/// A plausible argument for each command (a mutation gets one that would be accepted).
fn argument_for(name: &str) -> &'static str {
    match name {
        "task-success" => r#"{"approved": true}"#,
        "task-failure" | "stop" => "Rejected missing documents",
        "status" => "running",
        "token" => "AAAAKgAAAAIAAAAAAAAAAQ",
        "machine" => "tax-return-processing",
        _ => "",
    }
}

#[tokio::test(start_paused = true)]
async fn read_only_no_action_or_command_anywhere_can_change_aws() {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (machines_msg, machines) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = &machines else {
        panic!()
    };
    let machine = rows
        .iter()
        .find(|r| r.summary.name == "tax-return-processing")
        .unwrap()
        .summary
        .clone();
    let executions = |status| StepFunctionsTopic::Executions {
        machine_arn: machine.arn.clone(),
        status,
        rows_from: 0,
        pages: 1,
    };
    let (running_msg, running) =
        polled(&backends, executions(Some(ExecutionStatus::Running))).await;
    let StepFunctionsData::Executions(running) = &running else {
        panic!()
    };
    let stuck_arn = running
        .stuck
        .first()
        .expect("the demo has stuck executions")
        .0
        .clone();
    let (all_msg, all) = polled(&backends, executions(None)).await;
    let StepFunctionsData::Executions(all) = &all else {
        panic!()
    };
    let failed_arn = all
        .executions
        .iter()
        .find(|e| e.status == ExecutionStatus::Failed)
        .expect("the demo has failed executions")
        .arn
        .clone();
    let execution = |arn: &str| StepFunctionsTopic::Execution {
        execution_arn: arn.to_string(),
    };
    let (stuck_msg, _) = polled(&backends, execution(&stuck_arn)).await;
    let (failed_msg, _) = polled(&backends, execution(&failed_arn)).await;
    let clone = clone_polled;
    let places = [
        Place {
            name: "machines",
            messages: vec![clone(&machines_msg)],
            setup: vec![],
        },
        Place {
            name: "executions",
            messages: vec![clone(&machines_msg), clone(&all_msg)],
            setup: vec![Action::Open],
        },
        Place {
            name: "stuck execution",
            messages: vec![clone(&machines_msg), clone(&running_msg), clone(&stuck_msg)],
            setup: vec![],
        },
        Place {
            name: "failed execution",
            messages: vec![clone(&machines_msg), clone(&all_msg), clone(&failed_msg)],
            setup: vec![],
        },
    ];
    let opens = |place: &Place| match place.name {
        "stuck execution" => Some(stuck_arn.clone()),
        "failed execution" => Some(failed_arn.clone()),
        _ => None,
    };
    let mut walked = 0;
    for place in &places {
        let replay = || place.messages.iter().map(clone).collect::<Vec<_>>();
        let fresh = |read_only| {
            let mut s = at(place, read_only, &replay);
            if let Some(arn) = opens(place) {
                run_palette(&mut s, &format!("execution {arn}"));
                for msg in replay() {
                    update(&mut s, msg);
                }
            }
            s
        };
        // Writable, the same place offers the mutations: the walk below is not vacuous.
        if place.name == "stuck execution" {
            let mut s = fresh(false);
            on_action(&mut s, Action::SendTaskHeartbeat);
            assert!(confirm_open(&s), "a writable app confirms a heartbeat");
        }
        for &action in Action::ALL {
            if matches!(action, Action::Quit | Action::Suspend) {
                continue;
            }
            let mut s = fresh(true);
            let mut effects = on_action(&mut s, action);
            // What the action opened (a palette line, a dialog) is taken as well.
            effects.extend(on_action(&mut s, Action::Submit));
            effects.extend(on_action(&mut s, Action::Confirm));
            assert!(
                mutations(&effects).is_empty() && !confirm_open(&s),
                "{action:?} at {}: {:?}",
                place.name,
                mutations(&effects)
            );
            walked += 1;
        }
        let names: Vec<&str> = command_tables(&fresh(true))
            .iter()
            .flat_map(|t| t.iter().map(|c| c.name))
            .filter(|n| !matches!(*n, "quit"))
            .collect();
        for name in names {
            let mut s = fresh(true);
            let mut effects = run_palette(&mut s, &format!("{name} {}", argument_for(name)));
            effects.extend(on_action(&mut s, Action::Confirm));
            assert!(
                mutations(&effects).is_empty() && !confirm_open(&s),
                ":{name} at {}: {:?}",
                place.name,
                mutations(&effects)
            );
            walked += 1;
        }
    }
    assert!(walked > 4 * Action::ALL.len(), "walked {walked}");
}
