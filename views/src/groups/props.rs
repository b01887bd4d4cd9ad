//! What the log-group chooser hands to its view.

use crate::props::Loadable;
use crate::zone::Zone;

/// How a group stands, for its row's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupStatus {
    /// Not tailed: nothing known beyond DescribeLogGroups.
    #[default]
    Untailed,
    /// Tailed, no event in the last minute.
    Quiet,
    /// Tailed, events arriving.
    Active,
    /// Tailed, error lines in the last minute.
    Erroring,
    /// The tail's last poll of it failed.
    Failing,
}

#[derive(Debug, Clone, Default)]
pub struct GroupItem<'a> {
    pub name: &'a str,
    pub selected: bool,
    pub stored_bytes: Option<i64>,
    pub retention_days: Option<i32>,
    /// What the tail saw (None when the group is not tailed).
    pub last_event_ms: Option<i64>,
    pub events_per_min: Option<usize>,
    pub errors_per_min: Option<usize>,
    /// When the tail last read it, and how often it does.
    pub polled_ms: Option<i64>,
    pub poll_every_ms: Option<i64>,
    pub status: GroupStatus,
}

/// The column the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupSort {
    #[default]
    Name,
    LastEvent,
    Rate,
    Errors,
    Stored,
}

impl GroupSort {
    pub const ALL: [GroupSort; 5] = [
        GroupSort::Name,
        GroupSort::LastEvent,
        GroupSort::Rate,
        GroupSort::Errors,
        GroupSort::Stored,
    ];

    /// The word `:sort` takes and the title shows.
    pub fn word(self) -> &'static str {
        match self {
            GroupSort::Name => "name",
            GroupSort::LastEvent => "last",
            GroupSort::Rate => "rate",
            GroupSort::Errors => "errors",
            GroupSort::Stored => "size",
        }
    }

    pub fn next(self) -> GroupSort {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
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
    pub sort: GroupSort,
    pub now_ms: i64,
    pub zone: Zone,
}
