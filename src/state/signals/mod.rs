//! The signals pane: CloudWatch alarms (in ALARM first, with their metric against the
//! threshold), Synthetics canaries (last run, success %, duration trend, the failing step)
//! and RUM app monitors (page load p90, errors, sessions, Apdex, web vitals) over a window
//! (`w`). `enter` opens the numbers behind a row; `/` filters by name.

mod detail;

use std::collections::BTreeSet;

use unstuck_aws::api::{Data, SignalsData, SignalsTopic, Topic};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::functions::MetricWindow;
use unstuck_aws::model::signals::{AlarmRow, AlarmState, Canary, RumSummary, trim_number};
use unstuck_views::executions::props::Tone;
use unstuck_views::props::PaneProps;
use unstuck_views::signals::{SignalRow, SignalSection, SignalsProps};
use unstuck_views::zone::Zone;

use crate::config::{Action, Context, Keymap};
use crate::state::functions::columns::millis;
use crate::state::shared::durations::short_duration;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest, cursor_delta, key_for, moved_cursor};
use crate::state::shared::polled::{PollError, Polled};
use crate::state::shell::panes::Pane;

/// A row of the pane: which section, which item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picked {
    Alarm(usize),
    Canary(usize),
    Rum(usize),
}

#[derive(Debug, Default)]
pub struct SignalsPane {
    window: MetricWindow,
    alarms: Polled<Vec<AlarmRow>>,
    canaries: Polled<Vec<Canary>>,
    rum: Polled<Vec<RumSummary>>,
    cursor: usize,
    filter: Option<String>,
    /// An alarm, canary or monitor another pane asked for, selected once it is here.
    wanted: Option<String>,
}

fn rum_name(r: &RumSummary) -> &str {
    r.monitor.as_ref().map_or("?", |m| m.name.as_str())
}

impl SignalsPane {
    fn rum_topic(&self) -> Topic {
        Topic::Signals(SignalsTopic::Rum {
            window: self.window,
        })
    }

    fn takes(&self, name: &str) -> bool {
        self.filter.as_deref().is_none_or(|f| name.contains(f))
    }

    /// Every row shown, in order: alarms, canaries (failing first), monitors.
    fn rows(&self) -> Vec<Picked> {
        let mut out = Vec::new();
        for (i, a) in self.alarms.data.iter().flatten().enumerate() {
            if self.takes(&a.alarm.name) {
                out.push(Picked::Alarm(i));
            }
        }
        let canaries = self.canaries.data.as_deref().unwrap_or(&[]);
        let mut order: Vec<usize> = (0..canaries.len())
            .filter(|&i| self.takes(&canaries[i].name))
            .collect();
        order.sort_by_key(|&i| (!canaries[i].is_failing(), canaries[i].name.clone()));
        out.extend(order.into_iter().map(Picked::Canary));
        for (i, r) in self.rum.data.iter().flatten().enumerate() {
            if self.takes(rum_name(r)) {
                out.push(Picked::Rum(i));
            }
        }
        out
    }

    fn name_of(&self, picked: Picked) -> &str {
        match picked {
            Picked::Alarm(i) => self
                .alarms
                .data
                .as_ref()
                .map_or("", |a| a[i].alarm.name.as_str()),
            Picked::Canary(i) => self
                .canaries
                .data
                .as_ref()
                .map_or("", |c| c[i].name.as_str()),
            Picked::Rum(i) => self.rum.data.as_ref().map_or("", |r| rum_name(&r[i])),
        }
    }

    fn select_wanted(&mut self) {
        let Some(name) = self.wanted.clone() else {
            return;
        };
        self.filter = None;
        if let Some(i) = self
            .rows()
            .into_iter()
            .position(|p| self.name_of(p) == name)
        {
            self.cursor = i;
            self.wanted = None;
        }
    }

    fn open_detail(&self, ctx: &mut PaneCtx<'_>) {
        let Some(picked) = self.rows().get(self.cursor).copied() else {
            return;
        };
        let view = match picked {
            Picked::Alarm(i) => self
                .alarms
                .data
                .as_ref()
                .map(|a| detail::alarm_detail(&a[i], ctx.zone)),
            Picked::Canary(i) => self
                .canaries
                .data
                .as_ref()
                .map(|c| detail::canary_detail(&c[i], ctx.zone)),
            Picked::Rum(i) => self
                .rum
                .data
                .as_ref()
                .map(|r| detail::rum_detail(&r[i], self.window)),
        };
        if let Some(view) = view {
            ctx.request(ShellRequest::OpenDetail(view));
        }
    }

    fn alarm_row<'a>(&self, a: &'a AlarmRow, now_ms: i64, zone: Zone) -> SignalRow<'a> {
        let alarm = &a.alarm;
        let since = alarm
            .since_ms
            .map(|s| {
                format!(
                    " · since {} ({} ago)",
                    zone.clock(s),
                    short_duration(now_ms - s)
                )
            })
            .unwrap_or_default();
        let what = alarm
            .metric
            .as_ref()
            .map(|m| {
                let now = a
                    .series
                    .as_ref()
                    .and_then(|s| s.last())
                    .map(|v| format!(" · now {}", trim_number(v)))
                    .unwrap_or_default();
                format!("{}{now}", m.describe())
            })
            .unwrap_or_else(|| "composite or metric math".into());
        SignalRow {
            state: alarm.state.label(),
            name: &alarm.name,
            text: format!("{what}{since}"),
            trend: a
                .series
                .as_ref()
                .map(|s| s.points.iter().map(|(_, v)| *v).collect())
                .unwrap_or_default(),
            tone: match alarm.state {
                AlarmState::Alarm => Tone::Failed,
                AlarmState::Ok => Tone::Ok,
                _ => Tone::Warn,
            },
        }
    }

    fn canary_row<'a>(c: &'a Canary) -> SignalRow<'a> {
        let last = c.last_run.as_ref().or(c.runs.first());
        let step = last
            .and_then(|r| r.failing_step())
            .map(|s| format!(" · fails at {s}"))
            .unwrap_or_default();
        let durations: Vec<f64> = c
            .runs
            .iter()
            .rev()
            .map(|r| r.duration_ms().map_or(f64::NAN, |d| d as f64))
            .collect();
        SignalRow {
            state: last.map_or("NO RUN", |r| r.status.label()),
            name: &c.name,
            text: format!(
                "{} passed of the last {} runs · {}{step}",
                c.success_pct()
                    .map(|p| format!("{p:.0}%"))
                    .unwrap_or_else(|| "–".into()),
                c.runs.len(),
                c.schedule
            ),
            trend: durations,
            tone: if c.is_failing() {
                Tone::Failed
            } else {
                Tone::Ok
            },
        }
    }

    fn rum_row<'a>(r: &'a RumSummary) -> SignalRow<'a> {
        SignalRow {
            state: r.monitor.as_ref().map_or("?", |m| m.state.as_str()),
            name: rum_name(r),
            text: format!(
                "load p90 {} · {:.0} JS / {:.0} HTTP errors · {:.0} sessions · Apdex {} · LCP {} INP {} CLS {}",
                millis(r.page_load_p90_ms),
                r.js_errors,
                r.http_errors,
                r.sessions,
                r.apdex()
                    .map(|a| format!("{a:.2}"))
                    .unwrap_or_else(|| "–".into()),
                millis(r.lcp_p75_ms),
                millis(r.inp_p75_ms),
                r.cls_p75
                    .map(|c| format!("{c:.2}"))
                    .unwrap_or_else(|| "–".into()),
            ),
            trend: r.js_errors_series.clone(),
            tone: if r.js_errors > 0.0 {
                Tone::Warn
            } else {
                Tone::Ok
            },
        }
    }
}

impl Pane for SignalsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            self.cursor = moved_cursor(self.cursor, delta, self.rows().len());
            return Vec::new();
        }
        match action {
            Action::Open => self.open_detail(ctx),
            Action::CycleWindow => {
                self.window = self.window.next();
                ctx.info(format!("RUM over the last {}", self.window.label()));
                return vec![Effect::Refresh(self.rum_topic())];
            }
            Action::ClearFilter => self.filter = None,
            _ => {}
        }
        Vec::new()
    }

    fn on_polled(
        &mut self,
        topic: &Topic,
        result: &Result<Data, BackendError>,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        let at = ctx.now_ms;
        match (topic, result) {
            (_, Ok(Data::Signals(SignalsData::Alarms(rows)))) => {
                self.alarms.fetched(at, rows.clone())
            }
            (_, Ok(Data::Signals(SignalsData::Canaries(rows)))) => {
                self.canaries.fetched(at, rows.clone())
            }
            (_, Ok(Data::Signals(SignalsData::Rum { window, monitors })))
                if *window == self.window =>
            {
                self.rum.fetched(at, monitors.clone())
            }
            (Topic::Signals(SignalsTopic::Alarms), Err(e)) => self.alarms.failed("alarms", at, e),
            (Topic::Signals(SignalsTopic::Canaries), Err(e)) => {
                self.canaries.failed("canaries", at, e)
            }
            (Topic::Signals(SignalsTopic::Rum { window }), Err(e)) if *window == self.window => {
                self.rum.failed("RUM app monitors", at, e)
            }
            _ => return Vec::new(),
        }
        self.cursor = self.cursor.min(self.rows().len().saturating_sub(1));
        self.select_wanted();
        Vec::new()
    }

    fn on_focus(&mut self, focus: Focus, _ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if let Focus::Signal(name) = focus {
            self.wanted = Some(name);
            self.select_wanted();
        }
        Vec::new()
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if visible {
            out.extend([Topic::ALARMS, Topic::CANARIES, self.rum_topic()]);
        }
    }

    fn filter_text(&self) -> Option<&str> {
        self.filter.as_deref()
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        self.filter = text.filter(|t| !t.is_empty()).map(str::to_string);
        self.cursor = 0;
        Ok(())
    }

    fn props<'a>(&'a self, keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a> {
        let rows = self.rows();
        let pick = |f: fn(&Picked) -> Option<usize>| rows.iter().filter_map(f).collect::<Vec<_>>();
        let alarms = self.alarms.data.as_deref().unwrap_or(&[]);
        let canaries = self.canaries.data.as_deref().unwrap_or(&[]);
        let monitors = self.rum.data.as_deref().unwrap_or(&[]);
        let alarm_rows: Vec<SignalRow<'a>> = pick(|p| match p {
            Picked::Alarm(i) => Some(*i),
            _ => None,
        })
        .into_iter()
        .map(|i| self.alarm_row(&alarms[i], now_ms, zone))
        .collect();
        let firing = alarms
            .iter()
            .filter(|a| a.alarm.state == AlarmState::Alarm)
            .count();
        let failing = canaries.iter().filter(|c| c.is_failing()).count();
        let canary_rows = pick(|p| match p {
            Picked::Canary(i) => Some(*i),
            _ => None,
        })
        .into_iter()
        .map(|i| Self::canary_row(&canaries[i]))
        .collect();
        let rum_rows = pick(|p| match p {
            Picked::Rum(i) => Some(*i),
            _ => None,
        })
        .into_iter()
        .map(|i| Self::rum_row(&monitors[i]))
        .collect();
        let k = |a| key_for(keymap, Context::Signals, a);
        PaneProps::Signals(SignalsProps {
            title: format!(
                "signals · {} firing · {} failing{}",
                crate::state::shared::thousands::count(firing, "alarm"),
                if failing == 1 {
                    "1 canary".to_string()
                } else {
                    format!("{failing} canaries")
                },
                self.filter
                    .as_deref()
                    .map(|f| format!(" · /{f}"))
                    .unwrap_or_default()
            ),
            hint: format!(
                "{} details · {} RUM window ({}) · {} filter",
                k(Action::Open),
                k(Action::CycleWindow),
                self.window.label(),
                k(Action::Filter)
            ),
            sections: vec![
                SignalSection {
                    title: format!("CloudWatch alarms · {firing} in ALARM of {}", alarms.len()),
                    head: "METRIC AND THRESHOLD",
                    state: self.alarms.loadable(),
                    rows: alarm_rows,
                    empty: "no metric alarms in this region",
                },
                SignalSection {
                    title: format!(
                        "Synthetics canaries · {failing} failing of {}",
                        canaries.len()
                    ),
                    head: "RUNS",
                    state: self.canaries.loadable(),
                    rows: canary_rows,
                    empty: "no canaries in this region",
                },
                SignalSection {
                    title: format!(
                        "RUM app monitors · last {} · {}",
                        self.window.label(),
                        crate::state::shared::thousands::count(monitors.len(), "monitor")
                    ),
                    head: "PAGE LOADS, ERRORS, SESSIONS, WEB VITALS (p75)",
                    state: self.rum.loadable(),
                    rows: rum_rows,
                    empty: "no RUM app monitors in this region",
                },
            ],
            cursor: self.cursor,
        })
    }

    fn is_stale(&self) -> bool {
        self.alarms.is_stale() || self.canaries.is_stale() || self.rum.is_stale()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        [
            self.alarms.fetched_ms,
            self.canaries.fetched_ms,
            self.rum.fetched_ms,
        ]
        .into_iter()
        .flatten()
        .max()
    }

    fn last_error(&self) -> Option<&PollError> {
        [&self.alarms.error, &self.canaries.error, &self.rum.error]
            .into_iter()
            .flatten()
            .max_by_key(|e| e.at_ms)
    }
}
