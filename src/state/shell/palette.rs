//! The `:` command palette: commands declared as data by the shell and by each pane, one
//! parser, one completer. Errors are typed; "did you mean" is the config errors' function.

use std::fmt;

use unstuck_views::props::Completion;

use crate::config::Suggestion;

/// What a command's argument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// Must be given; `what` names it in errors ("a theme name").
    Required {
        what: &'static str,
    },
    /// May be given.
    Optional {
        what: &'static str,
    },
}

/// One `:` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arg: ArgKind,
    /// The argument as shown in help: `TIME`, `[PATH]`.
    pub usage: &'static str,
    pub help: &'static str,
}

impl CommandSpec {
    pub const fn new(name: &'static str, help: &'static str) -> Self {
        Self {
            name,
            aliases: &[],
            arg: ArgKind::None,
            usage: "",
            help,
        }
    }

    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }

    pub const fn required(mut self, usage: &'static str, what: &'static str) -> Self {
        self.arg = ArgKind::Required { what };
        self.usage = usage;
        self
    }

    pub const fn optional(mut self, usage: &'static str, what: &'static str) -> Self {
        self.arg = ArgKind::Optional { what };
        self.usage = usage;
        self
    }

    pub fn takes_argument(&self) -> bool {
        self.arg != ArgKind::None
    }

    fn answers_to(&self, typed: &str) -> bool {
        self.name == typed || self.aliases.contains(&typed)
    }
}

/// Who declared a command: the shell, or a pane (by index in the tables handed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner(pub usize);

/// A parsed line: whose command, which, and its argument (trimmed; empty when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub owner: Owner,
    pub spec: &'static CommandSpec,
    pub arg: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteError {
    Empty,
    Unknown {
        typed: String,
        nearest: Suggestion,
    },
    MissingArgument {
        name: &'static str,
        what: &'static str,
    },
    UnexpectedArgument {
        name: &'static str,
    },
    /// The command's own check of its argument failed ("cannot read 'x' as a time").
    BadArgument(String),
}

impl fmt::Display for PaletteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "type a command; tab completes, ? lists them"),
            Self::Unknown { typed, nearest } => write!(f, "unknown command \"{typed}\"{nearest}"),
            Self::MissingArgument { name, what } => write!(f, "{name} needs {what}"),
            Self::UnexpectedArgument { name } => write!(f, "{name} takes no argument"),
            Self::BadArgument(text) => write!(f, "{text}"),
        }
    }
}

/// Split a line into its command name and argument.
fn split(line: &str) -> (&str, &str) {
    let line = line.trim();
    match line.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, arg.trim()),
        None => (line, ""),
    }
}

/// The command `name` (or an alias) names, and whose table it is in.
fn find(name: &str, tables: &[&'static [CommandSpec]]) -> Option<(Owner, &'static CommandSpec)> {
    tables.iter().enumerate().find_map(|(owner, table)| {
        table
            .iter()
            .find(|spec| spec.answers_to(name))
            .map(|spec| (Owner(owner), spec))
    })
}

/// Parse `line` against every table (the shell's first, then each pane's).
pub fn parse<'a>(
    line: &'a str,
    tables: &[&'static [CommandSpec]],
) -> Result<Parsed<'a>, PaletteError> {
    let (name, arg) = split(line);
    if name.is_empty() {
        return Err(PaletteError::Empty);
    }
    let Some((owner, spec)) = find(name, tables) else {
        let names = tables.iter().flat_map(|t| t.iter().map(|s| s.name));
        return Err(PaletteError::Unknown {
            typed: name.to_string(),
            nearest: Suggestion::nearest(name, names),
        });
    };
    match spec.arg {
        ArgKind::Required { what } if arg.is_empty() => Err(PaletteError::MissingArgument {
            name: spec.name,
            what,
        }),
        ArgKind::None if !arg.is_empty() => {
            Err(PaletteError::UnexpectedArgument { name: spec.name })
        }
        _ => Ok(Parsed { owner, spec, arg }),
    }
}

/// Completions of `text`: command names (with what they do) while no space is typed, then
/// the values `argument_values` offers for the command's argument.
pub fn completions(
    text: &str,
    tables: &[&'static [CommandSpec]],
    argument_values: impl FnOnce(Owner, &'static CommandSpec) -> Vec<String>,
) -> Vec<Completion> {
    match text.split_once(' ') {
        None => tables
            .iter()
            .flat_map(|t| t.iter())
            .filter(|spec| spec.name.starts_with(text))
            .map(|spec| Completion {
                text: spec.name.to_string(),
                desc: describe(spec),
            })
            .collect(),
        Some((name, arg)) => {
            let arg = arg.trim_start();
            let Some((owner, spec)) = find(name, tables) else {
                return Vec::new();
            };
            argument_values(owner, spec)
                .into_iter()
                .filter(|v| v.starts_with(arg))
                .map(|v| Completion {
                    text: format!("{name} {v}"),
                    desc: String::new(),
                })
                .collect()
        }
    }
}

/// `TIME — jump to a time`, for completion and help.
pub fn describe(spec: &CommandSpec) -> String {
    if spec.usage.is_empty() {
        spec.help.to_string()
    } else {
        format!("{} — {}", spec.usage, spec.help)
    }
}

/// What Tab turns the input into: the only candidate (plus a space when its command takes
/// an argument), or the longest common prefix of several.
pub fn complete(
    text: &str,
    candidates: &[Completion],
    tables: &[&'static [CommandSpec]],
) -> Option<String> {
    match candidates {
        [] => None,
        [only] => {
            let takes_arg = !only.text.contains(' ')
                && tables
                    .iter()
                    .flat_map(|t| t.iter())
                    .any(|s| s.name == only.text && s.takes_argument());
            Some(if takes_arg {
                format!("{} ", only.text)
            } else {
                only.text.clone()
            })
        }
        [first, rest @ ..] => {
            let first = first.text.as_str();
            let mut common = first.len();
            for c in rest {
                common = first
                    .char_indices()
                    .zip(c.text.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8())
                    .min(common);
            }
            let prefix = &first[..common];
            (prefix.len() > text.len()).then(|| prefix.to_string())
        }
    }
}
