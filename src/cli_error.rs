//! Command-line errors as one line on stderr, and pygen's exit codes.
//!
//! clap's own messages span several lines (the error, the possible values,
//! a tip, a usage line, a pointer to `--help`). Outside checks and shell
//! users want one line they can read or grep, so every refusal is folded
//! into `pygen: <what was wrong>; <what would be right>`: the valid
//! choices when there are a few, else the usage line.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The exit code for bad command-line input, as clap and most Unix tools
/// use it.
pub const USAGE: i32 = 2;

/// The exit code for a backend that disagrees with CPython: a protocol row
/// failed in `pygen compare`, or `pygen transcript --impl all` marked a
/// line.
pub const DISAGREE: i32 = 1;

/// The exit code for a refusal of the environment rather than of the
/// command line: the address is in use or not allowed, a host name does
/// not resolve, the output cannot be written. Distinct from [`USAGE`] so a
/// script can tell "fix the command" from "fix the machine".
pub const ENVIRONMENT: i32 = 3;

/// What `pygen --help` says about exit codes; kept beside the constants
/// so the two cannot drift apart.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  a backend disagreed with CPython (compare, transcript --impl all)
  2  the command line was wrong: one line on stderr says what, and what
     would be right
  3  the environment refused: the address is in use or not permitted, a
     host name does not resolve, the output cannot be written";

/// Fold a clap error into one line: the text before the first blank line,
/// whitespace runs collapsed, without clap's `error: ` prefix.
pub fn one_line(rendered: &str) -> String {
    let head = rendered.split("\n\n").next().unwrap_or_default();
    let words: Vec<&str> = head.split_whitespace().collect();
    let line = words.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_owned()
}

/// The one line for a clap error: clap's own description of what was
/// wrong, a suggestion if clap has one, and what would be right. `cli` is
/// the whole command (`Cli::command()`), whose subcommands are listed when
/// the subcommand is the mistake.
pub fn explain(error: &clap::Error, cli: &clap::Command) -> String {
    let mut line = one_line(&error.render().to_string());
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| match error.get(kind) {
        Some(ContextValue::String(one)) => Some(one.clone()),
        Some(ContextValue::Strings(many)) => many.first().cloned(),
        _ => None,
    });
    if let Some(suggested) = suggested {
        line.push_str(&format!(" (did you mean '{suggested}'?)"));
    }
    match error.kind() {
        ErrorKind::InvalidSubcommand => {
            let names: Vec<&str> = cli
                .get_subcommands()
                .filter(|command| !command.is_hide_set())
                .map(|command| command.get_name())
                .collect();
            let name = cli.get_name();
            line.push_str(&format!(
                "; the subcommands are {}; see '{name} --help'",
                names.join(", ")
            ));
        }
        // A missing value (`--count` last on the line) with no possible
        // values to list: say what the option takes, from its help.
        ErrorKind::InvalidValue if !line.contains("possible values") => {
            if let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg)
                && let Some(help) = arg_help(cli, arg)
            {
                line.push_str(&format!("; {arg} is {help}"));
            }
        }
        // clap's line already names the possible values, or the rule the
        // value broke (`must be a non-negative whole number`).
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {}
        _ => {
            if let Some(usage) = error.get(ContextKind::Usage) {
                let usage = one_line(&usage.to_string());
                let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
                line.push_str(&format!("; usage: {usage}"));
            }
        }
    }
    line
}

/// The first sentence of the help of the option clap renders as
/// `rendered` (`--count <COUNT>`), in any subcommand of `cli`, with a
/// lowercase first letter and no full stop, to follow "is".
fn arg_help(cli: &clap::Command, rendered: &str) -> Option<String> {
    // An argument renders as clap does only once its command is built.
    let mut cli = cli.clone();
    cli.build();
    let arg = std::iter::once(&cli)
        .chain(cli.get_subcommands())
        .flat_map(|command| command.get_arguments())
        .find(|arg| arg.to_string() == rendered)?;
    let help = arg.get_help()?.to_string();
    let sentence = help
        .split(". ")
        .next()
        .unwrap_or(&help)
        .trim_end_matches('.');
    let mut chars = sentence.chars();
    let first = chars.next()?;
    Some(first.to_lowercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::{explain, one_line};

    #[test]
    fn clap_messages_fold_into_one_line() {
        let rendered = "error: invalid value 'x' for '--impl <IMPL>'\n  [possible values: genawaiter, async-stream, nightly]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(rendered),
            "invalid value 'x' for '--impl <IMPL>' [possible values: genawaiter, async-stream, nightly]"
        );
    }

    fn command() -> clap::Command {
        clap::Command::new("tool")
            .subcommand(clap::Command::new("alpha").arg(clap::Arg::new("name").required(true)))
            .subcommand(clap::Command::new("beta"))
    }

    fn refusal(args: &[&str]) -> String {
        let error = command().try_get_matches_from(args).expect_err("refused");
        explain(&error, &command())
    }

    #[test]
    fn a_wrong_subcommand_lists_the_right_ones() {
        assert_eq!(
            refusal(&["tool", "gamma"]),
            "unrecognized subcommand 'gamma'; the subcommands are alpha, beta; see 'tool --help'"
        );
        assert_eq!(
            refusal(&["tool", "alpah"]),
            "unrecognized subcommand 'alpah' (did you mean 'alpha'?); the subcommands are alpha, beta; see 'tool --help'"
        );
    }

    #[test]
    fn a_missing_value_gets_the_options_help() {
        let cli = clap::Command::new("tool").subcommand(
            clap::Command::new("alpha").arg(
                clap::Arg::new("count")
                    .long("count")
                    .help("How many to make: a whole number. Zero makes none."),
            ),
        );
        let error = cli
            .clone()
            .try_get_matches_from(["tool", "alpha", "--count"])
            .expect_err("refused");
        assert_eq!(
            explain(&error, &cli),
            "a value is required for '--count <count>' but none was supplied; --count <count> is how many to make: a whole number"
        );
    }

    #[test]
    fn a_missing_argument_gets_the_usage_line() {
        assert_eq!(
            refusal(&["tool", "alpha"]),
            "the following required arguments were not provided: <name>; usage: tool alpha <name>"
        );
    }
}
