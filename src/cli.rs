//! Command-line interface.

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "unstuck",
    version,
    about = "A terminal UI for observing and operating serverless apps on AWS",
    long_about = "A terminal UI for observing and operating serverless apps on AWS.\n\n\
        Uses the standard AWS credential chain (environment, profiles, SSO, assume-role). \
        --demo runs against an embedded simulated serverless app and needs no account."
)]
pub struct Cli {
    /// Run against the embedded simulated tax-return app (no AWS account needed).
    #[arg(long)]
    pub demo: bool,

    /// AWS profile to use (default: the standard credential chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region (default: from the profile or AWS_REGION).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint (LocalStack, moto). Per-service
    /// AWS_ENDPOINT_URL_<SERVICE> variables work when this is not given.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Disable every action that changes anything in AWS.
    #[arg(long)]
    pub read_only: bool,

    /// Keymap preset or user keymap name (default from config.toml, else "default").
    #[arg(long, value_name = "NAME")]
    pub keymap: Option<String>,

    /// Theme name (default from config.toml, else "dark").
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,

    /// Tail every log group whose name starts with PREFIX (repeatable).
    #[arg(long = "log-group", value_name = "PREFIX")]
    pub log_groups: Vec<String>,

    /// Lines kept in the logs pane before the oldest are dropped.
    #[arg(long, value_name = "LINES")]
    pub buffer_lines: Option<usize>,

    /// Seed of the demo world (the same seed gives the same world).
    #[arg(long, default_value_t = 7, hide = true)]
    pub seed: u64,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Print an embedded preset (to start a config of your own from it).
    Defaults {
        #[arg(value_enum)]
        kind: PresetArg,
        /// Preset name (default: "default" keymap, "dark" theme).
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    Keymap,
    Theme,
}
