//! The `:` command palette: the commands, their completion, and parsing a command line.

use super::PaneId;

/// A parsed palette command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Pane(PaneId),
    Help,
    Quit,
    Theme(String),
    Follow,
    Pause,
    Filter(String),
    NoFilter,
    Prefix(String),
    Refresh,
}

/// (name, takes an argument, description) for completion and help.
pub const COMMANDS: &[(&str, bool, &str)] = &[
    ("logs", false, "merged logs of the chosen groups"),
    ("groups", false, "choose log groups"),
    ("help", false, "key bindings"),
    ("quit", false, "leave unstuck"),
    (
        "theme",
        true,
        "switch theme: dark, light, high-contrast, ...",
    ),
    ("follow", false, "follow new log lines"),
    ("pause", false, "stop following"),
    ("filter", true, "show only log lines matching a regex"),
    ("nofilter", false, "clear the log filter"),
    ("prefix", true, "tail every log group with this prefix"),
    ("refresh", false, "poll now"),
];

/// A command line's name and argument (trimmed, possibly empty).
#[derive(Debug, Clone, Copy)]
pub struct CommandLine<'a> {
    pub name: &'a str,
    pub arg: &'a str,
}

impl<'a> CommandLine<'a> {
    pub fn split(line: &'a str) -> Self {
        let line = line.trim();
        let (name, arg) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        Self { name, arg }
    }

    /// The argument, or "NAME needs WHAT" when there is none.
    pub fn need(&self, what: &str) -> Result<String, String> {
        if self.arg.is_empty() {
            Err(format!("{} needs {what}", self.name))
        } else {
            Ok(self.arg.to_string())
        }
    }
}

pub fn parse(line: &str) -> Result<Command, String> {
    let command = CommandLine::split(line);
    let name = command.name;
    let need_arg = |what: &str| command.need(what);
    match name {
        "logs" | "log" => Ok(Command::Pane(PaneId::Logs)),
        "groups" | "group" => Ok(Command::Pane(PaneId::Groups)),
        "help" | "?" => Ok(Command::Help),
        "quit" | "q" | "q!" | "exit" => Ok(Command::Quit),
        "theme" => need_arg("a theme name").map(Command::Theme),
        "follow" => Ok(Command::Follow),
        "pause" => Ok(Command::Pause),
        "filter" => need_arg("a regex").map(Command::Filter),
        "nofilter" => Ok(Command::NoFilter),
        "prefix" => need_arg("a log group name prefix").map(Command::Prefix),
        "refresh" => Ok(Command::Refresh),
        "" => Err("type a command; tab completes".to_string()),
        other => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.0).collect();
            let nearest = names
                .iter()
                .map(|n| (strsim::levenshtein(n, other), *n))
                .min()
                .filter(|(d, _)| *d <= 3)
                .map(|(_, n)| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            Err(format!("unknown command \"{other}\"{nearest}"))
        }
    }
}

/// Completion candidates for the text typed so far: command names, then the argument of
/// `theme` (theme names) and `prefix` (known log group names).
pub fn candidates(text: &str, themes: &[String], groups: &[&str]) -> Vec<String> {
    let names = COMMANDS.iter().map(|(name, _, _)| *name);
    complete_command(text, names, |name| match name {
        "theme" => themes.to_vec(),
        "prefix" => groups.iter().map(|g| g.to_string()).collect(),
        _ => Vec::new(),
    })
}

/// Completion of `text`: among command `names` while no space is typed, then among the
/// values `argument_values` offers for the command's argument.
pub fn complete_command<'a>(
    text: &str,
    names: impl Iterator<Item = &'a str>,
    argument_values: impl FnOnce(&str) -> Vec<String>,
) -> Vec<String> {
    match text.split_once(' ') {
        None => names
            .filter(|name| name.starts_with(text))
            .map(str::to_string)
            .collect(),
        Some((name, arg)) => {
            let arg = arg.trim_start();
            argument_values(name)
                .into_iter()
                .filter(|v| v.starts_with(arg))
                .map(|v| format!("{name} {v}"))
                .collect()
        }
    }
}

/// What Tab turns the input into: the only candidate (plus a space when it takes an
/// argument), or the longest common prefix of several.
pub fn complete(text: &str, candidates: &[String]) -> Option<String> {
    match candidates {
        [] => None,
        [only] => {
            let takes_arg = COMMANDS.iter().any(|(n, arg, _)| n == only && *arg);
            Some(if takes_arg {
                format!("{only} ")
            } else {
                only.clone()
            })
        }
        [first, rest @ ..] => {
            let mut common = first.len();
            for c in rest {
                common = first
                    .char_indices()
                    .zip(c.chars())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_suggests() {
        assert_eq!(parse("logs"), Ok(Command::Pane(PaneId::Logs)));
        assert_eq!(parse(" theme light "), Ok(Command::Theme("light".into())));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert_eq!(parse("theme"), Err("theme needs a theme name".into()));
        assert_eq!(
            parse("lgos"),
            Err("unknown command \"lgos\" (did you mean logs?)".into())
        );
    }

    #[test]
    fn completes_names_and_arguments() {
        assert_eq!(candidates("l", &[], &[]), ["logs"]);
        assert_eq!(
            complete("l", &candidates("l", &[], &[])),
            Some("logs".into())
        );
        assert_eq!(
            complete("th", &candidates("th", &[], &[])),
            Some("theme ".into())
        );
        let themes = vec!["dark".to_string(), "light".to_string()];
        assert_eq!(candidates("theme l", &themes, &[]), ["theme light"]);
        let groups = ["/aws/lambda/tax-a", "/aws/lambda/tax-b"];
        let c = candidates("prefix /aws", &[], &groups);
        assert_eq!(c.len(), 2);
        assert_eq!(
            complete("prefix /aws", &c),
            Some("prefix /aws/lambda/tax-".into())
        );
        assert_eq!(candidates("p", &[], &[]), ["pause", "prefix"]);
    }
}
