//! Running a parsed query over records: each stage turns a list of records into the next.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::fields::{Record, Value, timestamp_text};
use super::query::{Aggregate, Compare, Expr, Function, Operand, Query, Stage};

/// The columns a query without `fields` or `stats` shows.
const DEFAULT_FIELDS: [&str; 4] = ["@timestamp", "@message", "@logStream", "@log"];

/// Runs `query` over `records` (newest first, as AWS returns raw events) and keeps at most
/// `limit` rows. Timestamps come out as AWS writes them. Also says how many events passed
/// the filters before the first `stats` (AWS's "records matched").
pub fn run(query: &Query, mut records: Vec<Record>, limit: usize) -> (Vec<Record>, usize) {
    let mut matched = None;
    for stage in &query.stages {
        if matches!(stage, Stage::Stats { .. }) && matched.is_none() {
            matched = Some(records.len());
        }
        records = match stage {
            Stage::Fields(columns) => records
                .into_iter()
                .map(|mut r| {
                    for (operand, name) in columns {
                        if let Some(v) = value_of(&r, operand) {
                            r.push(name.clone(), v);
                        }
                    }
                    // Only the named columns are shown, in their order; the rest stay
                    // readable by later stages.
                    r.shown = Some(columns.iter().map(|(_, name)| name.clone()).collect());
                    r
                })
                .collect(),
            Stage::Filter(expr) => records.into_iter().filter(|r| matches(r, expr)).collect(),
            Stage::Stats { aggregates, by } => stats(&records, aggregates, by),
            Stage::Sort(keys) => {
                records.sort_by(|a, b| {
                    keys.iter()
                        .map(|(field, descending)| {
                            let order = compare_fields(a, b, field);
                            if *descending { order.reverse() } else { order }
                        })
                        .find(|o| o.is_ne())
                        .unwrap_or(Ordering::Equal)
                });
                records
            }
            Stage::Limit(n) => {
                records.truncate(*n);
                records
            }
        };
    }
    let matched = matched.unwrap_or(records.len());
    records.truncate(limit);
    (records.into_iter().map(shown_columns).collect(), matched)
}

fn shown_columns(record: Record) -> Record {
    let names: Vec<String> = match &record.shown {
        Some(names) => names.clone(),
        None => DEFAULT_FIELDS.iter().map(|n| (*n).to_string()).collect(),
    };
    let mut out = Record::default();
    for name in names {
        if let Some(value) = record.get(&name) {
            let value = match value {
                Value::Number(ms) if name == "@timestamp" => {
                    Value::Text(timestamp_text(*ms as i64))
                }
                other => other.clone(),
            };
            out.fields.push((name, value));
        }
    }
    out
}

fn value_of(record: &Record, operand: &Operand) -> Option<Value> {
    match operand {
        Operand::Field(name) => record.get(name).cloned(),
        Operand::Number(n) => Some(Value::Number(*n)),
        Operand::Text(t) => Some(Value::Text(t.clone())),
        Operand::Bin(period) => {
            let ms = record.get("@timestamp")?.as_number()? as i64;
            Some(Value::Number(
                ms.div_euclid(*period).saturating_mul(*period) as f64,
            ))
        }
    }
}

fn matches(record: &Record, expr: &Expr) -> bool {
    match expr {
        Expr::Compare(left, op, right) => {
            let (Some(l), Some(r)) = (value_of(record, left), value_of(record, right)) else {
                return false;
            };
            let order = match (l.as_number(), r.as_number()) {
                (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
                _ => l.display().cmp(&r.display()),
            };
            match op {
                Compare::Eq => order.is_eq(),
                Compare::Ne => order.is_ne(),
                Compare::Lt => order.is_lt(),
                Compare::Le => order.is_le(),
                Compare::Gt => order.is_gt(),
                Compare::Ge => order.is_ge(),
            }
        }
        Expr::Like {
            field: name,
            pattern,
            negated,
        } => {
            record
                .get(name)
                .is_some_and(|v| pattern.is_match(&v.display()))
                != *negated
        }
        Expr::IsPresent(name) => record.get(name).is_some(),
        Expr::Not(inner) => !matches(record, inner),
        Expr::And(a, b) => matches(record, a) && matches(record, b),
        Expr::Or(a, b) => matches(record, a) || matches(record, b),
    }
}

fn compare_fields(a: &Record, b: &Record, name: &str) -> Ordering {
    match (a.get(name), b.get(name)) {
        (Some(x), Some(y)) => match (x.as_number(), y.as_number()) {
            (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
            _ => x.display().cmp(&y.display()),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn stats(records: &[Record], aggregates: &[Aggregate], by: &[(Operand, String)]) -> Vec<Record> {
    // Groups in order of their key text, as a stable answer.
    let mut groups: BTreeMap<Vec<String>, (Vec<Value>, Vec<&Record>)> = BTreeMap::new();
    for record in records {
        let keys: Vec<Value> = by
            .iter()
            .map(|(operand, _)| value_of(record, operand).unwrap_or(Value::Text(String::new())))
            .collect();
        let text: Vec<String> = keys.iter().map(Value::display).collect();
        groups
            .entry(text)
            .or_insert_with(|| (keys, Vec::new()))
            .1
            .push(record);
    }
    if groups.is_empty() && by.is_empty() {
        groups.insert(Vec::new(), (Vec::new(), Vec::new()));
    }
    groups
        .into_values()
        .map(|(keys, members)| {
            let mut out = Record::default();
            let mut shown: Vec<String> = by.iter().map(|(_, name)| name.clone()).collect();
            shown.extend(aggregates.iter().map(|a| a.name.clone()));
            out.shown = Some(shown);
            for ((operand, name), key) in by.iter().zip(keys) {
                let key = match (operand, key) {
                    (Operand::Bin(_), Value::Number(ms)) => Value::Text(timestamp_text(ms as i64)),
                    (_, key) => key,
                };
                out.push(name.clone(), key);
            }
            for aggregate in aggregates {
                if let Some(v) = aggregate_of(aggregate, &members) {
                    out.push(aggregate.name.clone(), v);
                }
            }
            out
        })
        .collect()
}

fn aggregate_of(aggregate: &Aggregate, members: &[&Record]) -> Option<Value> {
    let values = || {
        members
            .iter()
            .filter_map(|r| aggregate.field.as_deref().and_then(|f| r.get(f)))
    };
    let numbers = || values().filter_map(Value::as_number).collect::<Vec<f64>>();
    let n = match aggregate.function {
        Function::Count => match &aggregate.field {
            None => members.len() as f64,
            Some(_) => values().count() as f64,
        },
        Function::CountDistinct => {
            values().map(Value::display).collect::<BTreeSet<_>>().len() as f64
        }
        Function::Sum => numbers().iter().sum(),
        Function::Avg => {
            let xs = numbers();
            if xs.is_empty() {
                return None;
            }
            xs.iter().sum::<f64>() / xs.len() as f64
        }
        Function::Min => numbers().into_iter().reduce(f64::min)?,
        Function::Max => numbers().into_iter().reduce(f64::max)?,
        Function::Pct(p) => {
            let mut xs = numbers();
            if xs.is_empty() {
                return None;
            }
            xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
            let rank = ((p / 100.0) * (xs.len() - 1) as f64).round() as usize;
            xs[rank.min(xs.len() - 1)]
        }
    };
    Some(Value::Number(round_to_thousandths(n)))
}

fn round_to_thousandths(n: f64) -> f64 {
    (n * 1000.0).round() / 1000.0
}
