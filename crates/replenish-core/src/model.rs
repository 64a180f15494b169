//! Typed values of the replenish protocol: the final list and its product lines.

use rust_decimal::Decimal;

use crate::scalar::FieldProblem;

/// The unit a product is priced in: `isBulk` "0" per piece (元/件), "1" by weight per jin (元/斤).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricingUnit {
    Piece,
    Jin,
}

/// The final replenishment list, sent after the door closed and the cabinet counted its goods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalList {
    /// The server's record id. Absent when nothing was restocked.
    pub record_id: Option<i64>,
    pub lines: Vec<ProductLine>,
}

/// One product line of a final list, as the server sent it.
///
/// Fields the contract marks as required are `Option` all the same: a line with a missing or
/// invalid figure is still shown, with that figure left out of the sums and the problem kept in
/// `problems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductLine {
    pub product_id: Option<i64>,
    pub name: String,
    /// The aisle (货道) as text, e.g. "101" for cabinet 1, aisle 01. Leading zeros are kept.
    pub aisle_no: String,
    pub cabinet_no: Option<i64>,
    pub unit: PricingUnit,
    pub type_name: Option<String>,
    pub thumb_image: Option<String>,
    pub storage: Option<i64>,
    pub add_quantity: Option<i64>,
    pub add_quantity_revise: Option<i64>,
    pub remove_quantity: Option<i64>,
    pub remove_quantity_revise: Option<i64>,
    pub sale_price: Option<Decimal>,
    pub cost_price: Option<Decimal>,
    /// Fields that were missing or could not be read.
    pub problems: Vec<FieldProblem>,
}

impl ProductLine {
    /// Pieces added as the server settled them: the corrected count, or the first count when the
    /// server sent no correction.
    pub fn settled_added(&self) -> Option<i64> {
        self.add_quantity_revise.or(self.add_quantity)
    }

    /// Pieces removed as the server settled them.
    pub fn settled_removed(&self) -> Option<i64> {
        self.remove_quantity_revise.or(self.remove_quantity)
    }

    /// Returns the cabinet's first count of pieces added, only when a correction changed it.
    pub fn first_added_if_revised(&self) -> Option<i64> {
        first_count_if_revised(self.add_quantity, self.add_quantity_revise)
    }

    /// Returns the cabinet's first count of pieces removed, only when a correction changed it.
    pub fn first_removed_if_revised(&self) -> Option<i64> {
        first_count_if_revised(self.remove_quantity, self.remove_quantity_revise)
    }
}

fn first_count_if_revised(first: Option<i64>, revised: Option<i64>) -> Option<i64> {
    match (first, revised) {
        (Some(first), Some(revised)) if first != revised => Some(first),
        _ => None,
    }
}
