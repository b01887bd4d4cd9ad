//! Durations as people type them: `30s`, `10m`, `2h`, `1d`, `500ms`, bare seconds. Used by
//! `tail --since`, the TUI's `--since` and `:since`, and the tail's settings in config.toml.

/// `30s`, `10m`, `2h`, `1d`, `500ms`, or bare seconds; `None` when `text` is none of them.
pub fn parse_duration_ms(text: &str) -> Option<Result<i64, String>> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let unit_ms = match unit {
        "ms" => 1,
        "s" | "" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        // `10x`: a mistyped unit; anything else (`02:46`, `2026-…`) is an absolute time.
        _ if unit.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Some(Err(format!("bad unit {unit:?}: use s, m, h or d")));
        }
        _ => return None,
    };
    Some(Ok(n.saturating_mul(unit_ms)))
}

/// A duration for display: `45s`, `4m12s`, `2h05m`.
pub fn short_duration(ms: i64) -> String {
    let s = ms.max(0) / 1_000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 if s % 60 == 0 => format!("{}m", s / 60),
        60..3_600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3_600, s % 3_600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_people_type() {
        assert_eq!(parse_duration_ms("90s"), Some(Ok(90_000)));
        assert_eq!(parse_duration_ms("15m"), Some(Ok(900_000)));
        assert_eq!(parse_duration_ms("2"), Some(Ok(2_000)));
        assert_eq!(parse_duration_ms("500ms"), Some(Ok(500)));
        assert!(matches!(parse_duration_ms("10x"), Some(Err(_))));
        assert_eq!(parse_duration_ms("02:46"), None);
    }

    #[test]
    fn shows_short() {
        assert_eq!(short_duration(9_400), "9s");
        assert_eq!(short_duration(252_000), "4m12s");
        assert_eq!(short_duration(900_000), "15m");
        assert_eq!(short_duration(7_500_000), "2h05m");
    }
}
