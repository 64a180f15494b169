//! The rows of an export, built once for both file formats.

use replenish_core::model::ProductLine;
use replenish_core::summary::{summarize, LineFigures};

use super::cells::Cell;
use super::columns::Column;
use super::labels::{outcome_label, unit_label};
use super::local_time::wall_clock;
use super::{ExportError, ExportOptions};
use crate::stored::{SessionSummary, StoredSession};

/// One export row: a cell for each of [`Column::ALL`], in order.
pub(crate) type Row = Vec<Cell>;

/// Builds the rows of `sessions` in the order given, lines grouped by cabinet and ordered by aisle.
pub(crate) fn build_rows(
    sessions: &[StoredSession],
    options: &ExportOptions,
) -> Result<Vec<Row>, ExportError> {
    let mut rows = Vec::new();

    for session in sessions {
        let session_cells = SessionCells::new(&session.summary, options)?;
        let lines = session
            .final_list
            .as_ref()
            .filter(|list| !list.lines.is_empty());

        match lines {
            Some(list) => {
                let summary = summarize(list);
                for cabinet in &summary.cabinets {
                    for (line, figures) in &cabinet.lines {
                        rows.push(session_cells.row(Some((line, figures)), options));
                    }
                }
            }
            None => rows.push(session_cells.row(None, options)),
        }
    }
    Ok(rows)
}

/// The cells that every row of one session repeats.
struct SessionCells {
    time: Cell,
    device_no: Cell,
    device_name: Cell,
    record_id: Cell,
    outcome: Cell,
}

impl SessionCells {
    fn new(summary: &SessionSummary, options: &ExportOptions) -> Result<Self, ExportError> {
        Ok(SessionCells {
            time: Cell::Time(wall_clock(summary.started_at_ms, options.time_zone)?),
            device_no: Cell::Text(summary.device_no.clone()),
            device_name: text_or_empty(summary.device_name.as_deref()),
            record_id: summary.record_id.map_or(Cell::Empty, Cell::Id),
            outcome: Cell::Text(outcome_label(
                summary.outcome,
                summary.duplicate_of,
                options.language,
            )),
        })
    }

    fn row(&self, line: Option<(&ProductLine, &LineFigures)>, options: &ExportOptions) -> Row {
        Column::ALL
            .iter()
            .map(|column| match column {
                Column::Time => self.time.clone(),
                Column::DeviceNo => self.device_no.clone(),
                Column::DeviceName => self.device_name.clone(),
                Column::RecordId => self.record_id.clone(),
                Column::Outcome => self.outcome.clone(),
                _ => match line {
                    Some((line, figures)) => line_cell(*column, line, figures, options),
                    None => Cell::Empty,
                },
            })
            .collect()
    }
}

/// Returns the cell of a product column. A figure the server did not send stays empty.
fn line_cell(
    column: Column,
    line: &ProductLine,
    figures: &LineFigures,
    options: &ExportOptions,
) -> Cell {
    let count = |value: Option<i64>| value.map_or(Cell::Empty, Cell::Count);
    match column {
        Column::Cabinet => count(line.cabinet_no),
        Column::Aisle => Cell::Text(line.aisle_no.clone()),
        Column::ProductId => line.product_id.map_or(Cell::Empty, Cell::Id),
        Column::ProductName => Cell::Text(line.name.clone()),
        Column::Category => text_or_empty(line.type_name.as_deref()),
        Column::Unit => Cell::Text(unit_label(line.unit, options.language).to_owned()),
        Column::Added => count(line.settled_added()),
        Column::Removed => count(line.settled_removed()),
        Column::Net => count(figures.net),
        Column::Stock => count(line.storage),
        Column::SalePrice => line.sale_price.map_or(Cell::Empty, Cell::Price),
        Column::CostPrice => line.cost_price.map_or(Cell::Empty, Cell::Price),
        Column::SaleValue => figures.sale_value.map_or(Cell::Empty, Cell::Money),
        Column::CostValue => figures.cost_value.map_or(Cell::Empty, Cell::Money),
        Column::Time
        | Column::DeviceNo
        | Column::DeviceName
        | Column::RecordId
        | Column::Outcome => Cell::Empty,
    }
}

fn text_or_empty(text: Option<&str>) -> Cell {
    text.map_or(Cell::Empty, |text| Cell::Text(text.to_owned()))
}
