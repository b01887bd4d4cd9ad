//! Screen regions, shared by rendering and by the reducer's mouse hit-testing.

use ratatui::layout::Rect;

/// Header (1 row), body, status line (1 row), footer hints (1 row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppLayout {
    pub header: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl AppLayout {
    pub fn new(area: Rect) -> Self {
        let row = |y: u16, height: u16| Rect::new(area.x, y, area.width, height);
        let header_h = area.height.min(1);
        let footer_h = area.height.saturating_sub(header_h).min(1);
        let status_h = area.height.saturating_sub(header_h + footer_h).min(1);
        let body_h = area.height.saturating_sub(header_h + footer_h + status_h);
        let top = area.y;
        Self {
            header: row(top, header_h),
            body: row(top + header_h, body_h),
            status: row(top + header_h + body_h, status_h),
            footer: row(top + header_h + body_h + status_h, footer_h),
        }
    }

    /// Rows of list content inside the bordered body (for page sizes and mouse clicks).
    pub fn body_content_rows(&self) -> usize {
        usize::from(self.body.height.saturating_sub(2))
    }
}

/// The pane tab under column `x` of the header, as [`tab_labels`] draws them.
pub fn tab_at(tabs: &[&str], active: usize, header_width: u16, x: u16) -> Option<usize> {
    let mut start = TAB_START_X;
    for (i, label) in tab_labels(tabs, active, header_width).iter().enumerate() {
        let width = u16::try_from(label.chars().count()).unwrap_or(u16::MAX);
        if (start..start + width).contains(&x) {
            return Some(i);
        }
        start += width + 1;
    }
    None
}

/// Where the first pane tab begins in the header ("unstuck " comes first).
pub const TAB_START_X: u16 = 9;

/// Columns the header keeps for what it says on the right (read-only, profile or DEMO, the
/// region) before the tabs give way.
pub const HEADER_RIGHT_MIN: u16 = 32;

/// The tab labels as drawn at this header width: " 1 logs " each; where that would crowd out
/// the profile and region, the inactive ones shrink to their number (" 2 ").
pub fn tab_labels(tabs: &[&str], active: usize, header_width: u16) -> Vec<String> {
    let full: Vec<String> = tabs
        .iter()
        .enumerate()
        .map(|(i, label)| format!(" {i} {label} "))
        .collect();
    let full_w: usize = full.iter().map(|l| l.chars().count() + 1).sum();
    if usize::from(TAB_START_X) + full_w + usize::from(HEADER_RIGHT_MIN)
        <= usize::from(header_width)
    {
        return full;
    }
    full.into_iter()
        .enumerate()
        .map(
            |(i, label)| {
                if i == active { label } else { format!(" {i} ") }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABS: [&str; 8] = [
        "overview",
        "logs",
        "groups",
        "insights",
        "executions",
        "queues",
        "functions",
        "signals",
    ];

    #[test]
    fn narrow_headers_shrink_the_inactive_tabs_and_clicks_follow_them() {
        // Numbered from 0, as the keys that open them (0 is the overview).
        assert_eq!(tab_labels(&TABS, 0, 160)[2], " 2 groups ");
        let narrow = tab_labels(&TABS, 4, 80);
        assert_eq!(
            narrow,
            [
                " 0 ",
                " 1 ",
                " 2 ",
                " 3 ",
                " 4 executions ",
                " 5 ",
                " 6 ",
                " 7 "
            ]
        );
        // " 0 " at 9..12, " 1 " 13..16, " 2 " 17..20, " 3 " 21..24, " 4 executions " 25..39
        assert_eq!(tab_at(&TABS, 4, 80, 14), Some(1));
        assert_eq!(tab_at(&TABS, 4, 80, 30), Some(4));
        assert_eq!(tab_at(&TABS, 4, 80, 41), Some(5));
        assert_eq!(tab_at(&TABS, 4, 160, 14), Some(0));
    }
}
