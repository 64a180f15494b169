//! The `final` event of `--json`: every field of every line, plus the derived figures.
//!
//! Prices and money amounts are JSON strings holding the exact decimal as the server sent it or as
//! the core computed it ("6.50000", "84.50000"), because a JSON number is read as a double by most
//! tools and would lose digits. Ids and counts are JSON integers, which serde_json writes exactly.

use replenish_core::model::{FinalList, PricingUnit, ProductLine};
use replenish_core::scalar::FieldProblem;
use replenish_core::summary::{summarize, LineFigures, Totals};
use rust_decimal::Decimal;
use serde::Serialize;

/// A final list: its lines grouped by cabinet and ordered by aisle, as the core's summary orders
/// them, then the totals of each cabinet and of the record.
#[derive(Debug, Serialize)]
pub struct FinalJson<'a> {
    /// Absent (null) when nothing was restocked.
    pub record_id: Option<i64>,
    pub lines: Vec<LineJson<'a>>,
    pub cabinets: Vec<CabinetJson>,
    pub totals: TotalsJson,
}

/// One product line. Field names are the protocol's in snake_case. Null means missing or invalid,
/// and `problems` names the field and the reason.
#[derive(Debug, Serialize)]
pub struct LineJson<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub aisle_no: &'a str,
    pub cabinet_no: Option<i64>,
    /// True when sold by weight, priced per jin (元/斤); false when priced per piece (元/件).
    pub is_bulk: bool,
    pub type_name: Option<&'a str>,
    pub thumb_image: Option<&'a str>,
    pub storage: Option<i64>,
    pub add_quantity: Option<i64>,
    pub add_quantity_revise: Option<i64>,
    pub remove_quantity: Option<i64>,
    pub remove_quantity_revise: Option<i64>,
    pub sale_price: Option<String>,
    pub cost_price: Option<String>,
    /// Settled pieces added minus settled pieces removed.
    pub net: Option<i64>,
    /// `net` valued at cost price.
    pub cost_value: Option<String>,
    /// `net` valued at sale price.
    pub sale_value: Option<String>,
    pub incomplete: bool,
    pub problems: Vec<ProblemJson<'a>>,
}

/// A field of a line that was missing or could not be read.
#[derive(Debug, Serialize)]
pub struct ProblemJson<'a> {
    pub field: &'a str,
    pub problem: &'a str,
}

/// The totals of one cabinet (货柜). `cabinet_no` is null for lines without a valid cabinet.
#[derive(Debug, Serialize)]
pub struct CabinetJson {
    pub cabinet_no: Option<i64>,
    #[serde(flatten)]
    pub totals: TotalsJson,
}

/// Sums over a set of lines. `incomplete` is true when a line lacked a figure, which the sums
/// then leave out.
#[derive(Debug, Serialize)]
pub struct TotalsJson {
    pub line_count: usize,
    pub added: i64,
    pub removed: i64,
    pub net: i64,
    pub cost_value: String,
    pub sale_value: String,
    pub incomplete: bool,
}

impl<'a> FinalJson<'a> {
    pub fn new(list: &'a FinalList) -> Self {
        let summary = summarize(list);

        let lines = summary
            .cabinets
            .iter()
            .flat_map(|group| group.lines.iter())
            .map(|(line, figures)| LineJson::new(line, figures))
            .collect();
        let cabinets = summary
            .cabinets
            .iter()
            .map(|group| CabinetJson {
                cabinet_no: group.cabinet_no,
                totals: TotalsJson::new(&group.totals),
            })
            .collect();

        Self {
            record_id: list.record_id,
            lines,
            cabinets,
            totals: TotalsJson::new(&summary.totals),
        }
    }
}

impl<'a> LineJson<'a> {
    fn new(line: &'a ProductLine, figures: &LineFigures) -> Self {
        Self {
            id: line.product_id,
            name: &line.name,
            aisle_no: &line.aisle_no,
            cabinet_no: line.cabinet_no,
            is_bulk: line.unit == PricingUnit::Jin,
            type_name: line.type_name.as_deref(),
            thumb_image: line.thumb_image.as_deref(),
            storage: line.storage,
            add_quantity: line.add_quantity,
            add_quantity_revise: line.add_quantity_revise,
            remove_quantity: line.remove_quantity,
            remove_quantity_revise: line.remove_quantity_revise,
            sale_price: exact(line.sale_price),
            cost_price: exact(line.cost_price),
            net: figures.net,
            cost_value: exact(figures.cost_value),
            sale_value: exact(figures.sale_value),
            incomplete: figures.incomplete,
            problems: line.problems.iter().map(ProblemJson::new).collect(),
        }
    }
}

impl<'a> ProblemJson<'a> {
    fn new(problem: &'a FieldProblem) -> Self {
        Self {
            field: &problem.field,
            problem: &problem.problem,
        }
    }
}

impl TotalsJson {
    fn new(totals: &Totals) -> Self {
        Self {
            line_count: totals.line_count,
            added: totals.added,
            removed: totals.removed,
            net: totals.net,
            cost_value: totals.cost_value.to_string(),
            sale_value: totals.sale_value.to_string(),
            incomplete: totals.incomplete,
        }
    }
}

/// Returns the decimal's own text, which keeps its scale: 6.50000 stays "6.50000".
fn exact(value: Option<Decimal>) -> Option<String> {
    value.map(|value| value.to_string())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use serde_json::Value;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn line(aisle_no: &str, cabinet_no: i64, added: i64, sale: &str, cost: &str) -> ProductLine {
        ProductLine {
            product_id: Some(3297),
            name: "阿莎姆奶茶".to_owned(),
            aisle_no: aisle_no.to_owned(),
            cabinet_no: Some(cabinet_no),
            unit: PricingUnit::Piece,
            type_name: Some("饮料".to_owned()),
            thumb_image: None,
            storage: Some(41),
            add_quantity: Some(added + 1),
            add_quantity_revise: Some(added),
            remove_quantity: Some(0),
            remove_quantity_revise: Some(0),
            sale_price: Some(dec(sale)),
            cost_price: Some(dec(cost)),
            problems: Vec::new(),
        }
    }

    #[test]
    fn decimals_and_ids_stay_exact() {
        let list = FinalList {
            record_id: Some(900_000_000_000_000_001),
            lines: vec![line("101", 1, 1, "12345678901234.56789", "6.50000")],
        };
        let text = serde_json::to_string(&FinalJson::new(&list)).unwrap();

        assert!(text.contains(r#""record_id":900000000000000001"#), "{text}");
        assert!(
            text.contains(r#""sale_price":"12345678901234.56789""#),
            "{text}"
        );
        assert!(text.contains(r#""cost_price":"6.50000""#), "{text}");
        // Line values are rounded to the fen, the exact product being 12345678901234.56789.
        assert!(
            text.contains(r#""sale_value":"12345678901234.57""#),
            "{text}"
        );
    }

    #[test]
    fn lines_follow_cabinet_and_aisle_order() {
        let list = FinalList {
            record_id: Some(7),
            lines: vec![
                line("202", 2, 9, "6.00000", "2.90000"),
                line("102", 1, 8, "5.00000", "2.20000"),
                line("101", 1, 13, "6.50000", "3.10000"),
            ],
        };
        let value: Value = serde_json::to_value(FinalJson::new(&list)).unwrap();

        let aisles: Vec<&str> = value["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|line| line["aisle_no"].as_str().unwrap())
            .collect();
        assert_eq!(aisles, ["101", "102", "202"]);
        assert_eq!(value["lines"][0]["add_quantity"], 14);
        assert_eq!(value["lines"][0]["add_quantity_revise"], 13);
        assert_eq!(value["lines"][0]["net"], 13);
        assert_eq!(value["lines"][0]["sale_value"], "84.50");

        assert_eq!(value["cabinets"][0]["cabinet_no"], 1);
        assert_eq!(value["cabinets"][0]["line_count"], 2);
        assert_eq!(value["cabinets"][0]["sale_value"], "124.50");
        assert_eq!(value["totals"]["sale_value"], "178.50");
        assert_eq!(value["totals"]["cost_value"], "84.00");
    }
}
