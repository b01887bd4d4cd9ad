//! The state-machine graph's hot paths (issue 9): parsing and laying out a 200-state machine
//! (nested Parallel and Map, Choices, Catches, a loop), target <= 20 ms; and drawing one
//! 160x48 viewport of it, part of the executions pane's 2 ms frame budget.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use unstuck_aws::model::asl::parse;
use unstuck_views::graph::{Canvas, LayoutOptions, layout};

const LARGE: &str = include_str!("../aws/src/model/asl/fixtures/large_200_states.asl.json");

fn graph(c: &mut Criterion) {
    let definition = parse(LARGE).unwrap();
    assert!(definition.states.len() >= 200);
    c.bench_function("parse 200-state definition", |b| {
        b.iter(|| parse(black_box(LARGE)).unwrap())
    });
    let options = LayoutOptions::default();
    c.bench_function("layout 200-state machine", |b| {
        b.iter(|| layout(black_box(&definition), &options))
    });
    let laid = layout(&definition, &options);
    c.bench_function("draw 160x48 viewport of the 200-state machine", |b| {
        b.iter(|| Canvas::draw(black_box(&definition), &laid, (0, laid.height / 3, 160, 48)))
    });
    let collapsed: BTreeSet<usize> = definition
        .states
        .iter()
        .filter(|s| !s.kind.blocks().is_empty())
        .map(|s| s.id)
        .collect();
    let options = LayoutOptions {
        collapsed,
        ..LayoutOptions::default()
    };
    c.bench_function("layout 200-state machine, regions collapsed", |b| {
        b.iter(|| layout(black_box(&definition), &options))
    });
}

criterion_group!(benches, graph);
criterion_main!(benches);
