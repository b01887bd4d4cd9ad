//! `unstuck graph FILE|-`: the drawing, the JSON layout, and the exit codes (0, 1 for a bad
//! definition or file, 2 for bad usage), run as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const TAX_RETURN: &str = "aws/src/model/asl/fixtures/tax_return_processing.asl.json";

fn graph(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unstuck"))
        .arg("graph")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn a_definition_is_drawn_within_the_width_asked() {
    let out = graph(&[TAX_RETURN, "--width", "100"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let drawing = text(&out.stdout);
    for state in [
        "TaxReturnSubmitted",
        "HumanApproval",
        "CheckDocuments",
        "NotifyTaxpayer",
    ] {
        assert!(drawing.contains(state), "{state} missing:\n{drawing}");
    }
    assert!(drawing.contains("╭─ map CheckDocuments"), "{drawing}");
    assert!(drawing.contains('┄'), "catch edges are dashed:\n{drawing}");
    let widest = drawing.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100, "{widest} columns");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn the_json_layout_has_every_state_once_with_its_box_and_parent() {
    let out = graph(&[TAX_RETURN, "--output", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 19);
    let ids: std::collections::BTreeSet<u64> =
        nodes.iter().map(|n| n["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 19, "ids are unique");
    let by_name = |name: &str| nodes.iter().find(|n| n["name"] == name).unwrap();
    let map = by_name("CheckDocuments");
    assert_eq!(map["type"], "Map");
    assert!(map["parent"].is_null());
    let inner = by_name("VerifyDocument");
    assert_eq!(inner["parent"], map["id"]);
    for key in ["x", "y", "w", "h"] {
        assert!(inner[key].as_u64().is_some(), "{key}");
    }
    assert!(inner["x"].as_u64() > map["x"].as_u64());
    let edges = json["edges"].as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> =
        edges.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["catch", "choice", "default", "next"]
    );
    assert!(
        edges
            .iter()
            .all(|e| ids.contains(&e["from"].as_u64().unwrap())
                && ids.contains(&e["to"].as_u64().unwrap()))
    );
}

#[test]
fn stdin_works_and_a_bad_definition_is_exit_1_naming_the_state() {
    let ok = graph(
        &["-"],
        Some(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Succeed"}}}"#),
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("│ A"), "{}", text(&ok.stdout));
    assert!(
        text(&ok.stderr).contains(r#"warning: state "B" is never reached"#),
        "{}",
        text(&ok.stderr)
    );
    let bad = graph(
        &["-"],
        Some(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}"#),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains(r#"state "A" (States.A.Next): names "Nowhere""#),
        "{}",
        text(&bad.stderr)
    );
    let missing = graph(&["no/such/file.json"], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("opening no/such/file.json"));
}

#[test]
fn hostile_names_are_drawn_neutralised_and_bad_usage_is_exit_2() {
    let out = graph(
        &["-", "--output", "text"],
        Some(
            "{\"StartAt\":\"x\\u001b]52;c;aGk=\\u0007\",\"States\":{\"x\\u001b]52;c;aGk=\\u0007\":{\"Type\":\"Succeed\"}}}",
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let drawing = text(&out.stdout);
    assert!(
        !drawing.contains('\u{1b}') && !drawing.contains('\u{7}'),
        "{drawing:?}"
    );
    assert_eq!(
        graph(&[TAX_RETURN, "--width", "5"], None).status.code(),
        Some(2)
    );
    assert_eq!(graph(&[], None).status.code(), Some(2));
}
