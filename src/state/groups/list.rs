//! The log-group chooser: the list from DescribeLogGroups with what the tail saw of each
//! group, a smart-case regex `/` filter, a sort column, a cursor and a multi-selection.

use std::collections::BTreeSet;

use regex::Regex;
use unstuck_aws::model::LogGroup;
use unstuck_views::groups::props::GroupSort;

use crate::state::shared::polled::Polled;
use crate::state::shared::regex_filter::compile_filter;
use crate::state::shared::tail_health::TailHealth;

pub struct GroupsPane {
    /// The last good list (DescribeLogGroups), when it came, and the last error.
    pub list: Polled<Vec<LogGroup>>,
    pub filter_text: Option<String>,
    pub filter: Option<Regex>,
    pub sort: GroupSort,
    /// What the tail saw of each group (last event, rates, failing), as of `activity_at_ms`.
    pub activity: TailHealth,
    pub activity_at_ms: i64,
    /// When the list was last redrawn for the tail's figures.
    pub activity_drawn_ms: i64,
    /// Indices into [`GroupsPane::all`] that pass the filter.
    pub shown: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    pub selected: BTreeSet<String>,
}

impl Default for GroupsPane {
    fn default() -> Self {
        Self::new()
    }
}

impl GroupsPane {
    pub fn new() -> Self {
        Self {
            list: Polled::default(),
            filter_text: None,
            filter: None,
            sort: GroupSort::Name,
            activity: TailHealth::default(),
            activity_at_ms: 0,
            activity_drawn_ms: i64::MIN / 2,
            shown: Vec::new(),
            cursor: 0,
            offset: 0,
            selected: BTreeSet::new(),
        }
    }

    /// Every group of the last good list.
    pub fn all(&self) -> &[LogGroup] {
        self.list.data.as_deref().unwrap_or(&[])
    }

    /// A new list arrived at `at_ms`: the cursor stays on the group it was on.
    pub fn set_groups(&mut self, at_ms: i64, groups: Vec<LogGroup>) {
        let current = self.current().map(|g| g.name.clone());
        self.list.fetched(at_ms, groups);
        self.apply_filter();
        if let Some(name) = current
            && let Some(pos) = self.shown.iter().position(|&i| self.all()[i].name == name)
        {
            self.cursor = pos;
        }
    }

    /// The same smart-case regex as the logs pane's `/` (case-insensitive unless the text
    /// has an uppercase letter); a bad regex is refused and the filter stays as it was.
    pub fn set_filter(&mut self, text: Option<String>) -> Result<(), String> {
        let text = text.filter(|t| !t.is_empty());
        self.filter = text.as_deref().map(compile_filter).transpose()?;
        self.filter_text = text;
        self.apply_filter();
        self.cursor = 0;
        self.offset = 0;
        Ok(())
    }

    /// Sort by `sort`, keeping the cursor on its group.
    pub fn set_sort(&mut self, sort: GroupSort) {
        self.sort = sort;
        self.resort();
    }

    /// Order again (rates changed), the cursor staying on its group.
    pub fn resort(&mut self) {
        let current = self.current().map(|g| g.name.clone());
        self.apply_filter();
        if let Some(name) = current
            && let Some(pos) = self.shown.iter().position(|&i| self.all()[i].name == name)
        {
            self.cursor = pos;
        }
    }

    fn apply_filter(&mut self) {
        let mut shown: Vec<usize> = self
            .all()
            .iter()
            .enumerate()
            .filter(|(_, g)| self.filter.as_ref().is_none_or(|re| re.is_match(&g.name)))
            .map(|(i, _)| i)
            .collect();
        let now = self.activity_at_ms;
        let all = self.all();
        let seen = |i: usize| self.activity.seen.get(&all[i].name);
        let rates = |i: usize| seen(i).map(|a| a.per_minute(now));
        match self.sort {
            GroupSort::Name => {}
            GroupSort::LastEvent => {
                shown.sort_by_key(|&i| std::cmp::Reverse(seen(i).and_then(|a| a.last_event_ms)));
            }
            GroupSort::Rate => shown.sort_by_key(|&i| std::cmp::Reverse(rates(i).map(|r| r.0))),
            GroupSort::Errors => {
                shown.sort_by_key(|&i| std::cmp::Reverse(rates(i).map(|r| (r.1, r.0))));
            }
            GroupSort::Stored => shown.sort_by_key(|&i| std::cmp::Reverse(all[i].stored_bytes)),
        }
        self.shown = shown;
        self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<&LogGroup> {
        self.shown.get(self.cursor).map(|&i| &self.all()[i])
    }

    pub fn move_cursor(&mut self, delta: isize, page: usize) {
        if self.shown.is_empty() {
            return;
        }
        let last = self.shown.len() - 1;
        self.cursor = if delta >= 0 {
            self.cursor.saturating_add(delta.unsigned_abs()).min(last)
        } else {
            self.cursor.saturating_sub(delta.unsigned_abs())
        };
        self.keep_cursor_visible(page);
    }

    pub fn set_cursor(&mut self, index: usize, page: usize) {
        if !self.shown.is_empty() {
            self.cursor = index.min(self.shown.len() - 1);
            self.keep_cursor_visible(page);
        }
    }

    pub fn keep_cursor_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
    }

    pub fn toggle_current(&mut self) {
        if let Some(name) = self.current().map(|g| g.name.clone())
            && !self.selected.remove(&name)
        {
            self.selected.insert(name);
        }
    }

    pub fn select_all_shown(&mut self) {
        for &i in &self.shown {
            self.selected.insert(self.all()[i].name.clone());
        }
    }

    pub fn select_none(&mut self) {
        self.selected.clear();
    }

    /// Select every known group whose name starts with `prefix`; returns how many matched.
    pub fn select_prefix(&mut self, prefix: &str) -> usize {
        let matching: Vec<String> = self
            .all()
            .iter()
            .filter(|g| g.name.starts_with(prefix))
            .map(|g| g.name.clone())
            .collect();
        let n = matching.len();
        self.selected.extend(matching);
        n
    }

    pub fn selected_names(&self) -> Vec<String> {
        self.selected.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(names: &[&str]) -> GroupsPane {
        let mut p = GroupsPane::new();
        p.set_groups(0, names.iter().map(|n| LogGroup::named(*n)).collect());
        p
    }

    #[test]
    fn smart_case_filter_and_select_all_shown() {
        let mut p = pane(&["/aws/lambda/tax-a", "/aws/lambda/Tax-B", "/ecs/web"]);
        p.set_filter(Some("tax".into())).unwrap();
        assert_eq!(p.shown.len(), 2);
        p.set_filter(Some("Tax".into())).unwrap();
        assert_eq!(p.shown.len(), 1);
        // A regex, as in the logs pane; a bad one is refused and the filter stays.
        p.set_filter(Some("tax-(a|b)$".into())).unwrap();
        assert_eq!(p.shown.len(), 2);
        assert!(p.set_filter(Some("tax-(".into())).is_err());
        assert_eq!(p.shown.len(), 2);
        p.set_filter(Some("lambda".into())).unwrap();
        p.select_all_shown();
        assert_eq!(p.selected.len(), 2);
        p.select_none();
        assert!(p.selected.is_empty());
    }

    #[test]
    fn cursor_stays_in_range_and_visible() {
        let mut p = pane(&["a", "b", "c", "d", "e"]);
        p.move_cursor(10, 2);
        assert_eq!((p.cursor, p.offset), (4, 3));
        p.move_cursor(-3, 2);
        assert_eq!((p.cursor, p.offset), (1, 1));
        p.toggle_current();
        assert!(p.selected.contains("b"));
    }

    #[test]
    fn prefix_selection() {
        let mut p = pane(&["/aws/lambda/tax-a", "/aws/lambda/tax-b", "/aws/lambda/web"]);
        assert_eq!(p.select_prefix("/aws/lambda/tax-"), 2);
        assert_eq!(
            p.selected_names(),
            ["/aws/lambda/tax-a", "/aws/lambda/tax-b"]
        );
    }
}
