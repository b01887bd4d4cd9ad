//! What the lists draw: the machines table and one machine's executions table, with the
//! stuck reasons the polls learnt.

use unstuck_aws::api::{Count, MachineRow};
use unstuck_aws::model::step_functions::MachineType;
use unstuck_views::executions::props::{ExecutionItem, ExecutionsBody, MachineItem, Tone};
use unstuck_views::props::Loadable;
use unstuck_views::zone::Zone;

use super::lists::{ExecutionsPane, status_word};
use super::open_execution::status_tone;
use crate::state::shared::durations::short_duration;

fn count_text(count: Option<Count>) -> String {
    match count {
        None => "—".into(),
        Some(c) if c.more => format!("{}+", c.n),
        Some(c) => c.n.to_string(),
    }
}

impl ExecutionsPane {
    pub fn list_props(&self, now_ms: i64, zone: Zone) -> (String, Loadable, ExecutionsBody<'_>) {
        let Some(machine) = &self.machine else {
            let all = self.machines.data.as_deref().unwrap_or(&[]);
            let items = self
                .shown_machines()
                .into_iter()
                .map(|i| machine_item(&all[i], zone))
                .collect();
            let title = format!("state machines · {}", all.len());
            let body = ExecutionsBody::Machines {
                items,
                cursor: self.machine_cursor,
            };
            return (title, self.machines.loadable(), body);
        };
        let view = self.executions.data.as_ref();
        let all = view.map_or(&[][..], |v| &v.executions[..]);
        let items: Vec<ExecutionItem<'_>> = self
            .shown_executions()
            .into_iter()
            .map(|i| {
                let e = &all[i];
                let known = self.known_stuck.get(&e.arn);
                let stuck = known.and_then(|s| s.as_ref()).map(|s| s.reason.as_str());
                let unread = e.status.is_running() && known.is_none();
                ExecutionItem {
                    name: &e.name,
                    status: e.status.as_str(),
                    tone: if stuck.is_some() {
                        Tone::Stuck
                    } else {
                        status_tone(e.status)
                    },
                    started: zone.clock(e.start_ms),
                    duration: short_duration(e.duration_ms(now_ms)),
                    redrives: e.redrive_count,
                    stuck: match (stuck, unread) {
                        (Some(reason), _) => reason,
                        (None, true) => "?",
                        (None, false) => "",
                    },
                }
            })
            .collect();
        let stuck_n = self.known_stuck.values().filter(|s| s.is_some()).count();
        let unread_n = all
            .iter()
            .filter(|e| e.status.is_running() && !self.known_stuck.contains_key(&e.arn))
            .count();
        let mut summary = format!(
            "{} {} executions{}, {stuck_n} stuck",
            all.len(),
            status_word(self.status),
            if view.is_some_and(|v| v.more) {
                " (the newest: ↓ at the end lists 100 more)"
            } else {
                ""
            },
        );
        if unread_n > 0 {
            summary.push_str(&format!(
                "; ? = not read yet ({unread_n}): the rows around the cursor are read"
            ));
        }
        let title = format!(
            "executions · {} · {}",
            machine.name,
            status_word(self.status)
        );
        let body = ExecutionsBody::Executions {
            items,
            cursor: self.execution_cursor,
            summary,
        };
        (title, self.executions.loadable(), body)
    }
}

fn machine_item(row: &MachineRow, zone: Zone) -> MachineItem<'_> {
    let failed = row.failed_24h.map_or(0, |c| c.n);
    MachineItem {
        name: &row.summary.name,
        kind: match row.summary.machine_type {
            MachineType::Standard => "standard",
            MachineType::Express => "express",
        },
        running: count_text(row.running),
        failed_24h: count_text(row.failed_24h),
        failed_tone: if failed > 0 {
            Tone::Failed
        } else {
            Tone::Quiet
        },
        last_start: match &row.logging {
            Some(l) if l.is_on() => format!("logs to {}", l.group.as_deref().unwrap_or("")),
            Some(_) => "logging off: its executions are not kept".into(),
            None => row
                .last_start_ms
                .map_or_else(String::new, |t| zone.clock(t)),
        },
    }
}
