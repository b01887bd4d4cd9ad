//! The level of a log message as received, for the logs pane's rows and the groups list's
//! error rates.

use unstuck_views::logs::log_row::Level;

use super::json_compact::compact_json;

/// Lambda's line for an invocation that ran out of time (an error, whatever its words).
pub const TIMED_OUT: &str = "Task timed out after";

/// The level of a raw (unsanitised) message: a JSON `level`/`levelname`/`severity` field,
/// or one of the first few words (`[ERROR]`, `ERROR`, `WARN:` ...). Lambda platform
/// errors (`Task timed out`) count as errors.
pub fn level_of(message: &str) -> Option<Level> {
    let trimmed = message.trim_start();
    if trimmed.starts_with('{') {
        return compact_json(trimmed, "").and_then(|line| line.level);
    }
    plain_level(trimmed)
}

/// The level of a plain (not JSON) message, from its first few words.
pub fn plain_level(text: &str) -> Option<Level> {
    if text.contains(TIMED_OUT) {
        return Some(Level::Error);
    }
    text.split(['\t', ' '])
        .filter(|w| !w.is_empty())
        .take(4)
        .find_map(|word| Level::parse(word.trim_matches(|c: char| !c.is_ascii_alphabetic())))
}

/// Whether a message is at ERROR or above.
pub fn is_error(message: &str) -> bool {
    level_of(message).is_some_and(|l| l >= Level::Error)
}
