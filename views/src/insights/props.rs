//! What the insights pane hands to its view.

/// A saved query in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedItem<'a> {
    pub name: &'a str,
    pub query: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InsightsBody<'a> {
    Saved {
        queries: Vec<SavedItem<'a>>,
        cursor: usize,
    },
    Results {
        query: &'a str,
        /// "complete in 2.1s · 6 rows · … scanned ≈ $0.00006"
        summary: String,
        error: Option<&'a str>,
        running: bool,
        columns: &'a [String],
        rows: &'a [Vec<String>],
        cursor: usize,
        /// Columns scrolled off to the left.
        h_scroll: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct InsightsProps<'a> {
    pub title: String,
    pub body: InsightsBody<'a>,
    /// Shown above the body when something is missing (no groups tailed).
    pub hint: Option<&'a str>,
}
