//! The readable form of `records list`: a table with the History screen's columns, notes for
//! duplicates and server messages, and the totals of the selection.

use i18n::Catalogue;
use replenish_core::view::{HistoryRowView, TotalsView};
use unicode_width::UnicodeWidthStr;

use crate::text::{printable, render};

/// Shown in a cell that has no value, as on the History screen.
const MISSING: &str = "—";

/// Separates the columns.
const GAP: &str = "  ";

/// Separates the figures of the totals line.
const SEPARATOR: &str = " · ";

/// The alignment of a column's cells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// The columns: the catalogue key of the header and the alignment.
const COLUMNS: [(&str, Align); 11] = [
    ("ui.history.fact.session", Align::Right),
    ("ui.history.fact.started", Align::Left),
    ("ui.history.filter.device", Align::Left),
    ("ui.history.fact.outcome", Align::Left),
    ("ui.history.fact.record_id", Align::Right),
    ("cli.records.column.lines", Align::Right),
    ("ui.figure.added", Align::Right),
    ("ui.figure.removed", Align::Right),
    ("ui.figure.net", Align::Right),
    ("ui.figure.cost_value", Align::Right),
    ("ui.figure.sale_value", Align::Right),
];

/// Returns the lines of the table, or the History screen's sentence for an empty selection.
pub fn table_lines(
    catalogue: &Catalogue,
    rows: &[HistoryRowView],
    totals: &TotalsView,
) -> Vec<String> {
    if rows.is_empty() {
        return vec![catalogue.text("ui.history.empty").to_owned()];
    }

    let header: Vec<String> = COLUMNS
        .iter()
        .map(|(key, _)| catalogue.text(key).to_owned())
        .collect();
    let cells: Vec<Vec<String>> = rows.iter().map(|row| row_cells(catalogue, row)).collect();

    let mut lines = aligned(&header, &cells);

    let notes = notes(catalogue, rows);
    if !notes.is_empty() {
        lines.push(String::new());
        lines.extend(notes);
    }

    lines.push(String::new());
    lines.push(totals_line(catalogue, rows.len(), totals));
    if totals.incomplete {
        lines.push(catalogue.text("ui.totals.incomplete").to_owned());
    }
    lines
}

fn row_cells(catalogue: &Catalogue, row: &HistoryRowView) -> Vec<String> {
    let device = match &row.device_name {
        Some(name) => catalogue.format(
            "ui.history.fact.device_named",
            &[("deviceNo", &row.device_no), ("name", name)],
        ),
        None => row.device_no.clone(),
    };
    // The device name comes from the user or the server, so it must not move the cursor.
    let device = printable(&device);
    let figure = |value: Option<String>| value.unwrap_or_else(|| MISSING.to_owned());
    let totals = row.totals.as_ref();

    vec![
        row.session_id.to_string(),
        row.started_at.clone(),
        device,
        render(catalogue, &row.outcome_label),
        figure(row.record_id.clone()),
        figure(totals.map(|totals| totals.line_count.to_string())),
        figure(totals.map(|totals| totals.added.clone())),
        figure(totals.map(|totals| totals.removed.clone())),
        figure(totals.map(|totals| totals.net.clone())),
        figure(totals.map(|totals| totals.cost_value.clone())),
        figure(totals.map(|totals| totals.sale_value.clone())),
    ]
}

/// Pads every cell to its column's width in terminal cells, where a Chinese character takes two.
fn aligned(header: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|text| text.width()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }

    std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .map(|cells| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .zip(COLUMNS)
                .map(|((cell, width), (_, align))| pad(cell, *width, align))
                .collect();
            padded.join(GAP).trim_end().to_owned()
        })
        .collect()
}

fn pad(text: &str, width: usize, align: Align) -> String {
    let fill = " ".repeat(width.saturating_sub(text.width()));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
    }
}

/// Returns a line for each duplicate and each server message, which do not fit in a column.
fn notes(catalogue: &Catalogue, rows: &[HistoryRowView]) -> Vec<String> {
    let mut notes = Vec::new();
    for row in rows {
        let session =
            catalogue.format("ui.history.session", &[("id", &row.session_id.to_string())]);
        if let Some(note) = &row.duplicate_note {
            notes.push(catalogue.format(
                "cli.records.note",
                &[("session", &session), ("note", &render(catalogue, note))],
            ));
        }
        if let Some(message) = &row.server_message {
            let note = catalogue.format("cli.watch.server_message", &[("message", message)]);
            notes.push(catalogue.format(
                "cli.records.note",
                &[("session", &session), ("note", &note)],
            ));
        }
    }
    notes
}

fn totals_line(catalogue: &Catalogue, session_count: usize, totals: &TotalsView) -> String {
    let figure = |key: &str, value: &str| format!("{} {value}", catalogue.text(key));
    let sessions = session_count.to_string();
    let line_count = totals.line_count.to_string();
    let figures = [
        catalogue.format(
            "ui.history.totals_count",
            &[("sessions", &sessions), ("lines", &line_count)],
        ),
        figure("ui.figure.added", &totals.added),
        figure("ui.figure.removed", &totals.removed),
        figure("ui.figure.net", &totals.net),
        figure("ui.figure.cost_value", &totals.cost_value),
        figure("ui.figure.sale_value", &totals.sale_value),
    ];
    catalogue.format(
        "cli.watch.totals",
        &[
            ("label", catalogue.text("ui.history.totals")),
            ("figures", &figures.join(SEPARATOR)),
        ],
    )
}
