//! `config.toml`: which presets to use and start-up settings. Every key is optional:
//!
//! ```toml
//! keymap = "vim"            # a keymap preset: default, vim
//! theme = "light"           # a preset or a themes/<name>.toml in the config dir
//! read_only = true          # start in read-only mode
//! log_groups = ["/aws/lambda/orders-"]  # prefixes of log groups selected at start-up
//! profile = "prod"          # AWS profile
//! region = "eu-west-1"      # AWS region
//! live_tail = true          # CloudWatch Logs Live Tail instead of polling, where offered
//! calls_per_second = 2      # FilterLogEvents budget of the whole app (default 1; AWS: 5)
//! buffer_lines = 100000     # lines kept by the logs pane
//! late_window = "15m"       # events ingested up to this late are still delivered
//! deep_sweep_every = "75s"  # how often the tail looks back over the whole late window
//! quiet_poll = "5s"         # a group with no new events is polled this often (or less)
//! clipboard = "osc52"       # `y` copies through the terminal (OSC 52); default: a file
//! insights_price_per_gb = 0.0063   # what a Logs Insights GB scanned costs you (default 0.005)
//!
//! [insights_queries]        # saved Logs Insights queries: replace a shipped one or add
//! cold-starts = "filter @type = \"REPORT\" and ispresent(@initDuration) | stats count(*) by @log"
//! ```
//!
//! Command-line flags win over these.

use toml::Spanned;
use toml::de::DeValue;

use super::error::ConfigError;
use super::toml_source::{TomlSource, entries_in_file_order};

const KEYS: [&str; 15] = [
    "keymap",
    "theme",
    "read_only",
    "log_groups",
    "profile",
    "region",
    "live_tail",
    "calls_per_second",
    "buffer_lines",
    "late_window",
    "deep_sweep_every",
    "quiet_poll",
    "clipboard",
    "insights_price_per_gb",
    "insights_queries",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Keymap preset name; `"default"` unless set.
    pub keymap: String,
    /// Theme name; `"dark"` unless set.
    pub theme: String,
    pub read_only: bool,
    /// Log-group name prefixes to select at start-up.
    pub log_groups: Vec<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub live_tail: bool,
    pub calls_per_second: Option<f64>,
    pub buffer_lines: Option<usize>,
    /// The tail's late window, deep sweep interval and quiet poll (ms).
    pub late_window_ms: Option<i64>,
    pub deep_sweep_every_ms: Option<i64>,
    pub quiet_poll_ms: Option<i64>,
    /// `clipboard = "osc52"`: copy through the terminal instead of to a file.
    pub clipboard_osc52: bool,
    /// Dollars per GB a Logs Insights query scans.
    pub insights_price_per_gb: Option<f64>,
    /// Saved queries (name, query) over the shipped ones.
    pub insights_queries: Vec<(String, String)>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            keymap: "default".to_string(),
            theme: "dark".to_string(),
            read_only: false,
            log_groups: Vec::new(),
            profile: None,
            region: None,
            live_tail: false,
            calls_per_second: None,
            buffer_lines: None,
            late_window_ms: None,
            deep_sweep_every_ms: None,
            quiet_poll_ms: None,
            clipboard_osc52: false,
            insights_price_per_gb: None,
            insights_queries: Vec::new(),
        }
    }
}

/// Where a preset name came from, for error messages: `path:line`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingOrigins {
    pub keymap: Option<String>,
    pub theme: Option<String>,
}

/// Parses `config.toml`; unknown keys and wrong types are errors with the line.
pub fn parse_settings(source: &TomlSource) -> Result<(Settings, SettingOrigins), ConfigError> {
    let table = source.parse()?;
    let mut settings = Settings::default();
    let mut origins = SettingOrigins::default();
    for (key, value) in entries_in_file_order(&table) {
        let name: &str = key.get_ref();
        let origin = Some(source.location(value.span()).to_string());
        match name {
            "keymap" => {
                settings.keymap = source.expect_str(name, value)?.to_string();
                origins.keymap = origin;
            }
            "theme" => {
                settings.theme = source.expect_str(name, value)?.to_string();
                origins.theme = origin;
            }
            "read_only" => {
                settings.read_only = value.get_ref().as_bool().ok_or_else(|| {
                    source.invalid(value.span(), "`read_only` must be true or false")
                })?;
            }
            "log_groups" => settings.log_groups = string_list(source, name, value)?,
            "profile" => settings.profile = Some(source.expect_str(name, value)?.to_string()),
            "region" => settings.region = Some(source.expect_str(name, value)?.to_string()),
            "live_tail" => {
                settings.live_tail = value.get_ref().as_bool().ok_or_else(|| {
                    source.invalid(value.span(), "`live_tail` must be true or false")
                })?;
            }
            "calls_per_second" => {
                let rate = number(value).filter(|r| r.is_finite() && *r > 0.0 && *r <= 100.0);
                settings.calls_per_second = Some(rate.ok_or_else(|| {
                    source.invalid(
                        value.span(),
                        "`calls_per_second` must be a number above 0 (AWS allows 5)",
                    )
                })?);
            }
            "buffer_lines" => {
                let lines = match value.get_ref() {
                    DeValue::Integer(i) => i.as_str().parse::<usize>().ok(),
                    _ => None,
                }
                .filter(|n| *n > 0);
                settings.buffer_lines = Some(lines.ok_or_else(|| {
                    source.invalid(
                        value.span(),
                        "`buffer_lines` must be a whole number above 0",
                    )
                })?);
            }
            "late_window" => {
                settings.late_window_ms = Some(duration(source, name, value, 0, 2 * HOUR_MS)?);
            }
            "deep_sweep_every" => {
                settings.deep_sweep_every_ms =
                    Some(duration(source, name, value, 10_000, HOUR_MS)?);
            }
            "quiet_poll" => {
                settings.quiet_poll_ms = Some(duration(source, name, value, 1_000, 10 * 60_000)?);
            }
            "clipboard" => {
                settings.clipboard_osc52 = match source.expect_str(name, value)? {
                    "osc52" => true,
                    "file" => false,
                    _ => {
                        return Err(source.invalid(
                            value.span(),
                            "`clipboard` must be \"osc52\" (through the terminal) or \"file\"",
                        ));
                    }
                };
            }
            "insights_price_per_gb" => {
                let price = number(value).filter(|p| p.is_finite() && (0.0..=1.0).contains(p));
                settings.insights_price_per_gb = Some(price.ok_or_else(|| {
                    source.invalid(
                        value.span(),
                        "`insights_price_per_gb` must be dollars per GB, from 0 to 1 (AWS: 0.005)",
                    )
                })?);
            }
            "insights_queries" => settings.insights_queries = query_table(source, value)?,
            _ => return Err(source.unknown_key(key, KEYS)),
        }
    }
    Ok((settings, origins))
}

const HOUR_MS: i64 = 3_600_000;

/// A duration string ("15m", "75s") between `min_ms` and `max_ms`.
fn duration(
    source: &TomlSource,
    key: &str,
    value: &Spanned<DeValue<'_>>,
    min_ms: i64,
    max_ms: i64,
) -> Result<i64, ConfigError> {
    use crate::state::shared::durations::{parse_duration_ms, short_duration};
    let bad = || {
        source.invalid(
            value.span(),
            format!(
                "`{key}` must be a duration from {} to {}, e.g. \"90s\" or \"15m\"",
                short_duration(min_ms),
                short_duration(max_ms)
            ),
        )
    };
    let text = value.get_ref().as_str().ok_or_else(bad)?;
    match parse_duration_ms(text) {
        Some(Ok(ms)) if (min_ms..=max_ms).contains(&ms) => Ok(ms),
        _ => Err(bad()),
    }
}

/// A TOML integer or float as `f64`.
fn number(value: &Spanned<DeValue<'_>>) -> Option<f64> {
    match value.get_ref() {
        DeValue::Integer(i) => i.as_str().parse::<f64>().ok(),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

/// `[insights_queries]`: name = "query", each a non-empty string.
fn query_table(
    source: &TomlSource,
    value: &Spanned<DeValue<'_>>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let message = "`[insights_queries]` must be a table of name = \"query\"";
    let DeValue::Table(table) = value.get_ref() else {
        return Err(source.invalid(value.span(), message));
    };
    let mut out = Vec::new();
    for (name, query) in entries_in_file_order(table) {
        let text = query
            .get_ref()
            .as_str()
            .filter(|q| !q.trim().is_empty())
            .ok_or_else(|| source.invalid(query.span(), message))?;
        out.push((name.get_ref().to_string(), text.trim().to_string()));
    }
    Ok(out)
}

fn string_list(
    source: &TomlSource,
    key: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Vec<String>, ConfigError> {
    let message = format!("`{key}` must be a list of strings");
    let array = value
        .get_ref()
        .as_array()
        .ok_or_else(|| source.invalid(value.span(), message.clone()))?;
    array
        .iter()
        .map(|item| {
            item.get_ref()
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| source.invalid(item.span(), message.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, String> {
        parse_settings(&TomlSource::new("config.toml", text))
            .map(|(settings, _)| settings)
            .map_err(|err| err.to_string())
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(parse(""), Ok(Settings::default()));
    }

    #[test]
    fn reads_every_key() {
        let text = "keymap = \"vim\"\ntheme = \"light\"\nread_only = true\n\
                    log_groups = [\"/aws/lambda/a-\"]\nprofile = \"p\"\nregion = \"r\"\n\
                    live_tail = true\ncalls_per_second = 3\nbuffer_lines = 5000\n";
        let expected = Settings {
            keymap: "vim".into(),
            theme: "light".into(),
            read_only: true,
            log_groups: vec!["/aws/lambda/a-".into()],
            profile: Some("p".into()),
            region: Some("r".into()),
            live_tail: true,
            calls_per_second: Some(3.0),
            buffer_lines: Some(5000),
            ..Settings::default()
        };
        assert_eq!(parse(text), Ok(expected));
        assert_eq!(
            parse("calls_per_second = 0.5\n").map(|s| s.calls_per_second),
            Ok(Some(0.5))
        );
    }

    #[test]
    fn budgets_and_sizes_are_checked() {
        assert_eq!(
            parse("calls_per_second = 0\n"),
            Err("config.toml:1: `calls_per_second` must be a number above 0 (AWS allows 5)".into())
        );
        assert_eq!(
            parse("buffer_lines = -3\n"),
            Err("config.toml:1: `buffer_lines` must be a whole number above 0".into())
        );
        assert_eq!(
            parse("live_tail = 1\n"),
            Err("config.toml:1: `live_tail` must be true or false".into())
        );
    }

    #[test]
    fn tail_windows_are_durations_within_bounds() {
        let text = "late_window = \"20m\"\ndeep_sweep_every = \"60s\"\nquiet_poll = \"10s\"\n";
        let settings = parse(text).unwrap();
        assert_eq!(
            (
                settings.late_window_ms,
                settings.deep_sweep_every_ms,
                settings.quiet_poll_ms
            ),
            (Some(1_200_000), Some(60_000), Some(10_000))
        );
        assert_eq!(
            parse("quiet_poll = \"1ms\"\n"),
            Err("config.toml:1: `quiet_poll` must be a duration from 1s to 10m, e.g. \"90s\" or \"15m\"".into())
        );
        assert!(
            parse("late_window = 15\n")
                .unwrap_err()
                .contains("e.g. \"90s\"")
        );
        assert!(parse("deep_sweep_every = \"3h\"\n").is_err());
        assert_eq!(
            parse("clipboard = \"osc52\"\n").map(|s| s.clipboard_osc52),
            Ok(true)
        );
        assert!(parse("clipboard = \"xclip\"\n").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_types_name_the_line() {
        assert_eq!(
            parse("theme = \"dark\"\nkeymapp = \"vim\"\n"),
            Err("config.toml:2: unknown key \"keymapp\" (did you mean \"keymap\"?)".into())
        );
        assert_eq!(
            parse("read_only = \"yes\"\n"),
            Err("config.toml:1: `read_only` must be true or false".into())
        );
    }
}
