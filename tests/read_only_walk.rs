//! `--read-only` holds everywhere: every bindable action and every palette command, taken in
//! every pane and at every level of the executions pane (machines, a machine's executions,
//! a stuck running execution, a failed one), never opens a confirmation and never asks the
//! runtime to run a mutation. The data is the demo world's, read through the same topics the
//! app polls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use executions_support::{clone_polled, demo_executions, run_palette, state};
use unstuck::config::Action;
use unstuck::state::shell::keys::on_action;
use unstuck::state::shell::shell_commands::command_tables;
use unstuck::state::{AppState, Effect, Modal, Msg, update};

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
    let demo = demo_executions().await;
    let machines_msg = clone_polled(&demo.machines);
    let running_msg = clone_polled(&demo.running.0);
    let all_msg = clone_polled(&demo.all.0);
    let (stuck_arn, stuck_msg) = (demo.stuck.0.clone(), clone_polled(&demo.stuck.1));
    let (failed_arn, failed_msg) = (demo.failed.0.clone(), clone_polled(&demo.failed.1));
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
