//! Product lines as rows of the `lines` table.

use replenish_core::model::{PricingUnit, ProductLine};
use replenish_core::scalar::FieldProblem;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

use crate::error::{SqliteContext, StoreError};
use crate::session::SessionId;
use crate::sql_values::{decimal_from_sql, decimal_to_sql};

/// A field problem as stored in the `problems` JSON column.
#[derive(Serialize, Deserialize)]
struct StoredProblem {
    field: String,
    problem: String,
}

/// Inserts the lines of a final list, keeping their order in `position`.
pub(crate) fn insert_lines(
    connection: &Connection,
    session: SessionId,
    lines: &[ProductLine],
) -> Result<(), StoreError> {
    let mut statement = connection
        .prepare_cached(
            "INSERT INTO lines (session_id, position, product_id, name, aisle_no, cabinet_no, \
             is_bulk, type_name, thumb_image, storage, add_quantity, add_quantity_revise, \
             remove_quantity, remove_quantity_revise, sale_price, cost_price, problems) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )
        .context(|| format!("preparing the line insert of session {session}"))?;

    for (position, line) in lines.iter().enumerate() {
        statement
            .execute(params![
                session.0,
                position as i64,
                line.product_id,
                line.name,
                line.aisle_no,
                line.cabinet_no,
                line.unit == PricingUnit::Jin,
                line.type_name,
                line.thumb_image,
                line.storage,
                line.add_quantity,
                line.add_quantity_revise,
                line.remove_quantity,
                line.remove_quantity_revise,
                line.sale_price.map(decimal_to_sql),
                line.cost_price.map(decimal_to_sql),
                problems_to_json(&line.problems),
            ])
            .context(|| format!("inserting line {position} of session {session}"))?;
    }
    Ok(())
}

/// Reads the lines of one session in the order they were received.
pub(crate) fn read_lines(
    connection: &Connection,
    session: SessionId,
) -> Result<Vec<ProductLine>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT product_id, name, aisle_no, cabinet_no, is_bulk, type_name, thumb_image, \
             storage, add_quantity, add_quantity_revise, remove_quantity, remove_quantity_revise, \
             sale_price, cost_price, problems \
             FROM lines WHERE session_id = ?1 ORDER BY position",
        )
        .context(|| format!("preparing the line query of session {session}"))?;

    let rows = statement
        .query_map([session.0], RawLine::from_row)
        .context(|| format!("reading the lines of session {session}"))?;

    let mut lines = Vec::new();
    for row in rows {
        let raw = row.context(|| format!("reading a line of session {session}"))?;
        lines.push(raw.into_line(session)?);
    }
    Ok(lines)
}

/// A row as SQLite returns it, before the decimals and the JSON are parsed.
struct RawLine {
    product_id: Option<i64>,
    name: String,
    aisle_no: String,
    cabinet_no: Option<i64>,
    is_bulk: bool,
    type_name: Option<String>,
    thumb_image: Option<String>,
    storage: Option<i64>,
    add_quantity: Option<i64>,
    add_quantity_revise: Option<i64>,
    remove_quantity: Option<i64>,
    remove_quantity_revise: Option<i64>,
    sale_price: Option<String>,
    cost_price: Option<String>,
    problems: String,
}

impl RawLine {
    fn from_row(row: &Row<'_>) -> Result<RawLine, rusqlite::Error> {
        Ok(RawLine {
            product_id: row.get(0)?,
            name: row.get(1)?,
            aisle_no: row.get(2)?,
            cabinet_no: row.get(3)?,
            is_bulk: row.get(4)?,
            type_name: row.get(5)?,
            thumb_image: row.get(6)?,
            storage: row.get(7)?,
            add_quantity: row.get(8)?,
            add_quantity_revise: row.get(9)?,
            remove_quantity: row.get(10)?,
            remove_quantity_revise: row.get(11)?,
            sale_price: row.get(12)?,
            cost_price: row.get(13)?,
            problems: row.get(14)?,
        })
    }

    fn into_line(self, session: SessionId) -> Result<ProductLine, StoreError> {
        let sale_price = self
            .sale_price
            .map(|text| decimal_from_sql(session, "sale_price", &text))
            .transpose()?;
        let cost_price = self
            .cost_price
            .map(|text| decimal_from_sql(session, "cost_price", &text))
            .transpose()?;
        let problems = problems_from_json(session, &self.problems)?;

        Ok(ProductLine {
            product_id: self.product_id,
            name: self.name,
            aisle_no: self.aisle_no,
            cabinet_no: self.cabinet_no,
            unit: if self.is_bulk {
                PricingUnit::Jin
            } else {
                PricingUnit::Piece
            },
            type_name: self.type_name,
            thumb_image: self.thumb_image,
            storage: self.storage,
            add_quantity: self.add_quantity,
            add_quantity_revise: self.add_quantity_revise,
            remove_quantity: self.remove_quantity,
            remove_quantity_revise: self.remove_quantity_revise,
            sale_price,
            cost_price,
            problems,
        })
    }
}

fn problems_to_json(problems: &[FieldProblem]) -> String {
    let stored: Vec<StoredProblem> = problems
        .iter()
        .map(|problem| StoredProblem {
            field: problem.field.clone(),
            problem: problem.problem.clone(),
        })
        .collect();

    // Serializing plain strings into JSON cannot fail.
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

fn problems_from_json(session: SessionId, json: &str) -> Result<Vec<FieldProblem>, StoreError> {
    let stored: Vec<StoredProblem> =
        serde_json::from_str(json).map_err(|error| StoreError::InvalidStoredValue {
            session,
            column: "problems",
            value: json.chars().take(200).collect(),
            reason: error.to_string(),
        })?;

    Ok(stored
        .into_iter()
        .map(|problem| FieldProblem {
            field: problem.field,
            problem: problem.problem,
        })
        .collect())
}
