//! Frame texts exactly as the cabinet server sends them.
//!
//! Final lists are written by hand instead of through `serde_json::Value`, so that prices keep
//! the vendor's five-decimal text (`3.10000`) and record ids above 2^53 stay exact integers.

use std::fmt::Write as _;

use rust_decimal::Decimal;

pub(crate) const DOOR_OPENED: &str = r#"{"msg":"开门成功,请补货","success":"true","type":"door"}"#;
pub(crate) const DOOR_FAILED: &str =
    r#"{"msg":"网络不畅,请稍后再试","success":"false","type":"door"}"#;
pub(crate) const FAILURE_OPERATION_FAILED: &str =
    r#"{"msg":"操作失败","success":"false","type":"failure"}"#;
pub(crate) const FAILURE_SOMEONE_SHOPPING: &str =
    r#"{"msg":"有人正在购物","success":"false","type":"failure"}"#;
pub(crate) const FAILURE_ALREADY_REPLENISHING: &str =
    r#"{"msg":"该设备已处于补货状态","success":"false","type":"failure"}"#;
pub(crate) const FINAL_EMPTY: &str = r#"{"data":{"list":[]},"type":"final"}"#;

/// Decimal places of every price the vendor sends.
const PRICE_SCALE: usize = 5;

/// The `thumbImage` field of a product line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Thumb {
    Url(String),
    /// `"thumbImage": null`
    Null,
    /// No `thumbImage` key at all.
    Absent,
}

/// One entry of `data.list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProductLine {
    pub id: u64,
    pub name: String,
    pub type_name: String,
    pub aisle_no: u32,
    pub cabinet_no: u32,
    pub is_bulk: bool,
    pub thumb: Thumb,
    pub storage: u32,
    pub remove_quantity: u32,
    pub remove_quantity_revise: u32,
    pub add_quantity: u32,
    pub add_quantity_revise: u32,
    pub sale_price: Decimal,
    pub cost_price: Decimal,
}

/// Writes a `final` frame with a `recordId` and the given lines, keys in the vendor's order.
pub(crate) fn final_list(record_id: u64, lines: &[ProductLine]) -> String {
    let mut frame = format!(r#"{{"data":{{"recordId":{record_id},"list":["#);

    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            frame.push(',');
        }
        write_line(&mut frame, line);
    }

    frame.push_str(r#"]},"type":"final"}"#);
    frame
}

fn write_line(out: &mut String, line: &ProductLine) {
    let is_bulk = if line.is_bulk { "1" } else { "0" };

    // Writing to a String cannot fail, so the fmt::Result is ignored.
    let _ = write!(
        out,
        r#"{{"addQuantity":{},"addQuantityRevise":{},"aisleNo":{},"cabinetNo":{},"costPrice":{:.prec$},"id":{},"isBulk":"{}","name":{},"removeQuantity":{},"removeQuantityRevise":{},"salePrice":{:.prec$},"storage":{}"#,
        line.add_quantity,
        line.add_quantity_revise,
        line.aisle_no,
        line.cabinet_no,
        line.cost_price,
        line.id,
        is_bulk,
        json_string(&line.name),
        line.remove_quantity,
        line.remove_quantity_revise,
        line.sale_price,
        line.storage,
        prec = PRICE_SCALE,
    );

    match &line.thumb {
        Thumb::Url(url) => {
            let _ = write!(out, r#","thumbImage":{}"#, json_string(url));
        }
        Thumb::Null => out.push_str(r#","thumbImage":null"#),
        Thumb::Absent => {}
    }

    let _ = write!(out, r#","typeName":{}}}"#, json_string(&line.type_name));
}

/// Quotes and escapes a JSON string. Markup such as `<` stays as it is, as a real server sends it.
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_line(thumb: Thumb) -> ProductLine {
        ProductLine {
            id: 3297,
            name: "阿莎姆\"奶茶\"".to_owned(),
            type_name: "饮料".to_owned(),
            aisle_no: 101,
            cabinet_no: 1,
            is_bulk: false,
            thumb,
            storage: 41,
            remove_quantity: 0,
            remove_quantity_revise: 0,
            add_quantity: 13,
            add_quantity_revise: 12,
            sale_price: Decimal::new(65, 1),
            cost_price: Decimal::new(3_12345, 5),
        }
    }

    #[test]
    fn prices_keep_five_decimals() {
        let frame = final_list(1, &[sample_line(Thumb::Absent)]);

        assert!(frame.contains(r#""salePrice":6.50000"#), "{frame}");
        assert!(frame.contains(r#""costPrice":3.12345"#), "{frame}");
    }

    #[test]
    fn record_id_above_2_pow_53_is_exact() {
        let frame = final_list(900_000_000_000_000_001, &[]);

        assert_eq!(
            frame,
            r#"{"data":{"recordId":900000000000000001,"list":[]},"type":"final"}"#
        );
    }

    #[test]
    fn thumb_variants() {
        let url = final_list(1, &[sample_line(Thumb::Url("http://h/a.jpg".into()))]);
        let null = final_list(1, &[sample_line(Thumb::Null)]);
        let absent = final_list(1, &[sample_line(Thumb::Absent)]);

        assert!(url.contains(r#""thumbImage":"http://h/a.jpg""#), "{url}");
        assert!(null.contains(r#""thumbImage":null"#), "{null}");
        assert!(!absent.contains("thumbImage"), "{absent}");
    }

    #[test]
    fn line_is_valid_json() {
        let frame = final_list(7, &[sample_line(Thumb::Null), sample_line(Thumb::Absent)]);
        let value: serde_json::Value = serde_json::from_str(&frame).unwrap();

        assert_eq!(value["data"]["list"][0]["name"], "阿莎姆\"奶茶\"");
        assert_eq!(value["data"]["list"][1]["addQuantityRevise"], 12);
        assert_eq!(value["type"], "final");
    }
}
