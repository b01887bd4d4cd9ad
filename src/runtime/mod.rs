//! The asynchronous shell around the pure reducer: tasks, the channel, the terminal.

mod app_loop;
mod input;
mod poller;
mod screen;
mod terminal;

pub use app_loop::{AppRuntime, CHANNEL_CAPACITY, MIN_FRAME_INTERVAL};
pub use input::spawn_input_task;
pub use poller::{Poller, TopicTiming};
pub use screen::{HeadlessScreen, Screen, ScreenObserver, buffer_text};
pub use terminal::{TerminalGuard, TerminalScreen, install_panic_hook};
