use unstuck_aws::model::asl::parse;

use super::*;

const TAX_RETURN: &str =
    include_str!("../../../aws/src/model/asl/fixtures/tax_return_processing.asl.json");
const JSONATA_LOOP: &str =
    include_str!("../../../aws/src/model/asl/fixtures/jsonata_loop.asl.json");
const LARGE: &str = include_str!("../../../aws/src/model/asl/fixtures/large_200_states.asl.json");

/// Small machines, one per kind of state or edge.
const TASKS: &str = r#"{"StartAt":"Invoke","States":{
  "Invoke":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:1:function:tax-validate","Next":"Approve",
    "Retry":[{"ErrorEquals":["States.Timeout"],"MaxAttempts":2}]},
  "Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Next":"Work"},
  "Work":{"Type":"Task","Resource":"arn:aws:states:eu-west-1:1:activity:scan","Next":"Batch"},
  "Batch":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Next":"Put"},
  "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","End":true}}}"#;
const CHOICE: &str = r#"{"StartAt":"Route","States":{
  "Route":{"Type":"Choice","Choices":[
    {"Variable":"$.kind","StringEquals":"refund","Next":"Refund"},
    {"Variable":"$.kind","StringEquals":"payment","Next":"Pay"}],"Default":"Ignore"},
  "Refund":{"Type":"Pass","Next":"Done"},
  "Pay":{"Type":"Pass","Next":"Done"},
  "Ignore":{"Type":"Fail","Error":"UnknownKind"},
  "Done":{"Type":"Succeed"}}}"#;
const WAIT_PASS_END: &str = r#"{"StartAt":"Hold","States":{
  "Hold":{"Type":"Wait","Timestamp":"2026-12-24T00:00:00Z","Next":"Shape"},
  "Shape":{"Type":"Pass","Result":{"ok":true},"Next":"Ok"},
  "Ok":{"Type":"Succeed"}}}"#;
const PARALLEL: &str = r#"{"StartAt":"Fan","States":{
  "Fan":{"Type":"Parallel","Next":"Join","Branches":[
    {"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","End":true}}},
    {"StartAt":"B1","States":{"B1":{"Type":"Wait","Seconds":3,"End":true}}},
    {"StartAt":"C1","States":{"C1":{"Type":"Pass","End":true}}}]},
  "Join":{"Type":"Succeed"}}}"#;
const MAPS: &str = r#"{"StartAt":"Inline","States":{
  "Inline":{"Type":"Map","Next":"Distributed","ItemProcessor":{"StartAt":"One","States":{"One":{"Type":"Pass","End":true}}}},
  "Distributed":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},
    "StartAt":"Each","States":{"Each":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
    "Parameters":{"FunctionName":"tax-each"},"End":true}}}}}}"#;
const CATCH: &str = r#"{"StartAt":"Charge","States":{
  "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},
    "Catch":[{"ErrorEquals":["Card.Declined"],"Next":"Declined"},{"ErrorEquals":["States.ALL"],"Next":"Refund"}],
    "Next":"Receipt"},
  "Receipt":{"Type":"Pass","Next":"Done"},
  "Declined":{"Type":"Fail"},
  "Refund":{"Type":"Pass","Next":"Done"},
  "Done":{"Type":"Succeed"}}}"#;

/// The whole layout as text.
fn text(definition: &Definition, laid: &GraphLayout) -> String {
    view(definition, laid, laid.width, laid.height)
}

/// The top-left `w` x `h` cells, as a terminal of that size shows them.
fn view(definition: &Definition, laid: &GraphLayout, w: usize, h: usize) -> String {
    Canvas::draw(definition, laid, (0, 0, w, h))
        .lines()
        .join("\n")
}

fn cases() -> Vec<(&'static str, &'static str)> {
    vec![
        ("tasks", TASKS),
        ("choice", CHOICE),
        ("wait_pass_end", WAIT_PASS_END),
        ("parallel", PARALLEL),
        ("maps", MAPS),
        ("catch", CATCH),
        ("back_edge", JSONATA_LOOP),
        ("tax_return", TAX_RETURN),
        ("large", LARGE),
    ]
}

#[test]
fn every_kind_of_state_at_80x24_and_160x48() {
    for (name, definition) in cases() {
        let d = parse(definition).unwrap();
        let narrow = layout_within(&d, 80, &BTreeSet::new());
        insta::assert_snapshot!(format!("graph_{name}_80x24"), view(&d, &narrow, 80, 24));
        let wide = layout(&d, &LayoutOptions::default());
        insta::assert_snapshot!(format!("graph_{name}_160x48"), view(&d, &wide, 160, 48));
    }
}

#[test]
fn the_tax_return_machine_whole_and_with_its_regions_collapsed() {
    let d = parse(TAX_RETURN).unwrap();
    insta::assert_snapshot!(
        "graph_tax_return_whole",
        text(&d, &layout(&d, &LayoutOptions::default()))
    );
    let collapsed: BTreeSet<StateId> = d
        .states
        .iter()
        .filter(|s| !s.kind.blocks().is_empty())
        .map(|s| s.id)
        .collect();
    let laid = layout(
        &d,
        &LayoutOptions {
            collapsed,
            ..LayoutOptions::default()
        },
    );
    assert!(laid.nodes.iter().all(|n| !n.region));
    assert!(
        laid.nodes.iter().all(|n| d.states[n.id].parent.is_none()),
        "a collapsed region hides its states"
    );
    insta::assert_snapshot!("graph_tax_return_collapsed", text(&d, &laid));
}

/// What every layout must hold, whatever the definition.
fn check_invariants(d: &Definition, laid: &GraphLayout) {
    let inside = |x: usize, y: usize| x < laid.width && y < laid.height;
    for n in &laid.nodes {
        assert!(
            n.x + n.w <= laid.width && n.y + n.h <= laid.height,
            "{n:?} in {}x{}",
            laid.width,
            laid.height
        );
        if let Some(parent) = d.states[n.id].parent {
            let p = laid.node(parent).unwrap();
            assert!(
                n.x > p.x && n.x + n.w < p.x + p.w && n.y > p.y && n.y + n.h < p.y + p.h,
                "{n:?} outside its region {p:?}"
            );
        }
    }
    for (i, a) in laid.nodes.iter().enumerate() {
        for b in &laid.nodes[i + 1..] {
            if d.states[a.id].parent != d.states[b.id].parent {
                continue;
            }
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    for e in &laid.edges {
        let (from, to) = (laid.node(e.from).unwrap(), laid.node(e.to).unwrap());
        assert_eq!(
            e.points.first(),
            Some(&(from.centre(), from.y + from.h)),
            "{e:?}"
        );
        assert_eq!(e.points.last(), Some(&(to.centre(), to.y - 1)), "{e:?}");
        for pair in e.points.windows(2) {
            assert!(
                pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
                "not orthogonal: {e:?}"
            );
        }
        assert!(e.points.iter().all(|&(x, y)| inside(x, y)), "{e:?}");
    }
}

#[test]
fn layouts_hold_their_invariants_and_do_not_move_between_calls() {
    for (name, definition) in cases() {
        let d = parse(definition).unwrap();
        for width in [40, 80, 160, 400] {
            let laid = layout_within(&d, width, &BTreeSet::new());
            check_invariants(&d, &laid);
            assert_eq!(laid, layout_within(&d, width, &BTreeSet::new()), "{name}");
        }
    }
}

#[test]
fn every_state_of_the_large_machine_is_drawn_once() {
    let d = parse(LARGE).unwrap();
    assert!(d.states.len() >= 200, "{}", d.states.len());
    let laid = layout(&d, &LayoutOptions::default());
    assert_eq!(laid.nodes.len(), d.states.len());
    let mut ids: Vec<StateId> = laid.nodes.iter().map(|n| n.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), d.states.len());
    assert!(laid.edges.iter().any(|e| e.kind == EdgeKind::Catch));
    assert!(
        laid.edges.iter().any(|e| e.laned),
        "the repair loop goes back up a lane"
    );
}

/// A random definition: states of every type, transitions to existing and missing names,
/// nested Parallel and Map, Catches; sometimes malformed.
fn random_definition(rng: &mut fastrand::Rng, depth: usize) -> String {
    let n = rng.usize(1..12);
    let names: Vec<String> = (0..n).map(|i| format!("S{depth}_{i}")).collect();
    let pick = |rng: &mut fastrand::Rng| {
        if rng.u8(..50) == 0 {
            "Missing".to_string()
        } else {
            names[rng.usize(..n)].clone()
        }
    };
    let mut states = Vec::new();
    for name in &names {
        let next = pick(rng);
        let end = rng.bool();
        let tail = if end {
            r#""End":true"#.to_string()
        } else {
            format!(r#""Next":"{next}""#)
        };
        let catch = if rng.u8(..4) == 0 {
            format!(
                r#","Catch":[{{"ErrorEquals":["States.ALL"],"Next":"{}"}}]"#,
                pick(rng)
            )
        } else {
            String::new()
        };
        let body = match rng.u8(..9) {
            0 => format!(
                r#"{{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",{tail}{catch}}}"#
            ),
            1 => format!(r#"{{"Type":"Pass",{tail}}}"#),
            2 => format!(r#"{{"Type":"Wait","Seconds":{},{tail}}}"#, rng.u8(..)),
            3 => r#"{"Type":"Succeed"}"#.to_string(),
            4 => r#"{"Type":"Fail"}"#.to_string(),
            5 => format!(
                r#"{{"Type":"Choice","Choices":[{{"Variable":"$.x","IsNull":true,"Next":"{}"}}],"Default":"{}"}}"#,
                pick(rng),
                pick(rng)
            ),
            6 if depth < 3 => format!(
                r#"{{"Type":"Parallel","Branches":[{},{}],{tail}{catch}}}"#,
                random_definition(rng, depth + 1),
                random_definition(rng, depth + 1)
            ),
            7 if depth < 3 => format!(
                r#"{{"Type":"Map","ItemProcessor":{},{tail}{catch}}}"#,
                random_definition(rng, depth + 1)
            ),
            _ => format!(r#"{{"Type":"Pass",{tail}}}"#),
        };
        states.push(format!(r#""{name}":{body}"#));
    }
    format!(
        r#"{{"StartAt":"{}","States":{{{}}}}}"#,
        pick(rng),
        states.join(",")
    )
}

#[test]
fn no_definition_makes_the_parser_or_the_layout_panic() {
    let mut rng = fastrand::Rng::with_seed(9);
    let (mut parsed, mut refused) = (0, 0);
    for case in 0..600 {
        let mut text = random_definition(&mut rng, 0);
        if case % 3 == 0 {
            // Damage it: cut a piece out, or put noise in.
            let at = rng.usize(..text.len());
            let to = (at + rng.usize(..8)).min(text.len());
            if text.is_char_boundary(at) && text.is_char_boundary(to) {
                text.replace_range(at..to, ["", "}", "\"", "[", "\u{1b}", "é"][rng.usize(..6)]);
            }
        }
        match parse(&text) {
            Ok(d) => {
                parsed += 1;
                for width in [20, 80] {
                    let laid = layout_within(&d, width, &BTreeSet::new());
                    check_invariants(&d, &laid);
                    let _ = Canvas::draw(&d, &laid, (0, 0, laid.width, laid.height)).lines();
                }
            }
            Err(e) => {
                refused += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    assert!(
        parsed > 100 && refused > 100,
        "{parsed} parsed, {refused} refused"
    );
}
