//! `pygen transcript --impl all`: one op script through the three backends
//! and through CPython, shown side by side, with the lines where they
//! differ marked.
//!
//! CPython's side is `tests/oracle.py`, built into the binary and run as
//! `python3 -I -c ORACLE DEMO OP...`, so the command works from any
//! directory; `-I` (isolated mode) keeps that directory off `sys.path`,
//! so a `json.py` there is not imported in place of the standard
//! library's. Without `python3` the three backends are still compared
//! with each other.

use std::fmt::{Display, Write as _};
use std::io;
use std::process::{Command, Stdio};

use pygen_demos::{AsyncDemo, AsyncOp, Demo, Log, Op, async_transcript, transcript};

use crate::Backend;

/// The oracle: the demo generators in Python, printing one transcript line
/// per op for `python3 -I -c ORACLE DEMO OP...`.
pub const ORACLE: &str = include_str!("../tests/oracle.py");

/// One column of the table: whose transcript, and its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// `genawaiter`, ..., `CPython`.
    pub name: String,
    /// The transcript, one line per op: `next: yield 3`.
    pub lines: Vec<String>,
}

/// Each backend's transcript of `ops` on `demo`, in [`Backend::ALL`]'s
/// order.
pub fn backend_columns(demo: Demo, ops: &[Op]) -> Vec<Column> {
    Backend::ALL
        .iter()
        .map(|&backend| {
            let log = Log::new();
            let mut generator = backend.demo(demo, &log);
            Column {
                name: backend.name().to_owned(),
                lines: transcript(&mut *generator, &log, ops),
            }
        })
        .collect()
}

/// Each backend's transcript of the async `ops` on `demo`, in
/// [`Backend::ALL`]'s order.
pub fn async_backend_columns(demo: AsyncDemo, ops: &[AsyncOp]) -> Vec<Column> {
    Backend::ALL
        .iter()
        .map(|&backend| {
            let log = Log::new();
            let mut generator = backend.async_demo(demo, &log);
            Column {
                name: backend.name().to_owned(),
                lines: async_transcript(&mut *generator, &log, ops),
            }
        })
        .collect()
}

/// CPython's transcript of `ops` on `demo` (a generator's or an async
/// generator's), or why there is none, as the rest of a line that starts
/// "pygen: ".
pub fn cpython_column<O: Display>(demo: impl Display, ops: &[O]) -> Result<Column, String> {
    let output = Command::new("python3")
        .arg("-I")
        .arg("-c")
        .arg(ORACLE)
        .arg(demo.to_string())
        .args(ops.iter().map(O::to_string))
        .stdin(Stdio::null())
        .output()
        .map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => {
                "python3 not found: the three backends are shown without CPython".to_owned()
            }
            _ => format!(
                "cannot run python3 ({error}): the three backends are shown without CPython"
            ),
        })?;
    let failed = |why: String| {
        format!("CPython's oracle failed ({why}): the three backends are shown without CPython")
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|line| !line.trim().is_empty());
        return Err(failed(match last {
            Some(line) => format!("{}: {}", output.status, line.trim()),
            None => output.status.to_string(),
        }));
    }
    let text = String::from_utf8(output.stdout).map_err(|_| failed("output not UTF-8".into()))?;
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.len() != ops.len() {
        return Err(failed(format!(
            "{} lines for {} ops",
            lines.len(),
            ops.len()
        )));
    }
    Ok(Column {
        name: "CPython".to_owned(),
        lines,
    })
}

/// The table, and on how many lines the columns differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideBySide {
    /// A header, one line per op, and a last line that says whether the
    /// columns agree.
    pub text: String,
    /// How many ops' lines are not the same in every column.
    pub differing: usize,
}

/// The mark at the start of a line where the columns differ.
pub const MARK: char = '!';

/// Lay `columns` out side by side, one row per op: the op once, then each
/// column's outcome (the line without its `op: ` prefix). A row whose
/// lines are not all the same starts with [`MARK`].
pub fn side_by_side<O: Display>(ops: &[O], columns: &[Column]) -> SideBySide {
    let op_names: Vec<String> = ops.iter().map(O::to_string).collect();
    let cell = |column: &Column, row: usize| -> String {
        match column.lines.get(row) {
            Some(line) => {
                let prefix = format!("{}: ", op_names[row]);
                line.strip_prefix(&prefix).unwrap_or(line).to_owned()
            }
            None => "(no line)".to_owned(),
        }
    };
    let cells: Vec<Vec<String>> = (0..ops.len())
        .map(|row| columns.iter().map(|column| cell(column, row)).collect())
        .collect();
    let op_width = op_names
        .iter()
        .map(String::len)
        .chain([2])
        .max()
        .unwrap_or(2);
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([column.name.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();

    let mut text = String::new();
    let mut line = |mark: char, op: &str, row: &[String]| {
        let mut out = format!("{mark} {op:op_width$}");
        for (value, width) in row.iter().zip(&widths) {
            let _ = write!(out, "   {value:width$}");
        }
        // Padding the last column would leave trailing spaces.
        let _ = writeln!(text, "{}", out.trim_end());
    };
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    line(' ', "op", &names);
    let mut differing = 0;
    for (row, op) in op_names.iter().enumerate() {
        // Whole lines are compared, so a column whose line does not start
        // with the op is a difference too.
        let first = columns.first().and_then(|c| c.lines.get(row));
        let same = columns.iter().all(|c| c.lines.get(row) == first);
        if !same {
            differing += 1;
        }
        line(if same { ' ' } else { MARK }, op, &cells[row]);
    }
    let _ = match differing {
        0 => writeln!(
            text,
            "all {} transcripts agree on every line",
            columns.len()
        ),
        1 => writeln!(text, "{MARK} marks the line where they differ"),
        n => writeln!(text, "{MARK} marks the {n} lines where they differ"),
    };
    SideBySide { text, differing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pygen_demos::parse_ops;

    fn column(name: &str, lines: &[&str]) -> Column {
        Column {
            name: name.to_owned(),
            lines: lines.iter().map(|&l| l.to_owned()).collect(),
        }
    }

    #[test]
    fn agreeing_columns_are_laid_out_without_marks() {
        let ops = parse_ops(["next", "close"]).expect("ops");
        let table = side_by_side(
            &ops,
            &[
                column(
                    "one",
                    &["next: yield 'waiting'", "close: log 'cleanup'; closed"],
                ),
                column(
                    "two",
                    &["next: yield 'waiting'", "close: log 'cleanup'; closed"],
                ),
            ],
        );
        assert_eq!(table.differing, 0);
        assert_eq!(
            table.text,
            "  op      one                     two\n\
             \x20 next    yield 'waiting'         yield 'waiting'\n\
             \x20 close   log 'cleanup'; closed   log 'cleanup'; closed\n\
             all 2 transcripts agree on every line\n"
        );
    }

    #[test]
    fn a_line_that_differs_is_marked() {
        let ops = parse_ops(["next", "send 5"]).expect("ops");
        let table = side_by_side(
            &ops,
            &[
                column("a", &["next: yield None", "send 5: yield 5"]),
                column("b", &["next: yield None", "send 5: yield 6"]),
                column("c", &["next: yield None"]),
            ],
        );
        assert_eq!(table.differing, 1);
        let lines: Vec<&str> = table.text.lines().collect();
        assert!(lines[1].starts_with("  next"), "{lines:?}");
        assert!(lines[2].starts_with("! send 5"), "{lines:?}");
        assert!(
            lines[2].ends_with("yield 5      yield 6      (no line)"),
            "{lines:?}"
        );
        assert_eq!(lines[3], "! marks the line where they differ");
    }
}
