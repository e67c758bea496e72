//! Line-by-line reading with line numbers, a byte count for progress, and a cap on line length
//! so that a corrupt file without line breaks cannot exhaust memory.

use std::io::{self, BufRead, Read};

/// Longer lines are reported as malformed and skipped (the longest kaikki.org lines are a few
/// hundred kilobytes).
pub(crate) const MAX_LINE_BYTES: u64 = 8 * 1024 * 1024;

pub(crate) struct Line {
    /// 1-based.
    pub(crate) number: u64,
    /// The line without its line break, or why it cannot be used (not UTF-8, too long).
    pub(crate) text: Result<String, String>,
}

pub(crate) struct LineReader<R> {
    inner: R,
    number: u64,
    bytes_read: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            number: 0,
            bytes_read: 0,
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub(crate) fn lines_read(&self) -> u64 {
        self.number
    }

    /// The next line; `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let read = (&mut self.inner)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        self.bytes_read += read as u64;
        if bytes.last() != Some(&b'\n') && read as u64 == MAX_LINE_BYTES {
            self.skip_rest_of_line()?;
            let reason = format!("line longer than {MAX_LINE_BYTES} bytes");
            return Ok(Some(self.line(Err(reason))));
        }
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "invalid UTF-8 at byte {} of the line",
                e.utf8_error().valid_up_to()
            )
        });
        Ok(Some(self.line(text)))
    }

    fn line(&self, text: Result<String, String>) -> Line {
        Line {
            number: self.number,
            text,
        }
    }

    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            let (consumed, done) = {
                let buffer = self.inner.fill_buf()?;
                match buffer.iter().position(|&b| b == b'\n') {
                    Some(at) => (at + 1, true),
                    None => (buffer.len(), buffer.is_empty()),
                }
            };
            self.inner.consume(consumed);
            self.bytes_read += consumed as u64;
            if done {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_stripped_of_line_breaks() -> io::Result<()> {
        let mut reader = LineReader::new(&b"one\r\ntwo\n\nthree"[..]);
        let mut seen = Vec::new();
        while let Some(line) = reader.next_line()? {
            seen.push((line.number, line.text));
        }
        assert_eq!(
            seen,
            vec![
                (1, Ok("one".to_owned())),
                (2, Ok("two".to_owned())),
                (3, Ok(String::new())),
                (4, Ok("three".to_owned())),
            ]
        );
        assert_eq!(reader.bytes_read(), 15);
        Ok(())
    }

    #[test]
    fn invalid_utf8_is_reported_for_that_line_only() -> io::Result<()> {
        let mut reader = LineReader::new(&b"ok\nbad \xff\nok again\n"[..]);
        let lines: Vec<Line> =
            std::iter::from_fn(|| reader.next_line().transpose()).collect::<io::Result<_>>()?;
        assert!(lines[0].text.is_ok());
        assert_eq!(
            lines[1].text,
            Err("invalid UTF-8 at byte 4 of the line".to_owned())
        );
        assert_eq!(lines[2].text, Ok("ok again".to_owned()));
        Ok(())
    }
}
