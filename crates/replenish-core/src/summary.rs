//! Derived figures of a final list: lines grouped by cabinet, ordered by aisle, and exact totals.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::{FinalList, ProductLine};

/// Figures of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFigures {
    /// Settled pieces added minus settled pieces removed.
    pub net: Option<i64>,
    /// Net change valued at cost price, rounded half away from zero to the fen.
    pub cost_value: Option<Decimal>,
    /// Net change valued at sale price, rounded half away from zero to the fen.
    pub sale_value: Option<Decimal>,
    /// True when a quantity or price was missing or invalid, or a product overflowed.
    pub incomplete: bool,
}

/// Sums over a set of lines. Lines missing a figure add what they have and mark the sum incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub line_count: usize,
    pub added: i64,
    pub removed: i64,
    pub net: i64,
    pub cost_value: Decimal,
    pub sale_value: Decimal,
    pub incomplete: bool,
}

/// The lines of one cabinet (货柜), ordered by aisle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CabinetGroup<'a> {
    /// `None` groups lines whose cabinet number was missing or invalid.
    pub cabinet_no: Option<i64>,
    pub lines: Vec<(&'a ProductLine, LineFigures)>,
    pub totals: Totals,
}

/// A final list grouped and totalled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'a> {
    pub cabinets: Vec<CabinetGroup<'a>>,
    pub totals: Totals,
}

/// Computes the figures of one line.
pub fn line_figures(line: &ProductLine) -> LineFigures {
    let net = match (line.settled_added(), line.settled_removed()) {
        (Some(added), Some(removed)) => added.checked_sub(removed),
        _ => None,
    };
    // Each line value is rounded to the fen, as on an invoice, so the totals are the sums of the
    // amounts the cards show and a manager adding them up gets the same figure.
    let value_at = |price: Option<Decimal>| {
        let value = price?.checked_mul(Decimal::from(net?))?;
        Some(value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    };
    let cost_value = value_at(line.cost_price);
    let sale_value = value_at(line.sale_price);

    let figure_problem = line
        .problems
        .iter()
        .any(|problem| problem.field != "typeName" && problem.field != "thumbImage");
    LineFigures {
        net,
        cost_value,
        sale_value,
        incomplete: figure_problem || net.is_none() || cost_value.is_none() || sale_value.is_none(),
    }
}

impl Totals {
    fn add(&mut self, line: &ProductLine, figures: &LineFigures) {
        self.line_count += 1;
        let mut complete = !figures.incomplete;

        let mut add_count = |sum: &mut i64, value: Option<i64>| match value
            .and_then(|value| sum.checked_add(value))
        {
            Some(total) => *sum = total,
            None => complete = false,
        };
        add_count(&mut self.added, line.settled_added());
        add_count(&mut self.removed, line.settled_removed());
        add_count(&mut self.net, figures.net);

        let mut add_money = |sum: &mut Decimal, value: Option<Decimal>| match value
            .and_then(|value| sum.checked_add(value))
        {
            Some(total) => *sum = total,
            None => complete = false,
        };
        add_money(&mut self.cost_value, figures.cost_value);
        add_money(&mut self.sale_value, figures.sale_value);

        self.incomplete |= !complete;
    }
}

/// Groups the lines by cabinet, orders each cabinet's lines by aisle and computes every total.
pub fn summarize(list: &FinalList) -> Summary<'_> {
    let mut by_cabinet: BTreeMap<CabinetKey, Vec<&ProductLine>> = BTreeMap::new();
    for line in &list.lines {
        by_cabinet
            .entry(CabinetKey(line.cabinet_no))
            .or_default()
            .push(line);
    }

    let mut totals = Totals::default();
    let cabinets = by_cabinet
        .into_iter()
        .map(|(key, mut lines)| {
            lines.sort_by(|a, b| compare_aisles(&a.aisle_no, &b.aisle_no));

            let mut cabinet_totals = Totals::default();
            let lines = lines
                .into_iter()
                .map(|line| {
                    let figures = line_figures(line);
                    cabinet_totals.add(line, &figures);
                    totals.add(line, &figures);
                    (line, figures)
                })
                .collect();
            CabinetGroup {
                cabinet_no: key.0,
                lines,
                totals: cabinet_totals,
            }
        })
        .collect();

    Summary { cabinets, totals }
}

/// Orders cabinets by number, with lines of an unknown cabinet last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CabinetKey(Option<i64>);

impl Ord for CabinetKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.0, other.0) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
}

impl PartialOrd for CabinetKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders aisles numerically when both are whole numbers ("9" before "10"), and as text otherwise,
/// with numeric aisles first.
pub fn compare_aisles(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aisles_sort_numerically_then_text() {
        let mut aisles = vec!["110", "9", "101", "A2", "0101", "A10"];
        aisles.sort_by(|a, b| compare_aisles(a, b));
        assert_eq!(aisles, vec!["9", "0101", "101", "110", "A10", "A2"]);
    }
}
