//! Status messages, one slot per source: the shell's own, and one per pane. Info fades,
//! warnings fade later, errors stay while their cause lasts (the source clears them when it
//! recovers). The line shown is the most severe, then the newest, of the shell's and the
//! visible pane's — a hidden pane's failing poll never touches it.

use std::collections::BTreeMap;

use unstuck_views::props::StatusLevel;

use crate::state::shell::PaneId;

/// How long an info message stays.
pub const INFO_TTL_MS: i64 = 5_000;
/// How long a warning stays.
pub const WARN_TTL_MS: i64 = 12_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusSource {
    Shell,
    Pane(PaneId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub level: StatusLevel,
    pub text: String,
    pub at_ms: i64,
    /// Order of setting (the newest wins a tie in time).
    seq: u64,
}

impl StatusMessage {
    /// When it fades (errors never do by themselves).
    pub fn expires_ms(&self) -> Option<i64> {
        match self.level {
            StatusLevel::Info => Some(self.at_ms.saturating_add(INFO_TTL_MS)),
            StatusLevel::Warn => Some(self.at_ms.saturating_add(WARN_TTL_MS)),
            StatusLevel::Error => None,
        }
    }

    fn shown_at(&self, now_ms: i64) -> bool {
        self.expires_ms().is_none_or(|end| now_ms < end)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusBoard {
    slots: BTreeMap<StatusSource, StatusMessage>,
    next_seq: u64,
}

impl StatusBoard {
    pub fn set(&mut self, source: StatusSource, level: StatusLevel, text: String, at_ms: i64) {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.slots.insert(
            source,
            StatusMessage {
                level,
                text,
                at_ms,
                seq,
            },
        );
    }

    /// The source recovered: its error (or any message) goes.
    pub fn clear(&mut self, source: StatusSource) {
        self.slots.remove(&source);
    }

    /// Clear the source's message only if it is an error.
    pub fn clear_error(&mut self, source: StatusSource) {
        if self
            .slots
            .get(&source)
            .is_some_and(|m| m.level == StatusLevel::Error)
        {
            self.slots.remove(&source);
        }
    }

    pub fn get(&self, source: StatusSource) -> Option<&StatusMessage> {
        self.slots.get(&source)
    }

    /// The message to show on `pane` at `now_ms`.
    pub fn shown(&self, pane: PaneId, now_ms: i64) -> Option<&StatusMessage> {
        [StatusSource::Shell, StatusSource::Pane(pane)]
            .iter()
            .filter_map(|s| self.slots.get(s))
            .filter(|m| m.shown_at(now_ms))
            .max_by_key(|m| (m.level as u8, m.at_ms, m.seq))
    }

    /// The next time a message that may be shown fades (the runtime wakes then to redraw).
    pub fn next_expiry(&self, now_ms: i64) -> Option<i64> {
        self.slots
            .values()
            .filter_map(StatusMessage::expires_ms)
            .filter(|&end| end > now_ms)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_fades_errors_stay_and_hidden_panes_do_not_show() {
        let mut board = StatusBoard::default();
        let logs = StatusSource::Pane(PaneId::Logs);
        let groups = StatusSource::Pane(PaneId::Groups);
        board.set(logs, StatusLevel::Info, "following".into(), 1_000);
        board.set(
            groups,
            StatusLevel::Error,
            "log groups: denied".into(),
            1_500,
        );
        assert_eq!(board.shown(PaneId::Logs, 2_000).unwrap().text, "following");
        assert_eq!(board.shown(PaneId::Logs, 1_000 + INFO_TTL_MS), None);
        assert_eq!(board.next_expiry(2_000), Some(1_000 + INFO_TTL_MS));
        assert_eq!(
            board.shown(PaneId::Groups, 99_000).unwrap().text,
            "log groups: denied"
        );
        board.set(
            StatusSource::Shell,
            StatusLevel::Warn,
            "account: slow".into(),
            3_000,
        );
        // The pane's error outranks the shell's warning on its own pane.
        assert_eq!(
            board.shown(PaneId::Groups, 3_500).unwrap().level,
            StatusLevel::Error
        );
        board.clear_error(groups);
        assert_eq!(
            board.shown(PaneId::Groups, 3_500).unwrap().text,
            "account: slow"
        );
    }
}
