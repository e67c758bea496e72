//! One sequential pass over the uncompressed `.dict` text, handing out byte ranges in
//! ascending offset order. Only the bytes between the current range's start and the furthest
//! end asked for are buffered, so memory stays at about one entry.

use std::io::{self, Read};

pub(crate) struct DictStream {
    inner: Box<dyn Read + Send>,
    /// Bytes from `start` on, not yet needed by an earlier range.
    buffer: Vec<u8>,
    start: u64,
    at_end: bool,
}

impl DictStream {
    pub(crate) fn new(inner: Box<dyn Read + Send>) -> Self {
        Self {
            inner,
            buffer: Vec::new(),
            start: 0,
            at_end: false,
        }
    }

    /// Uncompressed bytes read so far.
    pub(crate) fn position(&self) -> u64 {
        self.start + self.buffer.len() as u64
    }

    /// The bytes `offset..offset + length`, or `None` when the text ends before them. Offsets
    /// must not decrease from one call to the next.
    pub(crate) fn range(&mut self, offset: u64, length: u64) -> io::Result<Option<&[u8]>> {
        if offset < self.start {
            return Err(io::Error::other(format!(
                "dictd ranges out of order: {offset} after {}",
                self.start
            )));
        }
        self.discard_before(offset)?;
        let end = offset.saturating_add(length);
        self.fill_to(end)?;
        if self.position() < end {
            return Ok(None);
        }
        let from = usize::try_from(offset - self.start).map_err(io::Error::other)?;
        let to = usize::try_from(end - self.start).map_err(io::Error::other)?;
        Ok(self.buffer.get(from..to))
    }

    fn discard_before(&mut self, offset: u64) -> io::Result<()> {
        let buffered = (offset - self.start).min(self.buffer.len() as u64);
        self.buffer
            .drain(..usize::try_from(buffered).map_err(io::Error::other)?);
        self.start += buffered;
        if self.start < offset && !self.at_end {
            let gap = offset - self.start;
            let skipped = io::copy(&mut (&mut self.inner).take(gap), &mut io::sink())?;
            self.start += skipped;
            self.at_end = skipped < gap;
        }
        Ok(())
    }

    fn fill_to(&mut self, end: u64) -> io::Result<()> {
        let have = self.position();
        if have >= end || self.at_end {
            return Ok(());
        }
        let wanted = end - have;
        let read = (&mut self.inner)
            .take(wanted)
            .read_to_end(&mut self.buffer)?;
        self.at_end = (read as u64) < wanted;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(text: &'static str) -> DictStream {
        DictStream::new(Box::new(text.as_bytes()))
    }

    #[test]
    fn ranges_come_out_in_order_with_gaps_and_overlaps() -> io::Result<()> {
        let mut dict = stream("0123456789");
        assert_eq!(dict.range(1, 3)?, Some(&b"123"[..]));
        assert_eq!(dict.range(2, 3)?, Some(&b"234"[..]));
        assert_eq!(dict.range(2, 1)?, Some(&b"2"[..]));
        assert_eq!(dict.range(7, 2)?, Some(&b"78"[..]));
        assert_eq!(dict.position(), 9);
        Ok(())
    }

    #[test]
    fn a_range_past_the_end_is_none_and_later_ones_too() -> io::Result<()> {
        let mut dict = stream("0123456789");
        assert_eq!(dict.range(8, 5)?, None);
        assert_eq!(dict.range(8, 2)?, Some(&b"89"[..]));
        assert_eq!(dict.range(20, 1)?, None);
        Ok(())
    }

    #[test]
    fn going_backwards_is_an_error() -> io::Result<()> {
        let mut dict = stream("0123456789");
        dict.range(5, 1)?;
        assert!(dict.range(1, 1).is_err());
        Ok(())
    }
}
