//! Decoding of the example frames and of every lenient form the contract allows.

use std::fs;
use std::path::PathBuf;

use replenish_core::frame::{decode, DecodeError, Decoded, Frame};
use replenish_core::model::{FinalList, PricingUnit, ProductLine};
use rust_decimal::Decimal;

fn frames_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/frames")
}

fn read_frame(name: &str) -> String {
    let path = frames_dir().join(name);
    fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()))
}

fn decode_file(name: &str) -> Decoded {
    let text = read_frame(name);
    decode(&text).unwrap_or_else(|error| panic!("{name} did not decode: {error}"))
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// Decodes a frame that must be a final list and returns the list.
fn decode_final(text: &str) -> FinalList {
    match decode(text) {
        Ok(Decoded {
            frame: Frame::Final(list),
            ..
        }) => list,
        other => panic!("expected a final list, got {other:?} from {text}"),
    }
}

/// Wraps product-line objects into a final frame with record id 1.
fn final_frame(lines: &[&str]) -> String {
    format!(
        r#"{{"type":"final","data":{{"recordId":1,"list":[{}]}}}}"#,
        lines.join(",")
    )
}

/// Decodes a final frame holding exactly one line and returns that line.
fn decode_single_line(line: &str) -> ProductLine {
    let list = decode_final(&final_frame(&[line]));
    assert_eq!(list.lines.len(), 1, "{line}");
    list.lines.into_iter().next().unwrap()
}

/// A complete product line with every scalar sent as a JSON number or the documented string.
const NUMBER_LINE: &str = r#"{"addQuantity":13,"addQuantityRevise":12,"aisleNo":101,"cabinetNo":1,"costPrice":3.10000,"id":3297,"isBulk":"0","name":"阿莎姆奶茶","removeQuantity":2,"removeQuantityRevise":1,"salePrice":6.50000,"storage":41,"thumbImage":"http://h:10053/a.jpg","typeName":"饮料"}"#;

/// The same line with every number sent as a string.
const STRING_LINE: &str = r#"{"addQuantity":"13","addQuantityRevise":"12","aisleNo":"101","cabinetNo":"1","costPrice":"3.10000","id":"3297","isBulk":"0","name":"阿莎姆奶茶","removeQuantity":"2","removeQuantityRevise":"1","salePrice":"6.50000","storage":"41","thumbImage":"http://h:10053/a.jpg","typeName":"饮料"}"#;

fn door(opened: bool, message: &str) -> Frame {
    Frame::Door {
        opened,
        message: Some(message.to_owned()),
        code: None,
    }
}

fn failure(message: &str) -> Frame {
    Frame::Failure {
        message: Some(message.to_owned()),
        code: None,
    }
}

// ---- The example frames ----

#[test]
fn every_example_file_decodes() {
    let mut names: Vec<String> = fs::read_dir(frames_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();

    assert_eq!(names.len(), 7, "{names:?}");
    for name in &names {
        let decoded = decode(&read_frame(name));
        assert!(decoded.is_ok(), "{name}: {decoded:?}");
        assert_eq!(
            decoded.unwrap().unknown_fields,
            Vec::<String>::new(),
            "{name}"
        );
    }
}

#[test]
fn door_opened_file() {
    let decoded = decode_file("door-opened.json");
    assert_eq!(decoded.frame, door(true, "开门成功,请补货"));
}

#[test]
fn door_failed_file() {
    let decoded = decode_file("door-failed.json");
    assert_eq!(decoded.frame, door(false, "网络不畅,请稍后再试"));
}

#[test]
fn final_empty_file() {
    let decoded = decode_file("final-empty.json");
    let expected = FinalList {
        record_id: None,
        lines: Vec::new(),
    };
    assert_eq!(decoded.frame, Frame::Final(expected));
}

#[test]
fn failure_files() {
    let cases = [
        ("failure-operation-failed.json", "操作失败"),
        ("failure-someone-shopping.json", "有人正在购物"),
        ("failure-already-replenishing.json", "该设备已处于补货状态"),
    ];
    for (name, message) in cases {
        assert_eq!(decode_file(name).frame, failure(message), "{name}");
    }
}

/// Builds a line with the fields that the three drinks of the example share: sold by piece,
/// category 饮料 and nothing removed. The caller sets the rest.
fn drink_template() -> ProductLine {
    ProductLine {
        product_id: None,
        name: String::new(),
        aisle_no: String::new(),
        cabinet_no: None,
        unit: PricingUnit::Piece,
        type_name: Some("饮料".to_owned()),
        thumb_image: None,
        storage: None,
        add_quantity: None,
        add_quantity_revise: None,
        remove_quantity: Some(0),
        remove_quantity_revise: Some(0),
        sale_price: None,
        cost_price: None,
        problems: Vec::new(),
    }
}

fn example_image(file: &str) -> Option<String> {
    Some(format!(
        "http://ssib.gzncloud.com:10053/upload/image/{file}"
    ))
}

#[test]
fn final_three_drinks_file() {
    let list = match decode_file("final-three-drinks.json").frame {
        Frame::Final(list) => list,
        other => panic!("expected a final list, got {other:?}"),
    };

    assert_eq!(list.record_id, Some(33116));
    assert_eq!(list.lines.len(), 3);
    let milk_tea = ProductLine {
        product_id: Some(3297),
        name: "阿莎姆奶茶".to_owned(),
        aisle_no: "101".to_owned(),
        cabinet_no: Some(1),
        thumb_image: example_image("19082818381970086303.jpg"),
        storage: Some(41),
        add_quantity: Some(13),
        add_quantity_revise: Some(13),
        sale_price: Some(dec("6.50000")),
        cost_price: Some(dec("3.10000")),
        ..drink_template()
    };
    let cola = ProductLine {
        product_id: Some(3295),
        name: "可口可乐".to_owned(),
        aisle_no: "102".to_owned(),
        cabinet_no: Some(1),
        thumb_image: example_image("19083113201452804856.jpg"),
        storage: Some(29),
        add_quantity: Some(8),
        add_quantity_revise: Some(8),
        sale_price: Some(dec("5.00000")),
        cost_price: Some(dec("2.20000")),
        ..drink_template()
    };
    let mizone = ProductLine {
        product_id: Some(3296),
        name: "脉动".to_owned(),
        aisle_no: "202".to_owned(),
        cabinet_no: Some(2),
        thumb_image: example_image("19083113531079673116.jpg"),
        storage: Some(33),
        add_quantity: Some(9),
        add_quantity_revise: Some(9),
        sale_price: Some(dec("6.00000")),
        cost_price: Some(dec("2.90000")),
        ..drink_template()
    };
    assert_eq!(list.lines[0], milk_tea);
    assert_eq!(list.lines[1], cola);
    assert_eq!(list.lines[2], mizone);
}

#[test]
fn final_three_drinks_prices_keep_scale() {
    let list = decode_final(&read_frame("final-three-drinks.json"));

    // Decimal equality ignores the scale, so the text is compared as well.
    let prices: Vec<(String, String)> = list
        .lines
        .iter()
        .map(|line| {
            (
                line.cost_price.unwrap().to_string(),
                line.sale_price.unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(prices[0], ("3.10000".to_owned(), "6.50000".to_owned()));
    assert_eq!(prices[1], ("2.20000".to_owned(), "5.00000".to_owned()));
    assert_eq!(prices[2], ("2.90000".to_owned(), "6.00000".to_owned()));
}

// ---- Lenient scalars ----

#[test]
fn line_string_and_number_forms_match() {
    let from_numbers = decode_single_line(NUMBER_LINE);
    let from_strings = decode_single_line(STRING_LINE);

    assert_eq!(from_numbers.problems, Vec::new());
    assert_eq!(from_strings, from_numbers);
}

#[test]
fn line_number_form_values() {
    let line = decode_single_line(NUMBER_LINE);

    assert_eq!(line.product_id, Some(3297));
    assert_eq!(line.aisle_no, "101");
    assert_eq!(line.cabinet_no, Some(1));
    assert_eq!(line.unit, PricingUnit::Piece);
    assert_eq!(line.storage, Some(41));
    assert_eq!(line.add_quantity, Some(13));
    assert_eq!(line.add_quantity_revise, Some(12));
    assert_eq!(line.remove_quantity, Some(2));
    assert_eq!(line.remove_quantity_revise, Some(1));
    assert_eq!(line.sale_price.unwrap().to_string(), "6.50000");
    assert_eq!(line.cost_price.unwrap().to_string(), "3.10000");
}

#[test]
fn aisle_number_and_string_match() {
    let from_number = decode_single_line(NUMBER_LINE);
    let from_string =
        decode_single_line(&NUMBER_LINE.replace(r#""aisleNo":101"#, r#""aisleNo":"101""#));

    assert_eq!(from_number.aisle_no, "101");
    assert_eq!(from_string.aisle_no, "101");
}

#[test]
fn aisle_leading_zero_kept() {
    let line = decode_single_line(&NUMBER_LINE.replace(r#""aisleNo":101"#, r#""aisleNo":"0101""#));
    assert_eq!(line.aisle_no, "0101");
}

#[test]
fn is_bulk_forms() {
    let cases = [
        (r#""isBulk":"1""#, PricingUnit::Jin),
        (r#""isBulk":1"#, PricingUnit::Jin),
        (r#""isBulk":true"#, PricingUnit::Jin),
        (r#""isBulk":"true""#, PricingUnit::Jin),
        (r#""isBulk":"0""#, PricingUnit::Piece),
        (r#""isBulk":0"#, PricingUnit::Piece),
        (r#""isBulk":false"#, PricingUnit::Piece),
    ];
    for (field, unit) in cases {
        let line = decode_single_line(&NUMBER_LINE.replace(r#""isBulk":"0""#, field));
        assert_eq!(line.unit, unit, "{field}");
        assert_eq!(line.problems, Vec::new(), "{field}");
    }
}

#[test]
fn door_success_forms() {
    let cases = [
        (r#"{"type":"door","success":"true"}"#, true),
        (r#"{"type":"door","success":true}"#, true),
        (r#"{"type":"door","success":"TRUE"}"#, true),
        (r#"{"type":"door","success":1}"#, true),
        (r#"{"type":"door","success":"false"}"#, false),
        (r#"{"type":"door","success":false}"#, false),
        (r#"{"type":"door","success":"0"}"#, false),
    ];
    for (text, opened) in cases {
        let expected = Frame::Door {
            opened,
            message: None,
            code: None,
        };
        assert_eq!(decode(text).map(|d| d.frame), Ok(expected), "{text}");
    }
}

#[test]
fn door_code_zero_forms() {
    for code in [r#""0""#, "0"] {
        let text = format!(r#"{{"type":"door","success":"true","code":{code},"msg":"ok"}}"#);
        let expected = Frame::Door {
            opened: true,
            message: Some("ok".to_owned()),
            code: Some(0),
        };
        assert_eq!(decode(&text).map(|d| d.frame), Ok(expected), "{text}");
    }
}

#[test]
fn door_code_alone_decides() {
    let opened = decode(r#"{"type":"door","code":0}"#).unwrap().frame;
    let failed = decode(r#"{"type":"door","code":7}"#).unwrap().frame;

    assert!(
        matches!(opened, Frame::Door { opened: true, .. }),
        "{opened:?}"
    );
    assert!(
        matches!(failed, Frame::Door { opened: false, .. }),
        "{failed:?}"
    );
}

#[test]
fn door_without_outcome_is_error() {
    let result = decode(r#"{"type":"door","msg":"?"}"#);
    assert_eq!(result, Err(DecodeError::MissingField { field: "success" }));
}

#[test]
fn type_with_spaces_is_trimmed() {
    let decoded = decode(r#"{"type":" door ","success":"true"}"#).unwrap();
    assert!(
        matches!(decoded.frame, Frame::Door { opened: true, .. }),
        "{decoded:?}"
    );
}

#[test]
fn keys_with_spaces_are_trimmed() {
    // A copy of the vendor's example had spaces pasted into keys.
    let line = NUMBER_LINE.replace(r#""removeQuantity":2"#, r#"" removeQuantity ":2"#);
    let line = decode_single_line(&line);

    assert_eq!(line.remove_quantity, Some(2));
    assert_eq!(line.problems, Vec::new());
}

// ---- `data` and optional fields ----

/// Returns the exact text of the `data` field of a frame.
fn raw_data(text: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Outer<'a> {
        #[serde(borrow)]
        data: &'a serde_json::value::RawValue,
    }
    let outer: Outer = serde_json::from_str(text).unwrap();
    outer.data.get().to_owned()
}

#[test]
fn double_encoded_data_matches_object() {
    let object_form = read_frame("final-three-drinks.json");
    let data_as_string = serde_json::to_string(&raw_data(&object_form)).unwrap();
    let string_form = format!(r#"{{"type":"final","data":{data_as_string}}}"#);

    assert!(string_form.contains(r#"\"recordId\""#), "{string_form}");
    assert_eq!(decode(&string_form), decode(&object_form));
}

#[test]
fn double_encoded_empty_data() {
    let list = decode_final(r#"{"type":"final","data":"{\"list\":[]}"}"#);
    assert_eq!(
        list,
        FinalList {
            record_id: None,
            lines: Vec::new()
        }
    );
}

#[test]
fn data_of_wrong_kind_is_error() {
    for data in ["5", "true", r#""not an object""#, "[]"] {
        let text = format!(r#"{{"type":"final","data":{data}}}"#);
        assert!(decode(&text).is_err(), "{text}");
    }
}

#[test]
fn final_without_data_is_error() {
    let result = decode(r#"{"type":"final"}"#);
    assert_eq!(result, Err(DecodeError::MissingField { field: "data" }));
}

#[test]
fn final_without_list_is_error() {
    let result = decode(r#"{"type":"final","data":{"recordId":3}}"#);
    assert_eq!(
        result,
        Err(DecodeError::MissingField { field: "data.list" })
    );
}

#[test]
fn final_with_null_list_is_empty() {
    let list = decode_final(r#"{"type":"final","data":{"recordId":3,"list":null}}"#);
    assert_eq!(list.record_id, Some(3));
    assert_eq!(list.lines, Vec::new());
}

#[test]
fn missing_optional_fields() {
    let line = NUMBER_LINE
        .replace(r#","thumbImage":"http://h:10053/a.jpg""#, "")
        .replace(r#","typeName":"饮料""#, "");
    let text = format!(r#"{{"type":"final","data":{{"list":[{line}]}}}}"#);
    let list = decode_final(&text);

    assert_eq!(list.record_id, None);
    assert_eq!(list.lines[0].type_name, None);
    assert_eq!(list.lines[0].thumb_image, None);
    assert_eq!(list.lines[0].problems, Vec::new());
}

#[test]
fn empty_and_null_optional_fields() {
    let cases = [
        (r#""thumbImage":null"#, r#""typeName":null"#),
        (r#""thumbImage":"""#, r#""typeName":"""#),
        (r#""thumbImage":"  ""#, r#""typeName":" ""#),
    ];
    for (thumb, type_name) in cases {
        let line = NUMBER_LINE
            .replace(r#""thumbImage":"http://h:10053/a.jpg""#, thumb)
            .replace(r#""typeName":"饮料""#, type_name);
        let line = decode_single_line(&line);

        assert_eq!(line.thumb_image, None, "{thumb}");
        assert_eq!(line.type_name, None, "{type_name}");
        assert_eq!(line.problems, Vec::new(), "{thumb}");
    }
}

#[test]
fn missing_revise_falls_back_to_first_count() {
    let line = NUMBER_LINE
        .replace(r#""addQuantityRevise":12,"#, "")
        .replace(r#""removeQuantityRevise":1,"#, "");
    let line = decode_single_line(&line);

    assert_eq!(line.add_quantity_revise, None);
    assert_eq!(line.settled_added(), Some(13));
    assert_eq!(line.settled_removed(), Some(2));
    assert_eq!(line.problems, Vec::new());
}

#[test]
fn unknown_fields_are_listed() {
    let line = NUMBER_LINE.replace(r#""id":3297"#, r#""id":3297,"barcode":"690123""#);
    let text = format!(
        r#"{{"type":"final","traceId":"t-1","data":{{"recordId":9,"shopId":4,"list":[{line}]}}}}"#
    );
    let decoded = decode(&text).unwrap();

    assert_eq!(decoded.unknown_fields, vec!["traceId", "shopId", "barcode"]);
    let Frame::Final(list) = decoded.frame else {
        panic!("expected a final list, got {:?}", decoded.frame);
    };
    assert_eq!(list.record_id, Some(9));
    assert_eq!(list.lines.len(), 1);
    assert_eq!(list.lines[0].product_id, Some(3297));
}

#[test]
fn unknown_fields_on_door() {
    let decoded = decode(r#"{"type":"door","success":"true","deviceNo":181200005}"#).unwrap();

    assert_eq!(decoded.unknown_fields, vec!["deviceNo"]);
    assert!(
        matches!(decoded.frame, Frame::Door { opened: true, .. }),
        "{decoded:?}"
    );
}

#[test]
fn unknown_fields_are_bounded() {
    let extra: Vec<String> = (0..40)
        .map(|index| format!(r#""extra{index:02}":1"#))
        .collect();
    let text = format!(r#"{{"type":"failure",{}}}"#, extra.join(","));
    let decoded = decode(&text).unwrap();

    assert_eq!(decoded.unknown_fields.len(), 16);
    assert!(
        matches!(decoded.frame, Frame::Failure { .. }),
        "{decoded:?}"
    );
}

// ---- `code` ----

#[test]
fn door_nonzero_code_not_opened() {
    for code in ["1001", r#""1001""#] {
        let text = format!(r#"{{"type":"door","success":"true","code":{code},"msg":"设备离线"}}"#);
        let expected = Frame::Door {
            opened: false,
            message: Some("设备离线".to_owned()),
            code: Some(1001),
        };
        assert_eq!(decode(&text).map(|d| d.frame), Ok(expected), "{text}");
    }
}

#[test]
fn final_nonzero_code_is_failure() {
    let text = r#"{"type":"final","code":500,"msg":"统计失败","data":{"recordId":1,"list":[]}}"#;
    let expected = Frame::Failure {
        message: Some("统计失败".to_owned()),
        code: Some(500),
    };
    assert_eq!(decode(text).map(|d| d.frame), Ok(expected));
}

#[test]
fn final_nonzero_code_without_data() {
    let text = r#"{"type":"final","code":"3","success":"true"}"#;
    let expected = Frame::Failure {
        message: None,
        code: Some(3),
    };
    assert_eq!(decode(text).map(|d| d.frame), Ok(expected));
}

#[test]
fn final_zero_code_is_list() {
    let list = decode_final(r#"{"type":"final","code":"0","data":{"recordId":2,"list":[]}}"#);
    assert_eq!(list.record_id, Some(2));
}

#[test]
fn failure_keeps_code() {
    let text = r#"{"type":"failure","success":"false","code":"42","msg":"操作失败"}"#;
    let expected = Frame::Failure {
        message: Some("操作失败".to_owned()),
        code: Some(42),
    };
    assert_eq!(decode(text).map(|d| d.frame), Ok(expected));
}

// ---- Exact numbers ----

#[test]
fn price_with_19_digits_exact() {
    let line = NUMBER_LINE.replace("6.50000", "12345678901234.56789");
    let price = decode_single_line(&line).sale_price.unwrap();

    assert_eq!(price, dec("12345678901234.56789"));
    assert_eq!(price.to_string(), "12345678901234.56789");
}

#[test]
fn price_as_string_with_19_digits_exact() {
    let line = NUMBER_LINE.replace("6.50000", r#""12345678901234.56789""#);
    let price = decode_single_line(&line).sale_price.unwrap();

    assert_eq!(price.to_string(), "12345678901234.56789");
}

#[test]
fn record_id_above_2_pow_53_exact() {
    let text = r#"{"type":"final","data":{"recordId":900000000000000001,"list":[]}}"#;
    let list = decode_final(text);

    // As f64 this id would read as 900000000000000000.
    assert_eq!(list.record_id, Some(900_000_000_000_000_001));
}

#[test]
fn record_id_as_string() {
    let list = decode_final(r#"{"type":"final","data":{"recordId":"33116","list":[]}}"#);
    assert_eq!(list.record_id, Some(33116));
}

#[test]
fn price_in_exponent_notation() {
    let line = NUMBER_LINE
        .replace("6.50000", "6.5E0")
        .replace("3.10000", "31e-1");
    let line = decode_single_line(&line);

    assert_eq!(line.sale_price, Some(dec("6.5")));
    assert_eq!(line.cost_price, Some(dec("3.1")));
    assert_eq!(line.problems, Vec::new());
}

#[test]
fn bad_price_keeps_line() {
    let line = NUMBER_LINE.replace("6.50000", r#""六块五""#);
    let line = decode_single_line(&line);

    assert_eq!(line.sale_price, None);
    assert_eq!(line.cost_price, Some(dec("3.10000")));
    assert_eq!(line.name, "阿莎姆奶茶");
    assert_eq!(line.problems.len(), 1);
    assert_eq!(line.problems[0].field, "salePrice");
}

#[test]
fn negative_price_and_count_are_problems() {
    let line = NUMBER_LINE
        .replace("6.50000", "-6.505")
        .replace(r#""addQuantity":13"#, r#""addQuantity":-13"#);
    let line = decode_single_line(&line);

    assert_eq!(line.sale_price, None);
    assert_eq!(line.add_quantity, None);
    let fields: Vec<&str> = line
        .problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, vec!["addQuantity", "salePrice"]);
    assert_eq!(line.problems[1].problem, "-6.505 is negative");
}

#[test]
fn missing_price_is_problem() {
    let line = NUMBER_LINE.replace(r#""salePrice":6.50000,"#, "");
    let line = decode_single_line(&line);

    assert_eq!(line.sale_price, None);
    assert_eq!(line.problems.len(), 1);
    assert_eq!(line.problems[0].field, "salePrice");
    assert_eq!(line.problems[0].problem, "missing");
}

#[test]
fn bad_fields_keep_other_lines() {
    let bad = NUMBER_LINE
        .replace(r#""id":3297"#, r#""id":"x12""#)
        .replace(r#""storage":41"#, r#""storage":1.5"#)
        .replace(r#""cabinetNo":1"#, r#""cabinetNo":[1]"#);
    let list = decode_final(&final_frame(&[&bad, STRING_LINE]));

    let fields: Vec<&str> = list.lines[0]
        .problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, vec!["id", "cabinetNo", "storage"]);
    assert_eq!(list.lines[0].product_id, None);
    assert_eq!(list.lines[0].cabinet_no, None);
    assert_eq!(list.lines[0].storage, None);
    assert_eq!(list.lines[1].problems, Vec::new());
}

#[test]
fn line_that_is_not_object_is_error() {
    let result = decode(&final_frame(&["42"]));
    assert!(
        matches!(&result, Err(DecodeError::InvalidField(problem)) if problem.field == "data.list[0]"),
        "{result:?}"
    );
}

// ---- Frames that cannot be decoded ----

#[test]
fn not_json_is_error() {
    for text in ["not json", "", "{\"type\":\"door\"", "{'type':'door'}"] {
        let result = decode(text);
        assert!(
            matches!(result, Err(DecodeError::NotJson { .. })),
            "{text:?}: {result:?}"
        );
    }
}

#[test]
fn not_an_object_is_error() {
    for text in ["[1,2]", r#""door""#, "42", "null", "true"] {
        assert_eq!(decode(text), Err(DecodeError::NotAnObject), "{text}");
    }
}

#[test]
fn missing_type_is_error() {
    let result = decode(r#"{"success":"true","msg":"开门成功,请补货"}"#);
    assert_eq!(result, Err(DecodeError::MissingType));
}

#[test]
fn null_type_is_error() {
    let result = decode(r#"{"type":null,"success":"true"}"#);
    assert_eq!(result, Err(DecodeError::MissingType));
}

#[test]
fn nested_type_is_error() {
    let result = decode(r#"{"type":{"name":"door"}}"#);
    assert!(
        matches!(result, Err(DecodeError::InvalidField(_))),
        "{result:?}"
    );
}

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// The decoder keeps nested values as raw text, and serde_json 1.0 skips over them with a loop
// and an explicit stack rather than recursion (`Deserializer::ignore_value`). So deep nesting
// cannot overflow the stack, and these tests would abort the test process if it did.

#[test]
fn deep_nesting_in_msg_is_error() {
    let text = format!(
        r#"{{"type":"door","success":"true","msg":{}}}"#,
        nested_arrays(10_000)
    );

    let result = decode(&text);
    assert!(
        matches!(&result, Err(DecodeError::InvalidField(problem)) if problem.field == "msg"),
        "{result:?}"
    );
}

#[test]
fn deep_nesting_as_data_is_error() {
    let text = format!(r#"{{"type":"final","data":{}}}"#, nested_arrays(10_000));

    assert_eq!(decode(&text), Err(DecodeError::NotAnObject));
}

#[test]
fn deep_nesting_in_line_field_is_problem() {
    let line = NUMBER_LINE.replace(
        r#""name":"阿莎姆奶茶""#,
        &format!(r#""name":{}"#, nested_arrays(10_000)),
    );
    let line = decode_single_line(&line);

    assert_eq!(line.name, "");
    assert_eq!(line.problems.len(), 1);
    assert_eq!(line.problems[0].field, "name");
}

#[test]
fn deep_nesting_in_unknown_field_is_ignored() {
    for depth in [10_000, 1_000_000] {
        let text = format!(
            r#"{{"type":"door","success":"true","extra":{}}}"#,
            nested_arrays(depth)
        );
        let decoded = decode(&text).unwrap();

        assert!(
            matches!(decoded.frame, Frame::Door { opened: true, .. }),
            "depth {depth}"
        );
        assert_eq!(decoded.unknown_fields, vec!["extra"], "depth {depth}");
    }
}

#[test]
fn deep_nesting_in_double_encoded_data_is_ignored() {
    let inner = format!(r#"{{"list":[],"extra":{}}}"#, nested_arrays(10_000));
    let data = serde_json::to_string(&inner).unwrap();
    let text = format!(r#"{{"type":"final","data":{data}}}"#);
    let decoded = decode(&text).unwrap();

    let expected = FinalList {
        record_id: None,
        lines: Vec::new(),
    };
    assert_eq!(decoded.frame, Frame::Final(expected));
    assert_eq!(decoded.unknown_fields, vec!["extra"]);
}

#[test]
fn unknown_type_is_reported() {
    let decoded = decode(r#"{"type":"heartbeat","ts":1}"#).unwrap();
    let expected = Frame::Unknown {
        type_name: "heartbeat".to_owned(),
    };
    assert_eq!(decoded.frame, expected);
}
