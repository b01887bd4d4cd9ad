//! The `/` filters' regex: smart case, a bounded size, and an error short enough for a
//! prompt.

use regex::RegexBuilder;

/// Smart case: case-insensitive unless the pattern has an uppercase letter.
pub fn compile_filter(text: &str) -> Result<regex::Regex, String> {
    RegexBuilder::new(text)
        .case_insensitive(!text.chars().any(char::is_uppercase))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            format!("bad regex: {last}")
        })
}
