//! A Choice rule in words, for the graph and the details: `$.status == "APPROVED"`,
//! `$.amount > $.limit`, `not ($.retries is present)`, or a JSONata `Condition` as written.

use super::Json;

/// The comparison operators of JSONPath Choice rules, with the words they are shown as.
const OPERATORS: [(&str, &str); 6] = [
    ("GreaterThanEquals", ">="),
    ("LessThanEquals", "<="),
    ("GreaterThan", ">"),
    ("LessThan", "<"),
    ("Equals", "=="),
    ("Matches", "matches"),
];

/// The rule (or a nested condition) in words.
pub fn describe(rule: &Json) -> String {
    if let Some(condition) = rule.get("Condition").and_then(Json::as_str) {
        return condition.to_string();
    }
    if let Some(all) = rule.get("And").and_then(Json::as_array) {
        return join(all, " and ");
    }
    if let Some(any) = rule.get("Or").and_then(Json::as_array) {
        return join(any, " or ");
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not ({})", describe(inner));
    }
    let variable = rule.get("Variable").and_then(Json::as_str).unwrap_or("$");
    let Some(members) = rule.members() else {
        return "(rule)".into();
    };
    for (key, value) in members {
        if let Some(test) = key.strip_prefix("Is") {
            let negated = value.as_bool() == Some(false);
            let what = match test {
                "Null" => "null",
                "Present" => "present",
                "Numeric" => "numeric",
                "String" => "a string",
                "Boolean" => "a boolean",
                "Timestamp" => "a timestamp",
                _ => continue,
            };
            let not = if negated { "not " } else { "" };
            return format!("{variable} is {not}{what}");
        }
        let (operand, by_path) = match key.strip_suffix("Path") {
            Some(op) => (op, true),
            None => (key.as_str(), false),
        };
        let Some(op) = ["String", "Numeric", "Boolean", "Timestamp"]
            .iter()
            .find_map(|t| operand.strip_prefix(t))
        else {
            continue;
        };
        let Some((_, word)) = OPERATORS.iter().find(|(name, _)| *name == op) else {
            continue;
        };
        let value = match (by_path, value) {
            (true, Json::String(path)) => path.clone(),
            _ => value.to_text(),
        };
        return format!("{variable} {word} {value}");
    }
    "(rule)".into()
}

fn join(rules: &[Json], with: &str) -> String {
    let parts: Vec<String> = rules
        .iter()
        .map(|r| {
            let text = describe(r);
            if rules.len() > 1 && (text.contains(" and ") || text.contains(" or ")) {
                format!("({text})")
            } else {
                text
            }
        })
        .collect();
    parts.join(with)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> String {
        describe(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn rules_read_as_words() {
        assert_eq!(
            rule(r#"{"Variable":"$.status","StringEquals":"APPROVED","Next":"A"}"#),
            r#"$.status == "APPROVED""#
        );
        assert_eq!(
            rule(r#"{"Variable":"$.amount","NumericGreaterThanPath":"$.limit"}"#),
            "$.amount > $.limit"
        );
        assert_eq!(
            rule(r#"{"Not":{"Variable":"$.retries","IsPresent":true}}"#),
            "not ($.retries is present)"
        );
        assert_eq!(
            rule(
                r#"{"And":[{"Variable":"$.a","BooleanEquals":true},
                    {"Or":[{"Variable":"$.b","NumericLessThanEquals":3},{"Variable":"$.c","IsNull":false}]}]}"#
            ),
            "$.a == true and ($.b <= 3 or $.c is not null)"
        );
        assert_eq!(
            rule(r#"{"Condition":"{% $amount > 100 %}","Next":"A"}"#),
            "{% $amount > 100 %}"
        );
        assert_eq!(rule(r#"{"Next":"A"}"#), "(rule)");
    }
}
