//! Definition text -> [`Definition`]. Every field is read for what it is; anything missing or of
//! the wrong kind is an [`AslError`] naming the state and the path to the field.

use std::collections::HashMap;

use super::{
    AslError, Block, Catcher, ChoiceRule, Definition, Json, MapMode, QueryLanguage, Retrier,
    Seconds, State, StateId, StateKind, TaskPattern, TaskSpec, WaitSpec, check, choice_rule,
};
use crate::untrusted_text::sanitize_line;

/// Parse and check a definition.
pub fn parse(text: &str) -> Result<Definition, AslError> {
    let json: Json = serde_json::from_str(text).map_err(|e| AslError {
        state: None,
        path: String::new(),
        message: format!("not a JSON definition: {e}"),
    })?;
    if json.members().is_none() {
        return Err(doc_error("", format!("is {}, not an object", json.kind())));
    }
    let query_language = language(json.get("QueryLanguage"), QueryLanguage::JsonPath, "")?;
    let mut parser = Parser { states: Vec::new() };
    let root = parser.block(&json, "", None, query_language)?;
    let mut definition = Definition {
        comment: json.get("Comment").and_then(Json::as_str).map(safe),
        query_language,
        states: parser.states,
        root,
        warnings: Vec::new(),
    };
    check::check(&mut definition)?;
    Ok(definition)
}

fn safe(text: &str) -> String {
    sanitize_line(text).into_owned()
}

fn doc_error(path: &str, message: String) -> AslError {
    AslError {
        state: None,
        path: path.trim_end_matches('.').to_string(),
        message,
    }
}

fn language(
    value: Option<&Json>,
    inherited: QueryLanguage,
    path: &str,
) -> Result<QueryLanguage, AslError> {
    match value {
        None => Ok(inherited),
        Some(v) => match v.as_str() {
            Some("JSONPath") => Ok(QueryLanguage::JsonPath),
            Some("JSONata") => Ok(QueryLanguage::JsonAta),
            _ => Err(doc_error(
                &format!("{path}QueryLanguage"),
                format!("must be \"JSONPath\" or \"JSONata\", not {}", v.to_text()),
            )),
        },
    }
}

struct Parser {
    states: Vec<State>,
}

/// One state being read: its name and path, for errors.
struct At {
    name: String,
    path: String,
}

impl At {
    fn error(&self, field: &str, message: impl Into<String>) -> AslError {
        AslError {
            state: Some(self.name.clone()),
            path: if field.is_empty() {
                self.path.clone()
            } else {
                format!("{}.{field}", self.path)
            },
            message: message.into(),
        }
    }

    fn string<'j>(&self, body: &'j Json, field: &str) -> Result<Option<&'j str>, AslError> {
        match body.get(field) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(other) => {
                Err(self.error(field, format!("must be a string, not {}", other.kind())))
            }
        }
    }

    /// A field that is a number of seconds, or its `…Path` twin, or a JSONata expression.
    fn seconds(&self, body: &Json, field: &str) -> Result<Option<Seconds>, AslError> {
        if let Some(path) = self.string(body, &format!("{field}Path"))? {
            return Ok(Some(Seconds::Dynamic(safe(path))));
        }
        match body.get(field) {
            None => Ok(None),
            Some(Json::String(expr)) => Ok(Some(Seconds::Dynamic(safe(expr)))),
            Some(v) => v.as_u64().map(|n| Some(Seconds::Fixed(n))).ok_or_else(|| {
                self.error(
                    field,
                    format!("must be a whole number, not {}", v.to_text()),
                )
            }),
        }
    }
}

impl Parser {
    /// A block: `StartAt` and `States` of the object `json` at `prefix` ("" or
    /// "States.P.Branches[0].").
    fn block(
        &mut self,
        json: &Json,
        prefix: &str,
        parent: Option<StateId>,
        query_language: QueryLanguage,
    ) -> Result<Block, AslError> {
        let Some(states) = json.get("States") else {
            return Err(doc_error(&format!("{prefix}States"), "is missing".into()));
        };
        let Some(members) = states.members() else {
            return Err(doc_error(
                &format!("{prefix}States"),
                format!("must be an object, not {}", states.kind()),
            ));
        };
        if members.is_empty() {
            return Err(doc_error(
                &format!("{prefix}States"),
                "has no states".into(),
            ));
        }
        let base = self.states.len();
        let mut ids: HashMap<&str, StateId> = HashMap::new();
        for (i, (name, _)) in members.iter().enumerate() {
            if ids.insert(name.as_str(), base + i).is_some() {
                return Err(AslError {
                    state: Some(safe(name)),
                    path: format!("{prefix}States.{}", safe(name)),
                    message: "is defined twice in the same States".into(),
                });
            }
            self.states.push(State {
                id: base + i,
                name: safe(name),
                kind: StateKind::Pass,
                parent,
                comment: None,
                next: None,
                end: false,
                catches: Vec::new(),
                retries: Vec::new(),
                query_language,
            });
        }
        let start = match json.get("StartAt") {
            None => return Err(doc_error(&format!("{prefix}StartAt"), "is missing".into())),
            Some(Json::String(name)) => ids.get(name.as_str()).copied().ok_or_else(|| {
                doc_error(
                    &format!("{prefix}StartAt"),
                    format!("names \"{}\", which is not a state here", safe(name)),
                )
            })?,
            Some(other) => {
                return Err(doc_error(
                    &format!("{prefix}StartAt"),
                    format!("must be a string, not {}", other.kind()),
                ));
            }
        };
        for (i, (name, body)) in members.iter().enumerate() {
            let at = At {
                name: self.states[base + i].name.clone(),
                path: format!("{prefix}States.{}", safe(name)),
            };
            self.state(base + i, body, &ids, &at, query_language)?;
        }
        Ok(Block {
            start,
            members: (base..base + members.len()).collect(),
        })
    }

    fn state(
        &mut self,
        id: StateId,
        body: &Json,
        ids: &HashMap<&str, StateId>,
        at: &At,
        inherited: QueryLanguage,
    ) -> Result<(), AslError> {
        if body.members().is_none() {
            return Err(at.error("", format!("must be an object, not {}", body.kind())));
        }
        let query_language = language(
            body.get("QueryLanguage"),
            inherited,
            &format!("{}.", at.path),
        )?;
        let target = |field: &str, name: &str| -> Result<StateId, AslError> {
            ids.get(name).copied().ok_or_else(|| {
                at.error(
                    field,
                    format!(
                        "names \"{}\", which is not a state of this block",
                        safe(name)
                    ),
                )
            })
        };
        let type_name = at
            .string(body, "Type")?
            .ok_or_else(|| at.error("Type", "is missing"))?;
        let kind = match type_name {
            "Task" => StateKind::Task(task(body, at)?),
            "Pass" => StateKind::Pass,
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail {
                error: at.string(body, "Error")?.map(safe),
                cause: at.string(body, "Cause")?.map(safe),
            },
            "Wait" => StateKind::Wait(wait(body, at)?),
            "Choice" => {
                let rules = body
                    .get("Choices")
                    .and_then(Json::as_array)
                    .filter(|r| !r.is_empty())
                    .ok_or_else(|| at.error("Choices", "must be a non-empty array"))?;
                let mut out = Vec::with_capacity(rules.len());
                for (i, rule) in rules.iter().enumerate() {
                    let field = format!("Choices[{i}].Next");
                    let next = rule
                        .get("Next")
                        .and_then(Json::as_str)
                        .ok_or_else(|| at.error(&field, "is missing"))?;
                    out.push(ChoiceRule {
                        summary: safe(&choice_rule::describe(rule)),
                        next: target(&field, next)?,
                    });
                }
                let default = match at.string(body, "Default")? {
                    Some(name) => Some(target("Default", name)?),
                    None => None,
                };
                StateKind::Choice {
                    rules: out,
                    default,
                }
            }
            "Parallel" => {
                let branches = body
                    .get("Branches")
                    .and_then(Json::as_array)
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| at.error("Branches", "must be a non-empty array"))?;
                let mut blocks = Vec::with_capacity(branches.len());
                for (i, branch) in branches.iter().enumerate() {
                    let prefix = format!("{}.Branches[{i}].", at.path);
                    blocks.push(self.block(branch, &prefix, Some(id), query_language)?);
                }
                StateKind::Parallel { branches: blocks }
            }
            "Map" => {
                let (field, processor) = match (body.get("ItemProcessor"), body.get("Iterator")) {
                    (Some(p), _) => ("ItemProcessor", p),
                    (None, Some(p)) => ("Iterator", p),
                    (None, None) => return Err(at.error("ItemProcessor", "is missing")),
                };
                let distributed = processor
                    .get("ProcessorConfig")
                    .and_then(|c| c.get("Mode"))
                    .and_then(Json::as_str)
                    == Some("DISTRIBUTED");
                let prefix = format!("{}.{field}.", at.path);
                StateKind::Map {
                    processor: self.block(processor, &prefix, Some(id), query_language)?,
                    mode: if distributed {
                        MapMode::Distributed
                    } else {
                        MapMode::Inline
                    },
                }
            }
            other => {
                return Err(at.error("Type", format!("\"{}\" is not a state type", safe(other))));
            }
        };
        let terminal = matches!(
            kind,
            StateKind::Choice { .. } | StateKind::Succeed | StateKind::Fail { .. }
        );
        let next = match at.string(body, "Next")? {
            Some(name) if !terminal => Some(target("Next", name)?),
            _ => None,
        };
        let end = body.get("End").and_then(Json::as_bool) == Some(true);
        if !terminal && next.is_none() && !end {
            return Err(at.error("", "has neither Next nor End"));
        }
        if next.is_some() && end {
            return Err(at.error("End", "is set beside Next"));
        }
        let mut catches = Vec::new();
        for (i, c) in list(body, "Catch").iter().enumerate() {
            let field = format!("Catch[{i}].Next");
            let name = c
                .get("Next")
                .and_then(Json::as_str)
                .ok_or_else(|| at.error(&field, "is missing"))?;
            catches.push(Catcher {
                errors: strings(c.get("ErrorEquals")),
                next: target(&field, name)?,
            });
        }
        let retries = list(body, "Retry")
            .iter()
            .map(|r| Retrier {
                errors: strings(r.get("ErrorEquals")),
                interval_seconds: r
                    .get("IntervalSeconds")
                    .and_then(Json::as_f64)
                    .unwrap_or(1.0),
                max_attempts: r.get("MaxAttempts").and_then(Json::as_u64).unwrap_or(3),
                backoff_rate: r.get("BackoffRate").and_then(Json::as_f64).unwrap_or(2.0),
            })
            .collect();
        let state = &mut self.states[id];
        state.kind = kind;
        state.comment = at.string(body, "Comment")?.map(safe);
        state.next = next;
        state.end = end;
        state.catches = catches;
        state.retries = retries;
        state.query_language = query_language;
        Ok(())
    }
}

fn list<'j>(body: &'j Json, field: &str) -> &'j [Json] {
    body.get(field).and_then(Json::as_array).unwrap_or_default()
}

fn strings(value: Option<&Json>) -> Vec<String> {
    value
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Json::as_str)
        .map(safe)
        .collect()
}

fn task(body: &Json, at: &At) -> Result<TaskSpec, AslError> {
    let resource = at
        .string(body, "Resource")?
        .ok_or_else(|| at.error("Resource", "is missing"))?;
    let pattern = if resource.ends_with(".waitForTaskToken") {
        TaskPattern::WaitForTaskToken
    } else if resource.ends_with(".sync") || resource.contains(".sync:") {
        TaskPattern::Sync
    } else if resource.starts_with("arn:") && resource.contains(":activity:") {
        TaskPattern::Activity
    } else {
        TaskPattern::RequestResponse
    };
    let function = if resource.starts_with("arn:aws:lambda:") {
        Some(resource.to_string())
    } else if resource.contains(":states:::lambda:invoke") {
        ["Parameters", "Arguments"]
            .iter()
            .filter_map(|f| body.get(f))
            .find_map(|p| p.get("FunctionName").and_then(Json::as_str))
            .map(str::to_string)
    } else {
        None
    };
    let mut token_paths = Vec::new();
    for field in ["Parameters", "Arguments"] {
        if let Some(params) = body.get(field) {
            token_references(params, &mut Vec::new(), &mut token_paths);
        }
    }
    Ok(TaskSpec {
        token_paths,
        resource: safe(resource),
        pattern,
        timeout: at.seconds(body, "TimeoutSeconds")?,
        heartbeat: at.seconds(body, "HeartbeatSeconds")?,
        function: function.map(|f| safe(&f)),
    })
}

/// The key paths in `value` whose value is the task token: `"token.$": "$$.Task.Token"`
/// (JSONPath, the key without its `.$`) or `"{% $states.context.Task.Token %}"` (JSONata).
/// An expression that only uses the token (`'id-' & $states.context.Task.Token`) is not the
/// token: no path is claimed for it, so a wrong token is never offered.
fn token_references(value: &Json, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Some(items) = value.as_array() {
        for (i, item) in items.iter().enumerate() {
            path.push(format!("[{i}]"));
            token_references(item, path, out);
            path.pop();
        }
        return;
    }
    let Some(members) = value.members() else {
        return;
    };
    for (key, child) in members {
        let (name, is_path) = match key.strip_suffix(".$") {
            Some(name) => (name, true),
            None => (key.as_str(), false),
        };
        let token = child.as_str().is_some_and(|text| {
            (is_path && text.trim() == "$$.Task.Token")
                || text
                    .trim()
                    .strip_prefix("{%")
                    .and_then(|t| t.strip_suffix("%}"))
                    .is_some_and(|e| e.trim() == "$states.context.Task.Token")
        });
        path.push(name.to_string());
        if token {
            out.push(path.clone());
        } else {
            token_references(child, path, out);
        }
        path.pop();
    }
}

fn wait(body: &Json, at: &At) -> Result<WaitSpec, AslError> {
    if let Some(seconds) = at.seconds(body, "Seconds")? {
        return Ok(WaitSpec::Seconds(seconds));
    }
    for field in ["Timestamp", "TimestampPath"] {
        if let Some(when) = at.string(body, field)? {
            return Ok(WaitSpec::Until(safe(when)));
        }
    }
    Err(at.error(
        "",
        "a Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath",
    ))
}

/// The plain name of a Lambda function given by name, partial ARN or ARN, with or without a
/// version or alias: `arn:aws:lambda:eu-west-1:1234:function:tax-validate:live` -> `tax-validate`.
pub fn lambda_function_name(name_or_arn: &str) -> &str {
    let rest = name_or_arn
        .split_once(":function:")
        .map_or(name_or_arn, |(_, rest)| rest);
    rest.split(':').next().unwrap_or(rest)
}
