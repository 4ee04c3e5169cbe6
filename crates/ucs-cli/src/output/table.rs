//! A table printed while its rows arrive: the first rows size the columns, later rows use
//! those widths (a longer cell just pushes its line wider), so memory stays bounded.

use std::io::{self, Write};

/// Rows kept to size the table's columns before the first line is printed.
const TABLE_SIZING_ROWS: usize = 200;

/// Space between columns.
const GAP: usize = 2;

/// The state of a table being printed.
pub struct StreamingTable {
    headers: Vec<String>,
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

impl StreamingTable {
    /// A table with these headers (printed upper-case).
    pub fn new(headers: Vec<String>) -> StreamingTable {
        StreamingTable {
            headers: headers.iter().map(|h| h.to_uppercase()).collect(),
            pending: Vec::new(),
            widths: None,
        }
    }

    /// Adds a row: kept while the table is being sized, printed afterwards.
    pub fn push(&mut self, row: Vec<String>, out: &mut impl Write) -> io::Result<()> {
        match &self.widths {
            Some(widths) => write_row(out, &row, widths),
            None => {
                self.pending.push(row);
                if self.pending.len() >= TABLE_SIZING_ROWS {
                    self.flush_pending(out)?;
                }
                Ok(())
            }
        }
    }

    /// Prints what is still kept (nothing when the table had no rows).
    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.widths.is_none() && !self.pending.is_empty() {
            self.flush_pending(out)?;
        }
        Ok(())
    }

    fn flush_pending(&mut self, out: &mut impl Write) -> io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.pending {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        write_row(out, &self.headers, &widths)?;
        for row in std::mem::take(&mut self.pending) {
            write_row(out, &row, &widths)?;
        }
        self.widths = Some(widths);
        Ok(())
    }
}

fn write_row(out: &mut impl Write, row: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str(&" ".repeat(GAP));
        }
        line.push_str(cell);
        let pad = width.saturating_sub(cell.chars().count());
        line.push_str(&" ".repeat(pad));
    }
    writeln!(out, "{}", line.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_after_the_sizing_rows_print_at_once_with_the_same_widths() {
        let mut table = StreamingTable::new(vec!["n".into()]);
        let mut out = Vec::new();
        for i in 0..TABLE_SIZING_ROWS - 1 {
            table.push(vec![format!("{i}")], &mut out).unwrap();
        }
        assert!(out.is_empty(), "kept while sizing");
        table.push(vec!["x".into()], &mut out).unwrap();
        let printed = out.len();
        assert!(printed > 0);
        table.push(vec!["a-longer-cell".into()], &mut out).unwrap();
        assert!(out.len() > printed, "printed at once");
        assert!(table.pending.is_empty());
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("N\n0\n"), "{text}");
        assert!(text.ends_with("x\na-longer-cell\n"));
    }
}
