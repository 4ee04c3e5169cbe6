//! Printing results: tables for people, JSON for scripts, CSV for spreadsheets. Lists are
//! printed as they arrive, in bounded memory ([`ListPrinter`]); single objects with
//! [`print_object`].

mod cell;
mod table;

use std::io::{self, Write};

use serde_json::Value;

pub use cell::cell_text;

use crate::cli::OutputFormat;

/// One column of a list: its header and where its value is in an item's JSON (`name`, or
/// `properties.username`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header.
    pub header: String,
    /// Dot-separated path into the item's JSON.
    pub path: String,
}

impl Column {
    /// A column whose header is its path's last part.
    pub fn new(path: impl Into<String>) -> Column {
        let path = path.into();
        let header = path.rsplit('.').next().unwrap_or(&path).to_string();
        Column { header, path }
    }

    /// Columns from paths.
    pub fn list(paths: &[&str]) -> Vec<Column> {
        paths.iter().map(|p| Column::new(*p)).collect()
    }

    /// The value of this column in `item`.
    pub fn value<'a>(&self, item: &'a Value) -> Option<&'a Value> {
        self.path.split('.').try_fold(item, |v, key| v.get(key))
    }
}

/// Where a list goes: straight to the output, or through a CSV writer.
enum Sink<W: Write> {
    Plain(W),
    Csv {
        writer: Box<csv::Writer<W>>,
        header_done: bool,
    },
}

/// Prints a list item by item.
pub struct ListPrinter<W: Write> {
    format: OutputFormat,
    columns: Vec<Column>,
    sink: Sink<W>,
    count: usize,
    table: table::StreamingTable,
}

impl<W: Write> ListPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(format: OutputFormat, columns: Vec<Column>, out: W) -> ListPrinter<W> {
        let table = table::StreamingTable::new(columns.iter().map(|c| c.header.clone()).collect());
        let sink = match format {
            OutputFormat::Csv => Sink::Csv {
                writer: Box::new(csv::Writer::from_writer(out)),
                header_done: false,
            },
            _ => Sink::Plain(out),
        };
        ListPrinter {
            format,
            columns,
            sink,
            count: 0,
            table,
        }
    }

    /// Prints (or, for the first rows of a table, keeps) one item.
    pub fn push(&mut self, item: &Value) -> io::Result<()> {
        self.count += 1;
        let row = match self.format {
            OutputFormat::Json => Vec::new(),
            _ => self.cells(item),
        };
        match &mut self.sink {
            Sink::Plain(out) if self.format == OutputFormat::Json => {
                let sep = if self.count == 1 { "[\n" } else { ",\n" };
                out.write_all(sep.as_bytes())?;
                serde_json::to_writer(&mut *out, item)?;
            }
            Sink::Plain(out) => self.table.push(row, out)?,
            Sink::Csv {
                writer,
                header_done,
            } => {
                if !*header_done {
                    writer.write_record(self.columns.iter().map(|c| c.header.as_str()))?;
                    *header_done = true;
                }
                writer.write_record(&row)?;
            }
        }
        Ok(())
    }

    fn cells(&self, item: &Value) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| c.value(item).map(cell_text).unwrap_or_default())
            .collect()
    }

    /// Ends the list; returns how many items were printed.
    pub fn finish(self) -> io::Result<usize> {
        let ListPrinter {
            format,
            columns,
            sink,
            count,
            mut table,
        } = self;
        match sink {
            Sink::Plain(mut out) if format == OutputFormat::Json => {
                let end = if count == 0 { "[]\n" } else { "\n]\n" };
                out.write_all(end.as_bytes())?;
                out.flush()?;
            }
            Sink::Plain(mut out) => {
                table.finish(&mut out)?;
                out.flush()?;
            }
            Sink::Csv {
                mut writer,
                header_done,
            } => {
                if !header_done {
                    writer.write_record(columns.iter().map(|c| c.header.as_str()))?;
                }
                writer.flush()?;
            }
        }
        Ok(count)
    }
}

/// Prints one object: a JSON object, one CSV row, or one `field  value` line per field.
pub fn print_object(format: OutputFormat, item: &Value, out: &mut impl Write) -> io::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, item)?;
            out.write_all(b"\n")
        }
        OutputFormat::Csv => {
            let fields = flatten(item);
            let mut writer = csv::Writer::from_writer(&mut *out);
            writer.write_record(fields.iter().map(|(k, _)| k.as_str()))?;
            writer.write_record(fields.iter().map(|(_, v)| v.as_str()))?;
            writer.flush()
        }
        OutputFormat::Table => {
            let fields = flatten(item);
            let width = fields
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0);
            for (key, value) in fields {
                let line = format!("{key:<width$}  {value}");
                writeln!(out, "{}", line.trim_end())?;
            }
            Ok(())
        }
    }
}

/// The fields of an object as (name, text); the entries of `properties` count as fields.
fn flatten(item: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Value::Object(map) = item {
        for (key, value) in map {
            match (key.as_str(), value) {
                ("properties", Value::Object(props)) => {
                    out.extend(props.iter().map(|(k, v)| (k.clone(), cell_text(v))));
                }
                (_, Value::Object(inner))
                    if !inner.is_empty() && inner.values().any(|v| !v.is_array()) =>
                {
                    out.extend(
                        inner
                            .iter()
                            .map(|(k, v)| (format!("{key}.{k}"), cell_text(v))),
                    );
                }
                _ => out.push((key.clone(), cell_text(value))),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: OutputFormat, items: &[Value]) -> String {
        let mut out = Vec::new();
        let mut printer =
            ListPrinter::new(format, Column::list(&["name", "properties.mail"]), &mut out);
        for item in items {
            printer.push(item).unwrap();
        }
        printer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_lists_are_valid_json_also_when_empty() {
        let items = [json!({"name": "a"}), json!({"name": "b"})];
        let text = render(OutputFormat::Json, &items);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json!(items));
        assert_eq!(render(OutputFormat::Json, &[]), "[]\n");
    }

    #[test]
    fn csv_has_a_header_and_quotes_commas() {
        let items = [json!({"name": "a,b", "properties": {"mail": ["x@y", "z@y"]}})];
        assert_eq!(
            render(OutputFormat::Csv, &items),
            "name,mail\n\"a,b\",\"x@y,z@y\"\n"
        );
        assert_eq!(render(OutputFormat::Csv, &[]), "name,mail\n");
    }

    #[test]
    fn tables_align_columns() {
        let items = [
            json!({"name": "a", "properties": {"mail": "m"}}),
            json!({"name": "long name"}),
        ];
        assert_eq!(
            render(OutputFormat::Table, &items),
            "NAME       MAIL\na          m\nlong name\n"
        );
    }

    #[test]
    fn objects_print_one_field_per_line() {
        let item = json!({"dn": "uid=a", "properties": {"username": "a", "groups": ["g1", "g2"]}});
        let mut out = Vec::new();
        print_object(OutputFormat::Table, &item, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "dn        uid=a\nusername  a\ngroups    g1,g2\n"
        );
    }
}
