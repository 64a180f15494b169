//! Decoding of one text frame into a typed [`Frame`].
//!
//! Objects are read as maps of raw JSON values rather than derived structs. Every scalar must
//! accept both its string and number forms, and numbers must keep their exact text. Unknown
//! fields must also be named in the log instead of silently dropped.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::model::{FinalList, PricingUnit, ProductLine};
use crate::scalar::{FieldProblem, Scalar};

/// Maximum number of unknown field names kept per frame, so a hostile frame cannot grow the log.
const MAX_UNKNOWN_FIELDS: usize = 16;

/// One message from the cabinet server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// `type` "door": whether the door opened, and the server's message.
    Door {
        opened: bool,
        message: Option<String>,
        code: Option<i64>,
    },
    /// `type` "final": the final list.
    Final(FinalList),
    /// `type` "failure", or a `final` with a non-zero `code`: the session could not be created.
    Failure {
        message: Option<String>,
        code: Option<i64>,
    },
    /// Any other `type`: logged and otherwise ignored.
    Unknown { type_name: String },
}

/// A decoded frame and what was odd about it without making it unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub frame: Frame,
    /// Names of fields the contract does not define, at most 16.
    pub unknown_fields: Vec<String>,
}

/// The reason a frame could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the frame is not valid JSON: {reason}")]
    NotJson { reason: String },
    #[error("the frame is JSON but not an object")]
    NotAnObject,
    #[error("the frame has no `type` field")]
    MissingType,
    #[error("the `{field}` field is missing")]
    MissingField { field: &'static str },
    #[error(transparent)]
    InvalidField(#[from] FieldProblem),
}

type RawObject = BTreeMap<String, Box<RawValue>>;

/// Decodes one text frame.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let object = parse_object(text)?;
    let mut unknown_fields = Vec::new();

    let type_name = match object.get("type").map(|raw| Scalar::from_raw(raw)) {
        None | Some(Scalar::Null) => return Err(DecodeError::MissingType),
        Some(scalar) => scalar.to_text("type")?.unwrap_or_default(),
    };
    let code = read(&object, "code", Scalar::to_integer)?;
    let message = read(&object, "msg", Scalar::to_text)?;
    let success = read(&object, "success", Scalar::to_flag)?;
    let failed_by_code = code.is_some_and(|code| code != 0);

    let frame = match type_name.trim() {
        "door" => {
            // A `code` alone is enough to tell the outcome; with neither field nothing is known.
            let opened = match (success, code) {
                (_, Some(code)) if code != 0 => false,
                (Some(success), _) => success,
                (None, Some(_)) => true,
                (None, None) => return Err(DecodeError::MissingField { field: "success" }),
            };
            note_unknown(
                &object,
                &["type", "code", "msg", "success", "data"],
                &mut unknown_fields,
            );
            Frame::Door {
                opened,
                message,
                code,
            }
        }
        "final" if failed_by_code => {
            note_unknown(
                &object,
                &["type", "code", "msg", "success", "data"],
                &mut unknown_fields,
            );
            Frame::Failure { message, code }
        }
        "final" => {
            note_unknown(
                &object,
                &["type", "code", "msg", "success", "data"],
                &mut unknown_fields,
            );
            let data = object
                .get("data")
                .ok_or(DecodeError::MissingField { field: "data" })?;
            Frame::Final(decode_data(data, &mut unknown_fields)?)
        }
        "failure" => {
            note_unknown(
                &object,
                &["type", "code", "msg", "success", "data"],
                &mut unknown_fields,
            );
            Frame::Failure { message, code }
        }
        _ => Frame::Unknown { type_name },
    };

    Ok(Decoded {
        frame,
        unknown_fields,
    })
}

fn parse_object(text: &str) -> Result<RawObject, DecodeError> {
    let value: Box<RawValue> =
        serde_json::from_str(text).map_err(|error| DecodeError::NotJson {
            reason: error.to_string(),
        })?;
    if !value.get().trim_start().starts_with('{') {
        return Err(DecodeError::NotAnObject);
    }

    // Keys are trimmed: a copy of the vendor's example had spaces pasted into them.
    let object: RawObject =
        serde_json::from_str(value.get()).map_err(|error| DecodeError::NotJson {
            reason: error.to_string(),
        })?;
    Ok(object
        .into_iter()
        .map(|(key, value)| (key.trim().to_owned(), value))
        .collect())
}

/// Decodes `data`, which the contract documents as a string and the example sends as an object.
fn decode_data(raw: &RawValue, unknown_fields: &mut Vec<String>) -> Result<FinalList, DecodeError> {
    let object = match Scalar::from_raw(raw) {
        Scalar::Text(inner) => parse_object(&inner)?,
        Scalar::Nested => parse_object(raw.get())?,
        _ => {
            return Err(FieldProblem {
                field: "data".to_owned(),
                problem: "expected an object or a JSON string holding one".to_owned(),
            }
            .into())
        }
    };
    note_unknown(&object, &["recordId", "list"], unknown_fields);

    let record_id = read(&object, "recordId", Scalar::to_integer)?;
    let list = object
        .get("list")
        .ok_or(DecodeError::MissingField { field: "data.list" })?;
    let entries: Vec<Box<RawValue>> = match Scalar::from_raw(list) {
        Scalar::Null => Vec::new(),
        Scalar::Nested if list.get().trim_start().starts_with('[') => {
            serde_json::from_str(list.get()).map_err(|error| DecodeError::NotJson {
                reason: error.to_string(),
            })?
        }
        _ => {
            return Err(FieldProblem {
                field: "data.list".to_owned(),
                problem: "expected an array".to_owned(),
            }
            .into())
        }
    };

    let mut lines = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let object = parse_object(entry.get()).map_err(|_| FieldProblem {
            field: format!("data.list[{index}]"),
            problem: "expected an object".to_owned(),
        })?;
        note_unknown(&object, LINE_FIELDS, unknown_fields);
        lines.push(decode_line(&object));
    }

    Ok(FinalList { record_id, lines })
}

const LINE_FIELDS: &[&str] = &[
    "id",
    "name",
    "aisleNo",
    "isBulk",
    "thumbImage",
    "storage",
    "removeQuantity",
    "removeQuantityRevise",
    "addQuantity",
    "addQuantityRevise",
    "cabinetNo",
    "salePrice",
    "costPrice",
    "typeName",
];

/// Decodes one product line. It never fails: each bad field becomes a problem on the line.
fn decode_line(object: &RawObject) -> ProductLine {
    let mut problems = Problems::default();

    let product_id = problems.required(read(object, "id", Scalar::to_integer), "id");
    let name = problems
        .required(read(object, "name", Scalar::to_text), "name")
        .unwrap_or_default();
    let aisle_no = problems
        .required(read(object, "aisleNo", Scalar::to_text), "aisleNo")
        .unwrap_or_default();
    let cabinet_no = problems.required(read(object, "cabinetNo", Scalar::to_integer), "cabinetNo");
    let unit = match problems.required(read(object, "isBulk", Scalar::to_flag), "isBulk") {
        Some(true) => PricingUnit::Jin,
        _ => PricingUnit::Piece,
    };
    let storage = problems.required(read(object, "storage", Scalar::to_integer), "storage");
    let add_quantity = problems.required(
        not_negative(
            read(object, "addQuantity", Scalar::to_integer),
            "addQuantity",
        ),
        "addQuantity",
    );
    let remove_quantity = problems.required(
        not_negative(
            read(object, "removeQuantity", Scalar::to_integer),
            "removeQuantity",
        ),
        "removeQuantity",
    );
    let sale_price = problems.required(
        not_negative(read(object, "salePrice", Scalar::to_decimal), "salePrice"),
        "salePrice",
    );
    let cost_price = problems.required(
        not_negative(read(object, "costPrice", Scalar::to_decimal), "costPrice"),
        "costPrice",
    );

    // The corrections may be absent, in which case the first count applies.
    let add_quantity_revise = problems.optional(not_negative(
        read(object, "addQuantityRevise", Scalar::to_integer),
        "addQuantityRevise",
    ));
    let remove_quantity_revise = problems.optional(not_negative(
        read(object, "removeQuantityRevise", Scalar::to_integer),
        "removeQuantityRevise",
    ));
    let type_name = problems
        .optional(read(object, "typeName", Scalar::to_text))
        .filter(|text| !text.trim().is_empty());
    let thumb_image = problems
        .optional(read(object, "thumbImage", Scalar::to_text))
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty());

    ProductLine {
        product_id,
        name,
        aisle_no,
        cabinet_no,
        unit,
        type_name,
        thumb_image,
        storage,
        add_quantity,
        add_quantity_revise,
        remove_quantity,
        remove_quantity_revise,
        sale_price,
        cost_price,
        problems: problems.0,
    }
}

/// Rejects a negative count or price: a cabinet cannot add or remove fewer than zero pieces, and
/// a negative price would turn a restock into a credit.
fn not_negative<T: PartialOrd + Default + std::fmt::Display>(
    value: Result<Option<T>, FieldProblem>,
    field: &str,
) -> Result<Option<T>, FieldProblem> {
    match value? {
        Some(value) if value < T::default() => Err(FieldProblem {
            field: field.to_owned(),
            problem: format!("{value} is negative"),
        }),
        other => Ok(other),
    }
}

/// The problems found while decoding one line.
#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    /// Keeps a value the contract requires, noting it as missing when absent.
    fn required<T>(&mut self, value: Result<Option<T>, FieldProblem>, field: &str) -> Option<T> {
        match value {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.0.push(FieldProblem {
                    field: field.to_owned(),
                    problem: "missing".to_owned(),
                });
                None
            }
            Err(problem) => {
                self.0.push(problem);
                None
            }
        }
    }

    /// Keeps a value that may be absent, noting it only when it is invalid.
    fn optional<T>(&mut self, value: Result<Option<T>, FieldProblem>) -> Option<T> {
        value.unwrap_or_else(|problem| {
            self.0.push(problem);
            None
        })
    }
}

/// Reads an optional field with one of the [`Scalar`] conversions. An absent field reads as `None`.
fn read<T>(
    object: &RawObject,
    field: &str,
    convert: impl Fn(&Scalar, &str) -> Result<Option<T>, FieldProblem>,
) -> Result<Option<T>, FieldProblem> {
    match object.get(field) {
        None => Ok(None),
        Some(raw) => convert(&Scalar::from_raw(raw), field),
    }
}

fn note_unknown(object: &RawObject, known: &[&str], unknown_fields: &mut Vec<String>) {
    for key in object.keys() {
        let is_new = !known.contains(&key.as_str()) && !unknown_fields.contains(key);
        if is_new && unknown_fields.len() < MAX_UNKNOWN_FIELDS {
            unknown_fields.push(key.chars().take(64).collect());
        }
    }
}
