//! A detail view's state: a header, then pretty JSON with folding or plain lines (wrapped
//! by the view), with a cursor. Log lines, invocations and error chains use it; execution
//! input/output and message bodies will.

use unstuck_views::props::{DetailLine, DetailStyle};

use super::json_view::{JsonTree, NodePath};

const LABEL_WIDTH: usize = 9;

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub title: String,
    header: Vec<DetailLine>,
    json: Option<JsonTree>,
    body: Vec<DetailLine>,
    /// Header, then the JSON tree or the body.
    pub lines: Vec<DetailLine>,
    /// The container each line opens, for folding.
    nodes: Vec<Option<NodePath>>,
    pub cursor: usize,
    pub scroll: usize,
}

pub fn labelled(label: &str, value: impl Into<String>, style: DetailStyle) -> DetailLine {
    DetailLine::new(
        0,
        vec![
            (DetailStyle::Label, format!("{label:<LABEL_WIDTH$}")),
            (style, value.into()),
        ],
    )
}

impl Detail {
    /// A detail view: `header` lines, then the JSON tree (folding) or else `body`.
    pub fn build(
        title: String,
        header: Vec<DetailLine>,
        json: Option<JsonTree>,
        body: Vec<DetailLine>,
    ) -> Self {
        let mut detail = Self {
            title,
            header,
            json,
            body,
            lines: Vec::new(),
            nodes: Vec::new(),
            cursor: 0,
            scroll: 0,
        };
        detail.rebuild();
        detail.cursor = detail
            .header
            .len()
            .min(detail.lines.len().saturating_sub(1));
        detail
    }

    fn rebuild(&mut self) {
        self.lines = self.header.clone();
        self.nodes = vec![None; self.header.len()];
        match &self.json {
            Some(tree) => {
                for (line, node) in tree.lines(0) {
                    self.lines.push(line);
                    self.nodes.push(node);
                }
            }
            None => {
                self.lines.extend(self.body.iter().cloned());
                self.nodes.resize(self.lines.len(), None);
            }
        }
        self.cursor = self.cursor.min(self.lines.len().saturating_sub(1));
    }

    /// Plain lines of text (the chain of causes of an error, say).
    pub fn text(title: impl Into<String>, lines: &[String]) -> Self {
        let body = lines
            .iter()
            .map(|l| DetailLine::new(0, vec![(DetailStyle::Text, l.clone())]))
            .collect();
        Self::build(title.into(), Vec::new(), None, body)
    }

    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// Fold or unfold the object/array opened on the cursor line. False when the cursor is
    /// not on one.
    pub fn toggle_fold(&mut self) -> bool {
        let Some(Some(path)) = self.nodes.get(self.cursor).cloned() else {
            return false;
        };
        if let Some(tree) = self.json.as_mut() {
            tree.toggle(&path);
        }
        self.rebuild();
        true
    }

    pub fn fold_nested(&mut self) {
        let on = self.nodes.get(self.cursor).cloned().flatten();
        if let Some(tree) = self.json.as_mut() {
            tree.fold_nested();
        }
        self.rebuild();
        self.cursor_to_node(on);
    }

    pub fn unfold_all(&mut self) {
        let on = self.nodes.get(self.cursor).cloned().flatten();
        if let Some(tree) = self.json.as_mut() {
            tree.unfold_all();
        }
        self.rebuild();
        self.cursor_to_node(on);
    }

    /// Keep the cursor on the container it was on (or its nearest still-shown parent).
    fn cursor_to_node(&mut self, node: Option<NodePath>) {
        let Some(mut path) = node else {
            return;
        };
        loop {
            if let Some(line) = self.nodes.iter().position(|n| n.as_ref() == Some(&path)) {
                self.cursor = line;
                return;
            }
            if path.pop().is_none() {
                return;
            }
        }
    }

    /// Move the cursor by `delta` lines and keep it within `page` rows of the scroll.
    pub fn move_cursor(&mut self, delta: isize, page: usize) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.keep_visible(page);
    }

    pub fn keep_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
    }
}
