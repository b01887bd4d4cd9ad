//! Command-line arguments of `unstuck functions`, `alarms`, `canaries`, `rum` and
//! `overview`.

use clap::Args;
use unstuck_aws::model::functions::MetricWindow;

use crate::cli::{AwsArgs, OutputFormat};

/// `15m`, `1h`, `3h` or `24h`.
pub fn parse_window(text: &str) -> Result<MetricWindow, String> {
    MetricWindow::parse(text).ok_or_else(|| format!("{text}: the window is 15m, 1h, 3h or 24h"))
}

#[derive(Debug, Clone, Args)]
pub struct WindowedArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// How far back the numbers go: 15m, 1h, 3h or 24h.
    #[arg(long, default_value = "1h", value_parser = parse_window)]
    pub window: MetricWindow,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct SignalsArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}
