//! Everything behind a function's row: its configuration, the window's numbers, cold
//! starts, the cost estimate and how it was made, what feeds it and where it leads.

use unstuck_aws::model::functions::{
    ColdStarts, FunctionRow, FunctionsTable, PRICE_PER_GB_SECOND_ARM, PRICE_PER_GB_SECOND_X86,
    PRICE_PER_MILLION_REQUESTS, estimated_cost,
};
use unstuck_views::props::{DetailLine, DetailStyle};
use unstuck_views::zone::Zone;

use super::columns::{dollars, millis, percent};
use super::leads::{Lead, LeadKind};
use crate::state::shared::detail::{Detail, labelled};

fn heading(text: &str) -> DetailLine {
    DetailLine::new(0, vec![(DetailStyle::Heading, text.to_string())])
}

pub fn function_detail(
    row: &FunctionRow,
    table: &FunctionsTable,
    cold: Option<ColdStarts>,
    (leads, leads_read): (&[Lead], bool),
    zone: Zone,
) -> Detail {
    let c = &row.config;
    let m = &row.metrics;
    let text = DetailStyle::Text;
    let mut lines = vec![
        labelled("arn", c.arn.clone(), text),
        labelled(
            "runtime",
            format!(
                "{} · {} · {} MB · timeout {}s",
                c.runtime, c.architecture, c.memory_mb, c.timeout_s
            ),
            text,
        ),
        labelled(
            "modified",
            c.last_modified_ms
                .map(|ms| zone.full(ms))
                .unwrap_or_else(|| "–".into()),
            text,
        ),
        labelled("logs", c.log_group(), text),
        DetailLine::new(0, Vec::new()),
        heading(&format!(
            "last {} ({} points)",
            table.window.label(),
            table.window.points()
        )),
        labelled(
            "calls",
            format!(
                "{:.0} · errors {:.0} ({}) · throttles {:.0}",
                m.invocations,
                m.errors,
                percent(m.error_rate()),
                m.throttles
            ),
            if m.errors > 0.0 {
                DetailStyle::Error
            } else {
                text
            },
        ),
        labelled(
            "duration",
            format!(
                "p50 {} · p95 {} · p99 {}",
                millis(m.duration.p50),
                millis(m.duration.p95),
                millis(m.duration.p99)
            ),
            text,
        ),
        labelled(
            "concur.",
            m.max_concurrency
                .map(|v| format!("{v:.0} at most"))
                .unwrap_or_else(|| "not published".into()),
            text,
        ),
    ];
    if let Some(age) = m.iterator_age_ms {
        lines.push(labelled("iter age", millis(Some(age)), text));
    }
    if let Some(age) = m.async_event_age_ms {
        lines.push(labelled("evt age", millis(Some(age)), text));
    }
    lines.push(labelled(
        "cold",
        match cold {
            Some(cs) => format!(
                "{} of {} logged invocations ({}) · init p50 {} · p99 {}",
                cs.cold,
                cs.reports,
                percent(cs.rate()),
                millis(cs.init_p50_ms),
                millis(cs.init_p99_ms)
            ),
            None => "not counted yet (Logs Insights over its REPORT lines)".into(),
        },
        text,
    ));
    let gb_s = m.duration_sum_ms / 1000.0 * f64::from(c.memory_mb) / 1024.0;
    let per_gb_s = if c.architecture == "arm64" {
        PRICE_PER_GB_SECOND_ARM
    } else {
        PRICE_PER_GB_SECOND_X86
    };
    lines.push(labelled(
        "cost",
        format!(
            "~{} = {:.0} requests × ${PRICE_PER_MILLION_REQUESTS}/M + {gb_s:.1} GB-s × ${per_gb_s} \
             (on-demand, us-east-1, aws.amazon.com/lambda/pricing, read 2026-11)",
            dollars(estimated_cost(c, m)),
            m.invocations
        ),
        text,
    ));
    lines.push(DetailLine::new(0, Vec::new()));
    lines.push(heading("fed by · leads to"));
    if leads.is_empty() {
        lines.push(labelled(
            "",
            "no event source mapping, destination or dead-letter queue (invoked directly, by a \
             topic, a rule or a state machine)",
            DetailStyle::Dim,
        ));
    }
    for lead in leads {
        let mapping = table.mappings.iter().find(|m| {
            lead.how == LeadKind::FedBy && m.source_arn == lead.arn && m.function_name() == c.name
        });
        lines.push(labelled(
            lead.how.label(),
            format!(
                "{}{}{}",
                lead.arn,
                if lead.states.is_empty() {
                    String::new()
                } else {
                    format!(" · from {}", lead.states.join(", "))
                },
                mapping
                    .map(|m| {
                        format!(
                            " · {}{}",
                            m.state,
                            m.batch_size
                                .map(|b| format!(" · batch {b}"))
                                .unwrap_or_default()
                        )
                    })
                    .unwrap_or_default()
            ),
            text,
        ));
    }
    if !leads_read {
        lines.push(labelled(
            "",
            "destinations and invoking state machines: being read (ListFunctionEventInvokeConfigs, \
             the machines' definitions); m again shows them",
            DetailStyle::Dim,
        ));
    }
    Detail::build(format!("function {}", c.name), lines, None, Vec::new())
}
