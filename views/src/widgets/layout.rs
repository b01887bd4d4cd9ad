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

/// The pane tabs drawn in the header: (label, pane index) with their x ranges.
pub fn tab_at(tabs: &[&str], x: u16) -> Option<usize> {
    let mut start = TAB_START_X;
    for (i, label) in tabs.iter().enumerate() {
        let width = tab_width(i, label);
        if (start..start + width).contains(&x) {
            return Some(i);
        }
        start += width + 1;
    }
    None
}

/// Where the first pane tab begins in the header ("unstuck " comes first).
pub const TAB_START_X: u16 = 9;

/// Width of a tab label as drawn: " 1 logs ".
pub fn tab_width(index: usize, label: &str) -> u16 {
    u16::try_from(format!(" {} {label} ", index + 1).chars().count()).unwrap_or(u16::MAX)
}
