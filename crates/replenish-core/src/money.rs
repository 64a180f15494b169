//! Money formatting in yuan, exact to the cent.

use rust_decimal::{Decimal, RoundingStrategy};

/// Formats an amount for totals and line values: rounded half away from zero to two decimals,
/// with thousands separators, e.g. `¥1,234.50` or `-¥3.10`.
pub fn format_amount(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    with_sign_and_symbol(rounded, 2)
}

/// Formats a unit price: at least two decimals, and every further significant digit the server
/// sent, so a price of 6.505 is never shown as 6.51 (`¥6.50`, `¥6.505`).
pub fn format_price(price: Decimal) -> String {
    let normalized = price.normalize();
    let scale = normalized.scale().max(2);
    with_sign_and_symbol(normalized, scale)
}

fn with_sign_and_symbol(amount: Decimal, scale: u32) -> String {
    let mut digits = amount.abs();
    digits.rescale(scale);
    let text = digits.to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));

    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}¥{}", group_thousands(whole))
    } else {
        format!("{sign}¥{}.{fraction}", group_thousands(whole))
    }
}

fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats a signed count with an explicit plus sign for positive values, e.g. `+13`, `0`, `-2`.
pub fn format_signed(count: i64) -> String {
    if count > 0 {
        format!("+{count}")
    } else {
        count.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn amount_rounds_half_away_from_zero() {
        assert_eq!(format_amount(dec("84.5")), "¥84.50");
        assert_eq!(format_amount(dec("0.005")), "¥0.01");
        assert_eq!(format_amount(dec("-0.005")), "-¥0.01");
        assert_eq!(format_amount(dec("2.675")), "¥2.68");
        assert_eq!(format_amount(dec("0")), "¥0.00");
        assert_eq!(format_amount(dec("-0.001")), "¥0.00");
    }

    #[test]
    fn amount_groups_thousands() {
        assert_eq!(format_amount(dec("1234.5")), "¥1,234.50");
        assert_eq!(
            format_amount(dec("12345678901234.56789")),
            "¥12,345,678,901,234.57"
        );
        assert_eq!(format_amount(dec("-1000000")), "-¥1,000,000.00");
        assert_eq!(format_amount(dec("999.999")), "¥1,000.00");
    }

    #[test]
    fn price_keeps_significant_digits() {
        assert_eq!(format_price(dec("6.50000")), "¥6.50");
        assert_eq!(format_price(dec("6.505")), "¥6.505");
        assert_eq!(format_price(dec("5")), "¥5.00");
        assert_eq!(
            format_price(dec("12345678901234.56789")),
            "¥12,345,678,901,234.56789"
        );
    }

    #[test]
    fn signed_counts() {
        assert_eq!(format_signed(13), "+13");
        assert_eq!(format_signed(0), "0");
        assert_eq!(format_signed(-2), "-2");
    }
}
