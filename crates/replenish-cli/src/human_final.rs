//! Readable lines of a final list: each cabinet, its product lines with every figure, and the
//! totals per cabinet and per record, formatted by the core's presenter (¥ amounts to the cent,
//! prices with every significant digit).

use i18n::Catalogue;
use replenish_core::view::{FinalView, LineView, TotalsView};

use crate::text::render;

/// Separates the figures within one line.
const SEPARATOR: &str = " · ";

/// Returns the lines that describe `list`, or none for an empty list, whose emptiness the
/// session banner already states.
pub fn final_lines(catalogue: &Catalogue, list: &FinalView) -> Vec<String> {
    if list.cabinets.is_empty() {
        return Vec::new();
    }

    let mut lines = vec![catalogue.text("ui.final.heading").to_owned()];
    for cabinet in &list.cabinets {
        let title = render(catalogue, &cabinet.title);
        lines.push(title.clone());

        for line in &cabinet.lines {
            lines.extend(product_lines(catalogue, line));
        }

        let label = catalogue.format("cli.watch.cabinet_totals", &[("cabinet", &title)]);
        lines.push(format!(
            "  {}",
            totals_line(catalogue, &label, &cabinet.totals)
        ));
    }

    let record_label = catalogue.text("ui.totals.record");
    lines.push(totals_line(catalogue, record_label, &list.totals));
    if list.totals.incomplete {
        lines.push(catalogue.text("ui.totals.incomplete").to_owned());
    }
    lines
}

/// Four lines per product: what and where, the counts, the prices, the values.
fn product_lines(catalogue: &Catalogue, line: &LineView) -> Vec<String> {
    let figure = |key: &str, value: &str| format!("{} {value}", catalogue.text(key));

    let mut heading = vec![figure("ui.figure.aisle", &line.aisle_no), line.name.clone()];
    if let Some(category) = &line.category {
        heading.push(category.clone());
    }
    heading.push(catalogue.format("ui.card.product_id", &[("id", &line.product_id)]));
    if line.incomplete {
        heading.push(catalogue.text("ui.card.incomplete").to_owned());
    }

    let counts = [
        figure(
            "ui.figure.added",
            &with_first_count(catalogue, &line.added, line.added_first_count.as_deref()),
        ),
        figure(
            "ui.figure.removed",
            &with_first_count(
                catalogue,
                &line.removed,
                line.removed_first_count.as_deref(),
            ),
        ),
        figure("ui.figure.net", &line.net),
        figure("ui.figure.stock", &line.stock),
    ];

    let unit = render(catalogue, &line.unit);
    let prices = [
        figure(
            "ui.figure.sale_price",
            &format!("{} {unit}", line.sale_price),
        ),
        figure(
            "ui.figure.cost_price",
            &format!("{} {unit}", line.cost_price),
        ),
    ];
    let values = [
        figure("ui.figure.sale_value", &line.sale_value),
        figure("ui.figure.cost_value", &line.cost_value),
    ];

    vec![
        format!("  {}", heading.join(SEPARATOR)),
        format!("    {}", counts.join(SEPARATOR)),
        format!("    {}", prices.join(SEPARATOR)),
        format!("    {}", values.join(SEPARATOR)),
    ]
}

/// Returns the settled count, followed by the cabinet's first count where a correction changed it.
fn with_first_count(catalogue: &Catalogue, settled: &str, first: Option<&str>) -> String {
    match first {
        Some(first) => format!(
            "{settled} {}",
            catalogue.format("ui.card.first_count", &[("count", first)])
        ),
        None => settled.to_owned(),
    }
}

fn totals_line(catalogue: &Catalogue, label: &str, totals: &TotalsView) -> String {
    let figure = |key: &str, value: &str| format!("{} {value}", catalogue.text(key));
    let count = totals.line_count.to_string();
    let figures = [
        catalogue.format("ui.totals.lines", &[("count", &count)]),
        figure("ui.figure.added", &totals.added),
        figure("ui.figure.removed", &totals.removed),
        figure("ui.figure.net", &totals.net),
        figure("ui.figure.sale_value", &totals.sale_value),
        figure("ui.figure.cost_value", &totals.cost_value),
    ];
    catalogue.format(
        "cli.watch.totals",
        &[("label", label), ("figures", &figures.join(SEPARATOR))],
    )
}
