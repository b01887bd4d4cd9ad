//! Entering and leaving the terminal's raw/alternate-screen mode, on every exit path:
//! normal return (guard drop), panic (hook) and ctrl-z (suspend and resume).

use std::io::{self, Stdout, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::screen::Screen;
use crate::state::{AppState, draw};

fn enter() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )
}

/// Put the terminal back the way the shell expects it. Safe to call more than once.
pub fn restore() -> io::Result<()> {
    let mut out = io::stdout();
    let screen = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let raw = terminal::disable_raw_mode();
    out.flush()?;
    screen.and(raw)
}

/// Restores the terminal before the default panic message prints, so it is readable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = restore();
        previous(info);
    }));
}

/// Raw mode + alternate screen for as long as it lives.
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        enter()?;
        Ok(Self { _private: () })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = restore();
    }
}

/// The real terminal.
pub struct TerminalScreen {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalScreen {
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            terminal: Terminal::new(CrosstermBackend::new(io::stdout()))?,
        })
    }
}

impl Screen for TerminalScreen {
    fn draw(&mut self, state: &AppState) -> io::Result<()> {
        self.terminal.draw(|frame| draw(frame, state)).map(|_| ())
    }

    fn size(&self) -> io::Result<(u16, u16)> {
        let size = self.terminal.size()?;
        Ok((size.width, size.height))
    }

    /// ctrl-z: give the terminal back, stop the process (SIGTSTP), and take it again when
    /// the shell resumes us.
    fn suspend(&mut self) -> io::Result<()> {
        restore()?;
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        enter()?;
        self.terminal.clear()
    }
}
