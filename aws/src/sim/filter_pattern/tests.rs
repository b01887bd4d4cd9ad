use super::*;

fn matches(pattern: &str, message: &str) -> bool {
    match FilterPattern::parse(pattern) {
        Ok(parsed) => parsed.matches(message),
        Err(e) => panic!("{pattern:?} did not parse: {e}"),
    }
}

fn rejected(pattern: &str) -> String {
    match FilterPattern::parse(pattern) {
        Err(BackendError::InvalidInput(message)) => message,
        other => panic!("{pattern:?} should be invalid, got {other:?}"),
    }
}

#[test]
fn empty_pattern_matches_everything() {
    assert!(matches("", "anything"));
    assert!(matches("   ", ""));
}

#[test]
fn terms_must_all_match_case_sensitively() {
    assert!(matches("ERROR refund", "[ERROR] refund failed"));
    assert!(!matches("ERROR refund", "[ERROR] payment failed"));
    assert!(!matches("error", "[ERROR] refund failed"));
}

#[test]
fn quoted_phrases_match_as_one_term() {
    assert!(matches(
        "\"Task timed out\"",
        "x Task timed out after 6.01 seconds"
    ));
    assert!(!matches("\"Task timed out\"", "Task was timed out"));
    assert!(matches(r#""say \"hi\"""#, r#"they say "hi" loudly"#));
}

#[test]
fn question_mark_terms_match_any_of() {
    assert!(matches("?ERROR ?WARN", "WARN slow"));
    assert!(matches("?ERROR ?WARN", "ERROR bad"));
    assert!(!matches("?ERROR ?WARN", "INFO fine"));
    assert!(matches("refund ?ERROR ?WARN", "refund WARN"));
    assert!(!matches("refund ?ERROR ?WARN", "payment WARN"));
}

#[test]
fn minus_terms_exclude() {
    assert!(matches("ERROR -healthcheck", "ERROR refund"));
    assert!(!matches("ERROR -healthcheck", "ERROR healthcheck failed"));
    assert!(!matches(
        "-\"Task timed out\"",
        "Task timed out after 3 seconds"
    ));
    assert!(matches(
        "tax-calculate-refund",
        "the tax-calculate-refund function"
    ));
}

#[test]
fn json_equality_and_inequality() {
    let line = r#"{"level":"ERROR","message":"refund calculation failed","cold_start":false,"function_memory_size":1024,"error":{"name":"java.lang.NullPointerException"},"items":[{"id":"a"}]}"#;
    assert!(matches(r#"{ $.level = "ERROR" }"#, line));
    assert!(matches(r#"{$.level="ERROR"}"#, line));
    assert!(matches("{ $.level = ERROR }", line));
    assert!(!matches(r#"{ $.level = "INFO" }"#, line));
    assert!(matches(r#"{ $.level != "INFO" }"#, line));
    assert!(!matches(r#"{ $.missing != "INFO" }"#, line));
    assert!(matches("{ $.function_memory_size = 1024 }", line));
    assert!(matches("{ $.function_memory_size >= 512 }", line));
    assert!(!matches("{ $.function_memory_size < 512 }", line));
    assert!(matches("{ $.cold_start = false }", line));
    assert!(matches("{ $.cold_start IS FALSE }", line));
    assert!(matches(
        r#"{ $.error.name = "java.lang.*Exception" }"#,
        line
    ));
    assert!(matches(r#"{ $.items[0].id = "a" }"#, line));
    assert!(matches(
        r#"{ ($.level = "WARN" || $.level = "ERROR") && $.cold_start IS FALSE }"#,
        line
    ));
    assert!(!matches(
        r#"{ $.level = "ERROR" && $.cold_start IS TRUE }"#,
        line
    ));
}

#[test]
fn json_patterns_never_match_plain_text() {
    assert!(!matches(
        r#"{ $.level = "ERROR" }"#,
        "[ERROR] level = ERROR"
    ));
    assert!(!matches(r#"{ $.level != "INFO" }"#, "START RequestId: x"));
}

#[test]
fn bad_patterns_are_invalid_input_with_a_reason() {
    assert!(rejected("\"unterminated").contains("unterminated"));
    assert!(rejected("{ $.level = \"ERROR\"").contains("'}'"));
    assert!(rejected("{ level = \"ERROR\" }").contains("selector"));
    assert!(rejected("{ $.level ERROR }").contains("operator"));
    assert!(rejected("{ $.level > \"x\" }").contains("number"));
    assert!(rejected("?").contains("must be followed by a term"));
    assert!(rejected("ERROR -").contains("must be followed by a term"));
    assert!(rejected("[ip, user]").contains("not supported"));
    assert!(rejected("%ERR.R%").contains("not supported"));
    assert!(rejected("{ $.level = \"ERROR\" } extra").contains("after the closing"));
}

#[test]
fn wildcards() {
    assert!(wildcard_match("a*c", "abbc"));
    assert!(wildcard_match("*", ""));
    assert!(wildcard_match("abc", "abc"));
    assert!(!wildcard_match("abc", "abcd"));
    assert!(wildcard_match("a*b*c", "a-b-c"));
    assert!(!wildcard_match("a*bc", "abc-"));
    assert!(!wildcard_match("ab*ba", "aba"));
}
