//! Where frames go: the real terminal, or a ratatui `TestBackend` for headless tests.

use std::io;
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::state::{AppState, draw};

pub trait Screen {
    fn draw(&mut self, state: &AppState) -> io::Result<()>;
    fn size(&self) -> io::Result<(u16, u16)>;
    /// Hand the terminal to the shell until it resumes us (ctrl-z).
    fn suspend(&mut self) -> io::Result<()>;
    /// Send the terminal an OSC 52 clipboard sequence (see `clipboard::osc52`).
    fn set_clipboard(&mut self, sequence: &str) -> io::Result<()>;
}

/// An in-memory screen: the app runs exactly as in a terminal, frames land in a buffer.
pub struct HeadlessScreen {
    terminal: Terminal<TestBackend>,
    observed: Arc<Mutex<Observed>>,
}

#[derive(Debug, Default, Clone)]
struct Observed {
    frames: u64,
    text: String,
    clipboard: Vec<String>,
}

/// A handle that sees what the headless screen last drew, while the app runs elsewhere.
#[derive(Debug, Clone)]
pub struct ScreenObserver {
    observed: Arc<Mutex<Observed>>,
}

impl ScreenObserver {
    fn read(&self) -> Observed {
        self.observed
            .lock()
            .map(|o| o.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Frames drawn so far (idle must mean no new frames).
    pub fn frames(&self) -> u64 {
        self.read().frames
    }

    /// The last frame as text, one line per row, trailing spaces trimmed.
    pub fn text(&self) -> String {
        self.read().text
    }

    /// The OSC 52 sequences sent so far.
    pub fn clipboard(&self) -> Vec<String> {
        self.read().clipboard
    }
}

impl HeadlessScreen {
    pub fn new(width: u16, height: u16) -> io::Result<Self> {
        Ok(Self {
            terminal: never_fails(Terminal::new(TestBackend::new(width, height))),
            observed: Arc::new(Mutex::new(Observed::default())),
        })
    }

    pub fn observer(&self) -> ScreenObserver {
        ScreenObserver {
            observed: Arc::clone(&self.observed),
        }
    }

    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    pub fn text(&self) -> String {
        buffer_text(self.buffer())
    }
}

/// The test backend cannot fail (its error type is `Infallible`).
fn never_fails<T>(result: Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

/// A buffer as text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width.max(1))
        .map(|row| {
            let line: String = row.iter().map(|c| c.symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Screen for HeadlessScreen {
    fn draw(&mut self, state: &AppState) -> io::Result<()> {
        never_fails(self.terminal.draw(|frame| draw(frame, state)));
        let text = buffer_text(self.buffer());
        let mut observed = self
            .observed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        observed.frames += 1;
        observed.text = text;
        Ok(())
    }

    fn size(&self) -> io::Result<(u16, u16)> {
        let size = never_fails(self.terminal.size());
        Ok((size.width, size.height))
    }

    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn set_clipboard(&mut self, sequence: &str) -> io::Result<()> {
        self.observed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clipboard
            .push(sequence.to_string());
        Ok(())
    }
}
