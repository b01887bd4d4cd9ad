//! The asynchronous shell around the pure reducer: tasks, the channel, the terminal.

mod app_loop;
mod clipboard;
mod executor;
mod input;
mod poller;
mod screen;
mod subscriptions;
mod terminal;

pub use app_loop::{AppRuntime, CHANNEL_CAPACITY, MIN_FRAME_INTERVAL, Reconnector};
pub use clipboard::{Clipboard, default_clipboard_file, osc52};
pub use input::spawn_input_task;
pub use poller::{Poller, backoff, next_poll};
pub use screen::{HeadlessScreen, Screen, ScreenObserver, buffer_text};
pub use subscriptions::{Changes, Subscriptions, UNSUBSCRIBE_GRACE};
pub use terminal::{TerminalGuard, TerminalScreen, install_panic_hook};
