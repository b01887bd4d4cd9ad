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

/// Restores the terminal (when the TUI has it) before the default panic message prints, so
/// it is readable, and ends the process with exit 101: a panic in any task (tokio would only
/// end that task) must not leave the app running garbled with dead keys, nor a headless
/// command hung or exiting 0.
pub fn install_panic_hook(restore_terminal: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if restore_terminal {
            let _ = restore();
        }
        previous(info);
        std::process::exit(101);
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

    /// ctrl-z: give the terminal back, stop the whole process group (SIGTSTP to group 0,
    /// as vim does, so a wrapper such as `aws-vault exec -- unstuck` or a shell script
    /// stops too and the shell gets the terminal back), and take it again on `fg`.
    ///
    /// The screen is then cleared and redrawn through `resize`, never `Terminal::clear`:
    /// that one asks the terminal for the cursor position, and the input task would eat
    /// the answer (the app died with "cursor position could not be read").
    fn suspend(&mut self) -> io::Result<()> {
        restore()?;
        rustix::process::kill_current_process_group(rustix::process::Signal::TSTP)
            .map_err(io::Error::from)?;
        enter()?;
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }

    fn set_clipboard(&mut self, sequence: &str) -> io::Result<()> {
        use std::io::Write;
        let backend = self.terminal.backend_mut();
        backend.write_all(sequence.as_bytes())?;
        backend.flush()
    }
}
