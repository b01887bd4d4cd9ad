//! Numbers for people: `1234567` → `1,234,567`, and "1 line" / "2 lines".

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
