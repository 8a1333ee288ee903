//! Command-line errors as one line on stderr and exit code 2.
//!
//! clap's own messages span several lines (the error, the possible values,
//! a usage hint). Outside checks and shell users want one line they can
//! read or grep, so every refusal is folded into `pygen: <message>`.

/// The exit code for bad command-line input, as clap and most Unix tools
/// use it.
pub const USAGE: i32 = 2;

/// Fold a clap error into one line: the text before the first blank line,
/// whitespace runs collapsed, without clap's `error: ` prefix.
pub fn one_line(rendered: &str) -> String {
    let head = rendered.split("\n\n").next().unwrap_or_default();
    let words: Vec<&str> = head.split_whitespace().collect();
    let line = words.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn clap_messages_fold_into_one_line() {
        let rendered = "error: invalid value 'x' for '--impl <IMPL>'\n  [possible values: genawaiter, async-stream, nightly]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(rendered),
            "invalid value 'x' for '--impl <IMPL>' [possible values: genawaiter, async-stream, nightly]"
        );
    }
}
