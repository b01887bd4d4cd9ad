//! Pretty, foldable JSON for the detail overlay: one `DetailLine` per key (or array item),
//! objects and arrays foldable by path, multi-line strings (stack traces) as real lines.
//! Every key and string is sanitised here, after JSON escapes were decoded.

use std::collections::HashSet;

use unstuck_aws::untrusted_text::sanitize_line;
use unstuck_views::props::{DetailLine, DetailStyle};

use super::json_value::JsonValue;

/// The path of a container from the root: child positions.
pub type NodePath = Vec<usize>;

const OPEN_MARK: &str = "▾ ";
const FOLDED_MARK: &str = "▸ ";
const NO_MARK: &str = "  ";

#[derive(Debug, Clone, PartialEq)]
pub struct JsonTree {
    root: JsonValue,
    folded: HashSet<NodePath>,
}

impl JsonTree {
    pub fn new(root: JsonValue) -> Self {
        Self {
            root,
            folded: HashSet::new(),
        }
    }

    /// Fold or unfold the container at `path`.
    pub fn toggle(&mut self, path: &NodePath) {
        if !self.folded.remove(path) {
            self.folded.insert(path.clone());
        }
    }

    /// Fold every nested object and array (the top level stays open).
    pub fn fold_nested(&mut self) {
        let mut paths = Vec::new();
        collect_containers(&self.root, &mut Vec::new(), &mut paths);
        self.folded = paths.into_iter().filter(|p| !p.is_empty()).collect();
    }

    pub fn unfold_all(&mut self) {
        self.folded.clear();
    }

    /// The lines to draw, each with the path of the container it opens (if it does).
    pub fn lines(&self, base_indent: usize) -> Vec<(DetailLine, Option<NodePath>)> {
        let mut out = Vec::new();
        self.push_value(
            None,
            &self.root,
            &mut Vec::new(),
            base_indent,
            false,
            &mut out,
        );
        out
    }

    fn push_value(
        &self,
        key: Option<&str>,
        value: &JsonValue,
        path: &mut NodePath,
        indent: usize,
        comma: bool,
        out: &mut Vec<(DetailLine, Option<NodePath>)>,
    ) {
        let mut head: Vec<(DetailStyle, String)> = Vec::with_capacity(6);
        let is_container = matches!(value, JsonValue::Object(_) | JsonValue::Array(_));
        let folded = is_container && self.folded.contains(path);
        head.push((
            DetailStyle::Fold,
            match (is_container, folded) {
                (false, _) => NO_MARK,
                (true, false) => OPEN_MARK,
                (true, true) => FOLDED_MARK,
            }
            .to_string(),
        ));
        if let Some(key) = key {
            head.push((DetailStyle::Key, format!("\"{}\"", sanitize_line(key))));
            head.push((DetailStyle::Punct, ": ".to_string()));
        }
        let tail = if comma { "," } else { "" };
        let node = is_container.then(|| path.clone());
        match value {
            JsonValue::Object(entries) if folded || entries.is_empty() => {
                let summary = if entries.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{…{} key{}}}", entries.len(), plural(entries.len()))
                };
                head.push((DetailStyle::Fold, summary));
                head.push((DetailStyle::Punct, tail.to_string()));
                out.push((DetailLine::new(indent, head), node));
            }
            JsonValue::Array(items) if folded || items.is_empty() => {
                let summary = if items.is_empty() {
                    "[]".to_string()
                } else {
                    format!("[…{} item{}]", items.len(), plural(items.len()))
                };
                head.push((DetailStyle::Fold, summary));
                head.push((DetailStyle::Punct, tail.to_string()));
                out.push((DetailLine::new(indent, head), node));
            }
            JsonValue::Object(entries) => {
                head.push((DetailStyle::Punct, "{".to_string()));
                out.push((DetailLine::new(indent, head), node));
                for (i, (k, v)) in entries.iter().enumerate() {
                    path.push(i);
                    self.push_value(Some(k), v, path, indent + 2, i + 1 < entries.len(), out);
                    path.pop();
                }
                out.push((closing("}", tail, indent), None));
            }
            JsonValue::Array(items) => {
                head.push((DetailStyle::Punct, "[".to_string()));
                out.push((DetailLine::new(indent, head), node));
                for (i, v) in items.iter().enumerate() {
                    path.push(i);
                    self.push_value(None, v, path, indent + 2, i + 1 < items.len(), out);
                    path.pop();
                }
                out.push((closing("]", tail, indent), None));
            }
            JsonValue::String(s) => push_string(head, s, tail, indent, out),
            JsonValue::Number(n) => {
                head.push((DetailStyle::Number, n.to_string()));
                head.push((DetailStyle::Punct, tail.to_string()));
                out.push((DetailLine::new(indent, head), None));
            }
            JsonValue::Bool(_) | JsonValue::Null => {
                head.push((DetailStyle::Literal, value.to_json()));
                head.push((DetailStyle::Punct, tail.to_string()));
                out.push((DetailLine::new(indent, head), None));
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn closing(bracket: &str, tail: &str, indent: usize) -> DetailLine {
    DetailLine::new(
        indent,
        vec![
            (DetailStyle::Fold, NO_MARK.to_string()),
            (DetailStyle::Punct, format!("{bracket}{tail}")),
        ],
    )
}

/// A string value; one with line breaks (a stack trace) continues on lines of its own.
fn push_string(
    mut head: Vec<(DetailStyle, String)>,
    text: &str,
    tail: &str,
    indent: usize,
    out: &mut Vec<(DetailLine, Option<NodePath>)>,
) {
    let pieces: Vec<&str> = text
        .trim_end_matches(['\n', '\r'])
        .split('\n')
        .map(|p| p.strip_suffix('\r').unwrap_or(p))
        .collect();
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter().enumerate() {
        let mut parts = if i == 0 {
            std::mem::take(&mut head)
        } else {
            vec![(DetailStyle::Fold, NO_MARK.to_string())]
        };
        let open = if i == 0 { "\"" } else { "" };
        let close = if i == last { "\"" } else { "" };
        parts.push((
            DetailStyle::String,
            format!("{open}{}{close}", sanitize_line(piece)),
        ));
        if i == last {
            parts.push((DetailStyle::Punct, tail.to_string()));
        }
        let line_indent = if i == 0 { indent } else { indent + 4 };
        out.push((DetailLine::new(line_indent, parts), None));
    }
}

fn collect_containers(value: &JsonValue, path: &mut NodePath, out: &mut Vec<NodePath>) {
    let children: Vec<&JsonValue> = match value {
        JsonValue::Object(entries) => entries.iter().map(|(_, v)| v).collect(),
        JsonValue::Array(items) => items.iter().collect(),
        _ => return,
    };
    out.push(path.clone());
    for (i, child) in children.into_iter().enumerate() {
        path.push(i);
        collect_containers(child, path, out);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tree: &JsonTree) -> Vec<String> {
        tree.lines(0)
            .iter()
            .map(|(l, _)| format!("{}{}", " ".repeat(l.indent), l.text()))
            .collect()
    }

    #[test]
    fn pretty_prints_folds_and_splits_stack_traces() {
        let value = JsonValue::parse(
            r#"{"level":"ERROR","error":{"name":"TypeError","stack":"TypeError: x\n    at f (a.js:1)"},"ids":[1,2],"ok":false}"#,
        )
        .unwrap();
        let mut tree = JsonTree::new(value);
        assert_eq!(
            texts(&tree),
            [
                "▾ {",
                "    \"level\": \"ERROR\",",
                "  ▾ \"error\": {",
                "      \"name\": \"TypeError\",",
                "      \"stack\": \"TypeError: x",
                "              at f (a.js:1)\"",
                "    },",
                "  ▾ \"ids\": [",
                "      1,",
                "      2",
                "    ],",
                "    \"ok\": false",
                "  }",
            ]
        );
        tree.fold_nested();
        assert_eq!(
            texts(&tree),
            [
                "▾ {",
                "    \"level\": \"ERROR\",",
                "  ▸ \"error\": {…2 keys},",
                "  ▸ \"ids\": […2 items],",
                "    \"ok\": false",
                "  }",
            ]
        );
        let error_path = tree.lines(0)[2].1.clone().unwrap();
        tree.toggle(&error_path);
        assert_eq!(texts(&tree).len(), 10);
        tree.unfold_all();
        assert_eq!(texts(&tree).len(), 13);
    }

    #[test]
    fn decoded_escapes_are_sanitised() {
        let value =
            JsonValue::parse(r#"{"k\u001b[2J":"v\u009b\u202e\u001b]52;c;x\u0007"}"#).unwrap();
        let lines = JsonTree::new(value).lines(0);
        for (line, _) in &lines {
            let text = line.text();
            assert!(
                !text.chars().any(|c| c.is_control()
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                    || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{text:?}"
            );
        }
        assert_eq!(
            lines[1].0.text(),
            "  \"k␛[2J\": \"v⟨U+009B⟩⟨U+202E⟩␛]52;c;x␇\""
        );
    }
}
