//! Numbers for people: `1234567` → `1,234,567`, "1 line" / "2 lines", progress bars.

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "" for one, "s" for any other count.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `1 line`, `1,204 lines`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), plural(n))
}

/// `▕████░░░░▏ 45% (450/1,000 lines)`: how far a long job (an export, a redrive) is.
pub fn progress(done: usize, total: usize, unit: &str) -> String {
    const WIDTH: usize = 20;
    let percent = (done * 100).checked_div(total).unwrap_or(100).min(100);
    let filled = percent * WIDTH / 100;
    format!(
        "▕{}{}▏ {percent}% ({}/{} {unit})",
        "█".repeat(filled),
        "░".repeat(WIDTH - filled),
        thousands(done),
        thousands(total)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_right() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(count(1, "line"), "1 line");
        assert_eq!(count(1_204, "message"), "1,204 messages");
    }
}
