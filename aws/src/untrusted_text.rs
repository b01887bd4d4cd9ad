//! Neutralising untrusted text (log lines, message bodies, execution input/output) before it
//! reaches a terminal.
//!
//! Policy, chosen so that an on-call engineer can still see that something odd was there:
//! - SGR colour sequences (`ESC [ ... m`) are removed: apps log with colours all the time and
//!   the escapes would only be noise.
//! - Every other escape sequence is made visible and inert: ESC becomes `␛` and the rest of
//!   the sequence prints as plain text, so `ESC [ 2 J` shows as `␛[2J` and
//!   `ESC ] 52 ; c ; ... BEL` as `␛]52;c;...␇`.
//! - C0 controls become their Unicode control pictures (`␀`..`␟`), DEL becomes `␡`,
//!   C1 controls (U+0080..U+009F, which some terminals obey) and bidi overrides/isolates and
//!   line/paragraph separators become `⟨U+XXXX⟩`.
//! - Tab becomes spaces; a trailing CR before a line break is dropped.
//!
//! The output never contains a byte below 0x20, DEL, a C1 control or a bidi control.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const TAB_SPACES: &str = "    ";

/// One display line: line breaks are made visible too (`␊`).
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_sanitized(&mut out, text);
    Cow::Owned(out)
}

/// Several display lines: the text is split at line breaks (LF, CRLF), each piece sanitised.
/// A message with a stack trace becomes one line per frame.
pub fn sanitize_lines(text: &str) -> Vec<String> {
    let trimmed = text.trim_end_matches(['\n', '\r']);
    trimmed
        .split('\n')
        .map(|piece| {
            let piece = piece.strip_suffix('\r').unwrap_or(piece);
            sanitize_line(piece).into_owned()
        })
        .collect()
}

/// True when the text is printable ASCII only: the fast path, no copy needed.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b)) || (!text.is_ascii() && !needs_work(text))
}

fn needs_work(text: &str) -> bool {
    text.chars().any(|c| is_control_like(c) || c == ESC)
}

/// Characters a terminal may act on: C0/C1 controls, DEL, bidi controls and line/paragraph
/// separators. Anything that prints untrusted text must neutralise these.
pub fn is_control_like(c: char) -> bool {
    c.is_control() || is_bidi_or_separator(c)
}

fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

fn push_sanitized(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => {
                if chars.peek() == Some(&'[') && is_sgr(chars.clone()) {
                    // Skip `[ params m` entirely.
                    for next in chars.by_ref() {
                        if next == 'm' {
                            break;
                        }
                    }
                } else {
                    out.push('␛');
                }
            }
            '\t' => out.push_str(TAB_SPACES),
            '\u{7f}' => out.push('␡'),
            c if (c as u32) < 0x20 => {
                // U+2400 + n is the control picture for C0 control n.
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�'));
            }
            c if c.is_control() || is_bidi_or_separator(c) => {
                out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
            }
            c => out.push(c),
        }
    }
}

/// Whether the chars after an ESC form an SGR sequence: `[`, parameter bytes (digits, `;`,
/// `:`), then `m`. Anything else (cursor moves, erase, private modes) is not SGR.
fn is_sgr(mut rest: impl Iterator<Item = char>) -> bool {
    if rest.next() != Some('[') {
        return false;
    }
    for (n, c) in rest.enumerate() {
        match c {
            'm' => return true,
            '0'..='9' | ';' | ':' if n < 64 => {}
            _ => return false,
        }
    }
    false
}

/// True when `text` could be written to a terminal as is.
pub fn is_terminal_safe(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_bidi_or_separator(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let line = "START RequestId: 8f2c Version: $LATEST";
        assert!(matches!(sanitize_line(line), Cow::Borrowed(s) if s == line));
        let unicode = "Grüße — 日本語";
        assert!(matches!(sanitize_line(unicode), Cow::Borrowed(s) if s == unicode));
    }

    #[test]
    fn clear_screen_becomes_visible_and_inert() {
        assert_eq!(sanitize_line("a\u{1b}[2Jb"), "a␛[2Jb");
    }

    #[test]
    fn osc_52_clipboard_write_is_inert() {
        let out = sanitize_line("x\u{1b}]52;c;ZWNobyBoaQ==\u{7}y");
        assert_eq!(out, "x␛]52;c;ZWNobyBoaQ==␇y");
        assert!(is_terminal_safe(&out));
    }

    #[test]
    fn osc_8_hyperlink_and_title_are_inert() {
        let link = "\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\";
        assert_eq!(sanitize_line(link), "␛]8;;http://evil␛\\click␛]8;;␛\\");
        assert_eq!(sanitize_line("\u{1b}]0;pwned\u{7}"), "␛]0;pwned␇");
    }

    #[test]
    fn sgr_colours_are_removed() {
        assert_eq!(
            sanitize_line("\u{1b}[1;31mERROR\u{1b}[0m done"),
            "ERROR done"
        );
        assert_eq!(sanitize_line("\u{1b}[38:5:196mred\u{1b}[m"), "red");
    }

    #[test]
    fn c1_controls_and_bidi_are_made_visible() {
        assert_eq!(sanitize_line("a\u{9b}2Jb"), "a⟨U+009B⟩2Jb");
        assert_eq!(sanitize_line("user\u{202E}fdp.exe"), "user⟨U+202E⟩fdp.exe");
        assert_eq!(sanitize_line("\u{90}qdcs\u{9c}"), "⟨U+0090⟩qdcs⟨U+009C⟩");
    }

    #[test]
    fn c0_controls_tab_and_del() {
        assert_eq!(sanitize_line("a\u{0}b\u{8}c\u{7f}"), "a␀b␈c␡");
        assert_eq!(sanitize_line("k\tv"), "k    v");
        assert_eq!(sanitize_line("one\ntwo"), "one␊two");
    }

    #[test]
    fn lines_split_at_breaks_and_drop_cr() {
        assert_eq!(
            sanitize_lines("Error: boom\r\n    at f (a.js:1)\n    at g\u{1b}[2J\n"),
            vec!["Error: boom", "    at f (a.js:1)", "    at g␛[2J"]
        );
    }

    #[test]
    fn unterminated_sequences_stay_inert() {
        assert_eq!(sanitize_line("\u{1b}[31"), "␛[31");
        assert_eq!(sanitize_line("\u{1b}"), "␛");
        assert_eq!(sanitize_line("\u{1b}P1$r\u{1b}\\"), "␛P1$r␛\\");
    }
}
