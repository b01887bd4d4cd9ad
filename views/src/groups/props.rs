//! What the log-group chooser hands to its view.

use crate::props::Loadable;

pub struct GroupItem<'a> {
    pub name: &'a str,
    pub selected: bool,
    pub stored_bytes: Option<i64>,
}

pub struct GroupsProps<'a> {
    pub items: Vec<GroupItem<'a>>,
    /// Index into `items` of the cursor.
    pub cursor: usize,
    /// First item index drawn.
    pub offset: usize,
    pub total: usize,
    pub selected_count: usize,
    pub filter_text: Option<&'a str>,
    pub state: Loadable,
}
