//! The semantic slots of a theme: file names (`status.ok`), the `Theme` field each sets,
//! and the slot an unset slot falls back to.

use ratatui::style::Style;
use unstuck_views::theme::Theme;

macro_rules! slots {
    ($($field:ident => $name:literal, $fallback:expr;)*) => {
        /// Every slot, in resolution order: a slot's fallback always comes before it.
        pub const SLOT_NAMES: &[&str] = &[$($name,)*];

        /// The `Theme` field a slot sets.
        pub fn slot_style_mut<'t>(theme: &'t mut Theme, slot: &str) -> Option<&'t mut Style> {
            match slot {
                $($name => Some(&mut theme.$field),)*
                _ => None,
            }
        }

        /// The slot an unset slot takes its style from; `None`: the built-in default.
        pub fn slot_fallback(slot: &str) -> Option<&'static str> {
            match slot {
                $($name => $fallback,)*
                _ => None,
            }
        }
    };
}

slots! {
    chrome_base => "chrome.base", None;
    chrome_dim => "chrome.dim", Some("chrome.base");
    chrome_title => "chrome.title", Some("chrome.base");
    chrome_key => "chrome.key", Some("chrome.title");
    chrome_header => "chrome.header", None;
    chrome_footer => "chrome.footer", Some("chrome.base");
    chrome_border => "chrome.border", Some("chrome.dim");
    chrome_border_focused => "chrome.border_focused", Some("chrome.title");
    chrome_selection => "chrome.selection", None;
    chrome_badge => "chrome.badge", Some("chrome.header");
    chrome_match => "chrome.match", Some("chrome.selection");
    status_ok => "status.ok", None;
    status_failed => "status.failed", None;
    status_info => "status.info", Some("chrome.base");
    status_running => "status.running", Some("status.info");
    status_stuck => "status.stuck", Some("status.failed");
    status_stale => "status.stale", Some("chrome.dim");
    chrome_read_only => "chrome.read_only", Some("status.failed");
    log_timestamp => "log.timestamp", Some("chrome.dim");
    log_text => "log.text", Some("chrome.base");
    log_error => "log.error", Some("status.failed");
    log_warn => "log.warn", Some("status.stuck");
    log_info => "log.info", Some("status.info");
    log_debug => "log.debug", Some("chrome.dim");
    log_platform => "log.platform", Some("chrome.dim");
    chart_primary => "chart.primary", Some("chrome.title");
    chart_secondary => "chart.secondary", Some("chart.primary");
}

/// The first part of a slot name; `[slots.status]` or `status.ok = ...` nest under it.
pub const SLOT_GROUPS: [&str; 4] = ["chrome", "status", "log", "chart"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_maps_to_a_field_and_fallbacks_come_first() {
        let mut theme = Theme::default();
        for (index, slot) in SLOT_NAMES.iter().enumerate() {
            assert!(slot_style_mut(&mut theme, slot).is_some(), "{slot}");
            if let Some(fallback) = slot_fallback(slot) {
                let position = SLOT_NAMES.iter().position(|s| *s == fallback);
                assert!(position.is_some_and(|p| p < index), "{slot} -> {fallback}");
            }
        }
    }
}
