//! What a pane may see and ask for while it handles a message: the time, the keymap (for
//! hints that name keys), the page size, its own status slot, and requests to the shell
//! (open the palette or a detail view, show this pane). A pane never touches another pane
//! or the shell's state directly: the shell applies the requests after the pane returns.

use unstuck_views::props::StatusLevel;

use super::detail::Detail;
use super::status::{StatusBoard, StatusSource};
use crate::config::{Action, Context, Keymap};
use crate::state::shell::PaneId;

/// Something a pane asks the shell to do once it has returned.
#[derive(Debug, Clone, PartialEq)]
pub enum ShellRequest {
    /// Open the `:` palette with this text typed.
    OpenPalette(String),
    /// Open a detail view over the pane.
    OpenDetail(Detail),
    /// Close every layer over the pane (the pane moved somewhere else).
    CloseLayers,
    /// Switch to the pane that asked.
    ShowMe,
    /// Ask for a yes before running this mutation.
    Confirm(crate::commands::Command),
}

pub struct PaneCtx<'a> {
    pub pane: PaneId,
    pub now_ms: i64,
    pub keymap: &'a Keymap,
    /// Rows of list content in the body.
    pub body_rows: usize,
    /// Whether this pane is the one on screen.
    pub visible: bool,
    pub read_only: bool,
    /// The zone times are shown and typed in.
    pub zone: unstuck_views::zone::Zone,
    status: &'a mut StatusBoard,
    pub requests: Vec<ShellRequest>,
}

impl<'a> PaneCtx<'a> {
    pub fn new(
        pane: PaneId,
        now_ms: i64,
        keymap: &'a Keymap,
        body_rows: usize,
        visible: bool,
        read_only: bool,
        status: &'a mut StatusBoard,
    ) -> Self {
        Self {
            pane,
            now_ms,
            keymap,
            body_rows,
            visible,
            read_only,
            status,
            requests: Vec::new(),
            zone: unstuck_views::zone::Zone::UTC,
        }
    }

    fn source(&self) -> StatusSource {
        StatusSource::Pane(self.pane)
    }

    pub fn status(&mut self, level: StatusLevel, text: impl Into<String>) {
        let source = self.source();
        self.status.set(source, level, text.into(), self.now_ms);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status(StatusLevel::Info, text);
    }

    /// An info message that stays in view when the pane hands over to another (a jump).
    pub fn info_across_panes(&mut self, text: impl Into<String>) {
        self.status.set(
            StatusSource::Shell,
            StatusLevel::Info,
            text.into(),
            self.now_ms,
        );
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status(StatusLevel::Warn, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status(StatusLevel::Error, text);
    }

    /// The cause of this pane's error is gone.
    pub fn clear_error(&mut self) {
        let source = self.source();
        self.status.clear_error(source);
    }

    pub fn request(&mut self, request: ShellRequest) {
        self.requests.push(request);
    }

    /// The first key bound to `action` in this pane (or everywhere), for hints.
    pub fn key_for(&self, action: Action) -> String {
        key_for(self.keymap, self.pane.spec().context, action)
    }
}

/// How far a movement action moves a list's cursor, `page` rows a page (top and bottom: as
/// far as it goes); None for any other action.
pub fn cursor_delta(action: Action, page: usize) -> Option<isize> {
    let page = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
    Some(match action {
        Action::ScrollUp => -1,
        Action::ScrollDown => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::ScrollTop => isize::MIN / 2,
        Action::ScrollBottom => isize::MAX / 2,
        _ => return None,
    })
}

/// `cursor` moved by `delta` within a list of `len` rows.
pub fn moved_cursor(cursor: usize, delta: isize, len: usize) -> usize {
    cursor
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1))
}

/// The first key bound to `action` in `context` (or everywhere), for hints.
pub fn key_for(keymap: &Keymap, context: Context, action: Action) -> String {
    keymap
        .first_chord(context, action)
        .or_else(|| keymap.first_chord(Context::Global, action))
        .unwrap_or_else(|| format!("({})", action.name()))
}
