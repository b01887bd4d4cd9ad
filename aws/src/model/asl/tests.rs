use super::*;

const TAX_RETURN: &str = include_str!("fixtures/tax_return_processing.asl.json");
const JSONATA_LOOP: &str = include_str!("fixtures/jsonata_loop.asl.json");

fn id(definition: &Definition, name: &str) -> StateId {
    definition.named(name).next().map(|s| s.id).unwrap()
}

#[test]
fn every_state_type_of_the_tax_return_machine_is_read() {
    let d = parse(TAX_RETURN).unwrap();
    assert_eq!(d.states.len(), 19);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.states[d.root.start].name, "TaxReturnSubmitted");
    let waiting = &d.states[id(&d, "TaxReturnSubmitted")];
    let StateKind::Task(task) = &waiting.kind else {
        panic!("{waiting:?}")
    };
    assert_eq!(task.pattern, TaskPattern::WaitForTaskToken);
    assert_eq!(task.timeout, Some(Seconds::Fixed(3600)));
    assert_eq!(task.heartbeat, None);
    let screen = &d.states[id(&d, "ScreenForFraud")];
    let StateKind::Task(task) = &screen.kind else {
        panic!()
    };
    assert_eq!(
        task.function.as_deref().map(lambda_function_name),
        Some("tax-fraud-screening")
    );
    assert_eq!(screen.retries[0].max_attempts, 3);
    assert_eq!(screen.catches[0].next, id(&d, "CompensateSubmission"));
    let edges = d.states[id(&d, "IsSuspicious")].edges();
    assert_eq!(
        edges.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EdgeKind::Choice, EdgeKind::Default]
    );
    let StateKind::Choice { rules, .. } = &d.states[id(&d, "IsSuspicious")].kind else {
        panic!()
    };
    assert_eq!(rules[0].summary, "$.Payload.risk > 70");
    let map = &d.states[id(&d, "CheckDocuments")];
    let StateKind::Map { processor, mode } = &map.kind else {
        panic!()
    };
    assert_eq!(*mode, MapMode::Inline);
    assert_eq!(processor.members.len(), 4);
    assert!(
        processor
            .members
            .iter()
            .all(|&m| d.states[m].parent == Some(map.id))
    );
    let StateKind::Parallel { branches } = &d.states[id(&d, "Assess")].kind else {
        panic!()
    };
    assert_eq!(branches.len(), 2);
    let StateKind::Task(pay) = &d.states[id(&d, "IssuePayment")].kind else {
        panic!()
    };
    assert_eq!(pay.heartbeat, Some(Seconds::Fixed(60)));
    assert_eq!(pay.function.as_deref(), Some("tax-issue-payment"));
    let StateKind::Task(approval) = &d.states[id(&d, "HumanApproval")].kind else {
        panic!()
    };
    assert_eq!(
        approval.token_paths,
        [vec!["MessageBody".to_string(), "token".to_string()]]
    );
    assert_eq!(
        approval
            .token_in(r#"{"QueueUrl":"q","MessageBody":{"token":"AAAAKgAAAAIAAAAAAAAAAS"}}"#)
            .as_deref(),
        Some("AAAAKgAAAAIAAAAAAAAAAS")
    );
    assert_eq!(approval.token_in("not json"), None);
    let StateKind::Task(submitted) = &d.states[id(&d, "TaxReturnSubmitted")].kind else {
        panic!()
    };
    assert_eq!(
        submitted
            .token_in(r#"{"Entries":[{"Source":"s","Detail":{"token":"T-1"}}]}"#)
            .as_deref(),
        Some("T-1")
    );
    assert!(matches!(
        d.states[id(&d, "CoolingOff")].kind,
        StateKind::Wait(WaitSpec::Seconds(Seconds::Fixed(5)))
    ));
    let order: Vec<&str> = d
        .reading_order()
        .iter()
        .map(|&i| d.states[i].name.as_str())
        .collect();
    assert_eq!(
        &order[5..11],
        [
            "CheckDocuments",
            "VerifyDocument",
            "DocumentReadable",
            "DocumentOk",
            "DocumentUnreadable",
            "Assess"
        ]
    );
    assert_eq!(order.len(), d.states.len());
    assert!(matches!(
        &d.states[id(&d, "Rejected")].kind,
        StateKind::Fail { error: Some(e), .. } if e == "ReturnRejected"
    ));
}

#[test]
fn a_jsonata_machine_with_a_loop_is_read() {
    let d = parse(JSONATA_LOOP).unwrap();
    assert_eq!(d.query_language, QueryLanguage::JsonAta);
    assert!(
        d.states
            .iter()
            .all(|s| s.query_language == QueryLanguage::JsonAta)
    );
    let StateKind::Choice { rules, .. } = &d.states[id(&d, "Ready")].kind else {
        panic!()
    };
    assert_eq!(rules[0].summary, "{% $status = 'DONE' %}");
    assert!(matches!(
        &d.states[id(&d, "Later")].kind,
        StateKind::Wait(WaitSpec::Seconds(Seconds::Dynamic(e))) if e.contains("$count")
    ));
    assert_eq!(d.states[id(&d, "Later")].next, Some(id(&d, "Poll")));
    let StateKind::Task(task) = &d.states[id(&d, "Poll")].kind else {
        panic!()
    };
    assert_eq!(task.function.as_deref(), Some("tax-status-api"));
}

/// The error of `text`, as a user reads it.
fn error(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn malformed_definitions_name_the_state_and_the_field() {
    assert_eq!(
        error(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#),
        r#"state "A" (States.A.Next): names "B", which is not a state of this block"#
    );
    assert_eq!(
        error(r#"{"States":{"A":{"Type":"Pass","End":true}}}"#),
        "StartAt: is missing"
    );
    assert_eq!(
        error(r#"{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}"#),
        r#"StartAt: names "X", which is not a state here"#
    );
    assert_eq!(
        error(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}"#
        ),
        r#"state "A" (States.A): is defined twice in the same States"#
    );
    assert_eq!(
        error(
            r#"{"StartAt":"A","States":{
                "A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"B"}],"Default":"C"},
                "B":{"Type":"Choice","Choices":[{"Variable":"$.y","IsNull":true,"Next":"A"}],"Default":"C"},
                "C":{"Type":"Succeed"}}}"#
        ),
        r#"state "A": loops through Choice states only (A -> B -> A): an execution would never leave them"#
    );
    assert_eq!(
        error(r#"{"StartAt":"A","States":{"A":{"Type":"Pass"}}}"#),
        r#"state "A" (States.A): has neither Next nor End"#
    );
    assert_eq!(
        error(r#"{"StartAt":"A","States":{"A":{"Type":"Loop","End":true}}}"#),
        r#"state "A" (States.A.Type): "Loop" is not a state type"#
    );
    assert_eq!(
        error(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Gone"}}}]}}}"#
        ),
        r#"state "A" (States.P.Branches[0].States.A.Next): names "Gone", which is not a state of this block"#
    );
    assert_eq!(
        error(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}"#),
        r#"state "W" (States.W): a Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath"#
    );
    assert_eq!(
        error(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","TimeoutSeconds":-1,"Resource":"r","End":true}}}"#
        ),
        r#"state "T" (States.T.TimeoutSeconds): must be a whole number, not -1"#
    );
    assert!(error("[1,2]").contains("not an object"));
    assert!(error("{").starts_with("not a JSON definition"));
}

#[test]
fn a_loop_through_a_state_that_waits_is_fine_and_unreached_states_are_warned() {
    let d = parse(
        r#"{"StartAt":"A","States":{
            "A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"W"}],"Default":"End"},
            "W":{"Type":"Wait","Seconds":1,"Next":"A"},
            "End":{"Type":"Succeed"},
            "Orphan":{"Type":"Pass","End":true}}}"#,
    )
    .unwrap();
    assert_eq!(d.warnings, [r#"state "Orphan" is never reached"#]);
}

#[test]
fn hostile_names_are_neutralised_and_names_may_repeat_across_branches() {
    let d = parse(
        "{\"StartAt\":\"x\\u001b]52;c;aGk=\\u0007\",\"States\":{\"x\\u001b]52;c;aGk=\\u0007\":\
         {\"Type\":\"Parallel\",\"End\":true,\"Branches\":[\
         {\"StartAt\":\"Same\",\"States\":{\"Same\":{\"Type\":\"Pass\",\"End\":true}}},\
         {\"StartAt\":\"Same\",\"States\":{\"Same\":{\"Type\":\"Pass\",\"End\":true}}}]}}}",
    )
    .unwrap();
    assert!(
        d.states
            .iter()
            .all(|s| crate::untrusted_text::is_terminal_safe(&s.name))
    );
    assert_eq!(d.named("Same").count(), 2);
}

#[test]
fn a_jsonata_token_path_is_claimed_only_where_the_value_is_the_token() {
    let d = parse(
        r#"{"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {"Ask": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Arguments": {"QueueUrl": "q", "MessageBody": {
                "token": "{%  $states.context.Task.Token  %}",
                "link": "{% 'https://approve/' & $states.context.Task.Token %}"}},
            "End": true}}}"#,
    )
    .unwrap();
    let StateKind::Task(ask) = &d.states[id(&d, "Ask")].kind else {
        panic!()
    };
    assert_eq!(
        ask.token_paths,
        [vec!["MessageBody".to_string(), "token".to_string()]]
    );
}
