//! JSON Lines on stdin: the one line loop of every mode that reads them (`presign batch`,
//! `presign post --json-request`, `presign cors --stdin`) and their one exit rule.
//!
//! - Input is read as bytes, a line at a time (a line ends at `\n`; a `\r` before it is dropped),
//!   so a line that is not UTF-8 is one failed line, not the end of the run.
//! - Blank lines (only whitespace) are skipped: no output line, not counted.
//! - Each other line succeeds or fails on its own; a failed line never stops the run.
//! - Exit codes: see [`EXIT_RULE`].

use super::Failure;
use presign::Error;
use std::io::{BufRead, Write};

/// The exit rule of every JSON Lines mode, as `--help` and the README state it.
macro_rules! exit_rule {
    () => {
        "Exit codes (every JSON Lines mode): 0 every line succeeded; 1 some lines failed (a bad line \
         never stops the run: `batch` and `post --json-request` answer it in place with \
         {\"error\":{\"code\",\"message\"}}, a line that is not UTF-8 included; `cors --stdin` names it \
         on stderr and prints no rule); 2 usage error, or stdin could not be read or stdout written \
         (the run stops there). Blank lines are skipped."
    };
}
pub(crate) use exit_rule;

/// [`exit_rule!`] as a constant.
pub const EXIT_RULE: &str = exit_rule!();

/// How the lines of one run went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Lines that were not blank.
    pub lines: usize,
    /// Of those, the lines that failed.
    pub failed: usize,
}

impl Tally {
    /// The run's outcome under [`EXIT_RULE`]: `Ok` when no line failed, else exit 1 with `what`
    /// said about the failed lines.
    pub fn finish(self, what: &str) -> Result<(), Failure> {
        if self.failed == 0 {
            return Ok(());
        }
        Err(Failure::Lines(format!(
            "{} of {} lines failed; {what}",
            self.failed, self.lines
        )))
    }
}

/// Reads `input` to its end and calls `each(line_number, line)` for every line that is not blank
/// (`line_number` counts from 1 and includes blank lines; `line` is the text, or the error of a
/// line that is not UTF-8). `each` returns whether the line succeeded.
///
/// # Errors
/// [`Failure::Io`] when `input` cannot be read (the lines before were handled), or what `each`
/// returns to stop the run.
pub fn each_line(
    mut input: impl BufRead,
    mut each: impl FnMut(usize, Result<&str, Error>) -> Result<bool, Failure>,
) -> Result<Tally, Failure> {
    let mut tally = Tally::default();
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Failure::Io(format!("cannot read stdin: {e}")))?;
        if n == 0 {
            return Ok(tally);
        }
        number += 1;
        let mut line = buf.as_slice();
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l.strip_suffix(b"\r").unwrap_or(l);
        }
        let text = std::str::from_utf8(line)
            .map_err(|_| Error::InvalidRequest("the line is not UTF-8 text".into()));
        if text.as_ref().is_ok_and(|t| t.trim().is_empty()) {
            continue;
        }
        tally.lines += 1;
        if !each(number, text)? {
            tally.failed += 1;
        }
    }
}

/// The answering modes (`batch`, `post --json-request`): one output line per input line, in order
/// — `answer(text)` (a result or error object and whether it succeeded), or the error object of a
/// line that is not UTF-8 — then [`Tally::finish`].
///
/// # Errors
/// [`Failure::Io`] when stdin cannot be read or stdout written; [`Failure::Lines`] when some
/// lines failed.
pub fn answer_lines(
    input: impl BufRead,
    output: impl Write,
    mut answer: impl FnMut(&str) -> (String, bool),
) -> Result<(), Failure> {
    let mut out = std::io::BufWriter::new(output);
    let tally = each_line(input, |_, line| {
        let (json, ok) = match line {
            Ok(text) => answer(text),
            Err(e) => (presign::json::error_json(&e), false),
        };
        writeln!(out, "{json}").map_err(write_failed)?;
        Ok(ok)
    })?;
    out.flush().map_err(write_failed)?;
    tally.finish("their output lines hold the errors")
}

fn write_failed(e: std::io::Error) -> Failure {
    Failure::Io(format!("cannot write stdout: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line handed over: its number and its text, or its error's code.
    type Seen = Vec<(usize, Result<String, &'static str>)>;

    fn run(input: &[u8]) -> (Seen, Tally) {
        let mut seen = Seen::new();
        let tally = each_line(input, |n, line| {
            let ok = line.is_ok();
            seen.push((n, line.map(str::to_owned).map_err(|e| e.code())));
            Ok(ok)
        });
        (seen, tally.unwrap_or_default())
    }

    #[test]
    fn lines_are_bytes_blank_lines_skipped_crlf_dropped() {
        let (seen, tally) = run(b"a\r\n\xff\xfe\n \t\r\n\nb\n\xc3\xa9");
        assert_eq!(
            seen,
            vec![
                (1, Ok("a".to_owned())),
                (2, Err("INVALID_REQUEST")),
                (5, Ok("b".to_owned())),
                (6, Ok("é".to_owned())),
            ]
        );
        assert_eq!((tally.lines, tally.failed), (4, 1));
        assert!(tally.finish("x").is_err());
        let (seen, tally) = run(b"");
        assert!(seen.is_empty());
        assert!(tally.finish("x").is_ok());
    }
}
