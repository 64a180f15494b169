//! Lenient reading of one JSON scalar, exact for numbers.
//!
//! The vendor documents some fields as strings and sends them as numbers (and the reverse), so
//! every scalar is read from its raw JSON text: `"101"` and `101` mean the same, and a number is
//! never converted through `f64`. That keeps prices exact to the last digit and ids above 2^53
//! intact.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

/// A scalar as the server sent it, reduced to its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    Null,
    Bool(bool),
    /// A JSON number, kept as its literal text.
    Number(String),
    /// A JSON string, unescaped.
    Text(String),
    /// An object or array where a scalar was expected.
    Nested,
}

/// A field that could not be read as the expected type, and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {problem}")]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}

impl FieldProblem {
    fn new(field: &str, problem: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            problem: problem.into(),
        }
    }
}

impl Scalar {
    /// Reads a raw JSON value. Invalid JSON cannot reach here, since serde already parsed it.
    pub fn from_raw(raw: &RawValue) -> Self {
        let text = raw.get().trim();
        match text.as_bytes().first() {
            Some(b'"') => serde_json::from_str::<String>(text)
                .map(Scalar::Text)
                .unwrap_or(Scalar::Nested),
            Some(b'{') | Some(b'[') => Scalar::Nested,
            _ if text == "null" => Scalar::Null,
            _ if text == "true" => Scalar::Bool(true),
            _ if text == "false" => Scalar::Bool(false),
            _ => Scalar::Number(text.to_owned()),
        }
    }

    /// Returns the text of a number or a string, trimmed, or `None` for null and empty strings.
    fn text(&self) -> Option<&str> {
        match self {
            Scalar::Number(text) | Scalar::Text(text) => {
                Some(text.trim()).filter(|text| !text.is_empty())
            }
            _ => None,
        }
    }

    /// Reads an integer from `13` or `"13"`. `null` and `""` read as absent.
    pub fn to_integer(&self, field: &str) -> Result<Option<i64>, FieldProblem> {
        if let Scalar::Bool(_) | Scalar::Nested = self {
            return Err(FieldProblem::new(field, "expected an integer"));
        }
        let Some(text) = self.text() else {
            return Ok(None);
        };

        // Servers that serialize from a decimal type may send `13.0` or `1.3E1`.
        match i64::from_str(text) {
            Ok(value) => Ok(Some(value)),
            Err(_) => parse_decimal(text)
                .filter(|value| value.fract().is_zero())
                .and_then(|value| i64::try_from(value).ok())
                .map(Some)
                .ok_or_else(|| FieldProblem::new(field, format!("{text:?} is not an integer"))),
        }
    }

    /// Reads an exact decimal from `6.50000`, `"6.5"` or `6.5E0`. `null` and `""` read as absent.
    pub fn to_decimal(&self, field: &str) -> Result<Option<Decimal>, FieldProblem> {
        if let Scalar::Bool(_) | Scalar::Nested = self {
            return Err(FieldProblem::new(field, "expected a decimal number"));
        }
        let Some(text) = self.text() else {
            return Ok(None);
        };
        parse_decimal(text)
            .map(Some)
            .ok_or_else(|| FieldProblem::new(field, format!("{text:?} is not a decimal number")))
    }

    /// Reads a flag from `true`, `"true"`, `1` or `"1"` (and their false forms).
    pub fn to_flag(&self, field: &str) -> Result<Option<bool>, FieldProblem> {
        if let Scalar::Bool(value) = self {
            return Ok(Some(*value));
        }
        if let Scalar::Nested = self {
            return Err(FieldProblem::new(field, "expected true or false"));
        }
        let Some(text) = self.text() else {
            return Ok(None);
        };
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            _ => Err(FieldProblem::new(
                field,
                format!("{text:?} is neither true nor false"),
            )),
        }
    }

    /// Reads text, keeping a number's literal text (so an aisle `0101` sent as a string keeps its
    /// zero). `null` reads as absent; an empty string stays empty.
    pub fn to_text(&self, field: &str) -> Result<Option<String>, FieldProblem> {
        match self {
            Scalar::Null => Ok(None),
            Scalar::Text(text) | Scalar::Number(text) => Ok(Some(text.clone())),
            Scalar::Bool(value) => Ok(Some(value.to_string())),
            Scalar::Nested => Err(FieldProblem::new(field, "expected text")),
        }
    }
}

/// Parses a decimal exactly, in plain or exponent notation. Returns `None` for anything else,
/// including `NaN`, infinities and values beyond 28 significant digits.
fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.contains(['e', 'E']) {
        return Decimal::from_scientific(text).ok();
    }
    Decimal::from_str_exact(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(json: &str) -> Scalar {
        let raw: Box<RawValue> = serde_json::from_str(json).unwrap();
        Scalar::from_raw(&raw)
    }

    #[test]
    fn integer_from_number_and_string() {
        assert_eq!(scalar("13").to_integer("n"), Ok(Some(13)));
        assert_eq!(scalar("\"13\"").to_integer("n"), Ok(Some(13)));
        assert_eq!(scalar("\" 13 \"").to_integer("n"), Ok(Some(13)));
        assert_eq!(scalar("13.0").to_integer("n"), Ok(Some(13)));
        assert_eq!(scalar("-4").to_integer("n"), Ok(Some(-4)));
        assert_eq!(scalar("null").to_integer("n"), Ok(None));
        assert_eq!(scalar("\"\"").to_integer("n"), Ok(None));
    }

    #[test]
    fn integer_keeps_ids_above_2_pow_53() {
        assert_eq!(
            scalar("900000000000000001").to_integer("id"),
            Ok(Some(900_000_000_000_000_001))
        );
    }

    #[test]
    fn integer_rejects_fractions_and_words() {
        assert!(scalar("1.5").to_integer("n").is_err());
        assert!(scalar("\"many\"").to_integer("n").is_err());
        assert!(scalar("true").to_integer("n").is_err());
        assert!(scalar("[1]").to_integer("n").is_err());
        assert!(scalar("99999999999999999999").to_integer("n").is_err());
    }

    #[test]
    fn decimal_is_exact() {
        let price = scalar("12345678901234.56789")
            .to_decimal("p")
            .unwrap()
            .unwrap();
        assert_eq!(price.to_string(), "12345678901234.56789");
        assert_eq!(
            scalar("6.50000")
                .to_decimal("p")
                .unwrap()
                .unwrap()
                .to_string(),
            "6.50000"
        );
        assert_eq!(
            scalar("\"3.1\"")
                .to_decimal("p")
                .unwrap()
                .unwrap()
                .to_string(),
            "3.1"
        );
        assert_eq!(
            scalar("6.5E0")
                .to_decimal("p")
                .unwrap()
                .unwrap()
                .to_string(),
            "6.5"
        );
        assert_eq!(
            scalar("1e2").to_decimal("p").unwrap().unwrap(),
            Decimal::from(100)
        );
    }

    #[test]
    fn decimal_rejects_nan_and_words() {
        assert!(scalar("\"NaN\"").to_decimal("p").is_err());
        assert!(scalar("\"Infinity\"").to_decimal("p").is_err());
        assert!(scalar("\"six\"").to_decimal("p").is_err());
        assert!(scalar("false").to_decimal("p").is_err());
    }

    #[test]
    fn flag_forms() {
        for (json, expected) in [
            ("true", true),
            ("\"true\"", true),
            ("\"TRUE\"", true),
            ("1", true),
            ("\"1\"", true),
            ("false", false),
            ("\"false\"", false),
            ("0", false),
            ("\"0\"", false),
        ] {
            assert_eq!(scalar(json).to_flag("f"), Ok(Some(expected)), "{json}");
        }
        assert!(scalar("\"yes\"").to_flag("f").is_err());
        assert_eq!(scalar("null").to_flag("f"), Ok(None));
    }

    #[test]
    fn text_keeps_number_literal() {
        assert_eq!(scalar("101").to_text("a"), Ok(Some("101".to_owned())));
        assert_eq!(scalar("\"0101\"").to_text("a"), Ok(Some("0101".to_owned())));
        assert_eq!(scalar("\"\"").to_text("a"), Ok(Some(String::new())));
        assert_eq!(scalar("null").to_text("a"), Ok(None));
        assert!(scalar("{}").to_text("a").is_err());
    }
}
