//! Fixtures shared by the integration tests.

#![allow(dead_code)]

use std::path::Path;

use record_store::{NewSession, RecordStore, SessionId};
use replenish_core::frame::{decode, Frame};
use replenish_core::model::FinalList;

/// 2024-05-01 00:00:00 UTC, in ms since the Unix epoch.
pub const MAY_FIRST_2024_MS: u64 = 1_714_521_600_000;

/// A final frame with the hard cases. It has a record id above 2^53, a price with 20 significant
/// digits, trailing zeros, a weighed product, a correction and a missing cost price. One name
/// starts like a spreadsheet formula, and another has a comma, quotes and a line break.
pub const HARD_FINAL_FRAME: &str = r#"{
  "type": "final",
  "data": {
    "recordId": 900000000000000001,
    "list": [
      {"id": 3297, "name": "阿莎姆奶茶", "aisleNo": 101, "cabinetNo": 1, "isBulk": "0",
       "typeName": "饮料", "thumbImage": "http://ssib.gzncloud.com:10053/upload/image/1.jpg",
       "storage": 41, "addQuantity": 13, "addQuantityRevise": 13,
       "removeQuantity": 0, "removeQuantityRevise": 0,
       "salePrice": 6.50000, "costPrice": 3.10000},
      {"id": 4001, "name": "散装花生", "aisleNo": "0102", "cabinetNo": 1, "isBulk": "1",
       "typeName": "零食", "storage": 7, "addQuantity": 5, "addQuantityRevise": 4,
       "removeQuantity": 1, "removeQuantityRevise": 1,
       "salePrice": "12345678901234.56789", "costPrice": "8.25"},
      {"id": 4002, "name": "=HYPERLINK(\"http://evil.example\",\"x\")", "aisleNo": 201,
       "cabinetNo": 2, "isBulk": 0, "typeName": null, "storage": 3, "addQuantity": 2,
       "addQuantityRevise": 2, "removeQuantity": 0, "removeQuantityRevise": 0,
       "salePrice": 4.5},
      {"id": 4003, "name": "Cola, \"Zero\"\nLine", "aisleNo": 202, "cabinetNo": 2,
       "isBulk": "0", "typeName": "-drinks", "storage": 10, "addQuantity": 0,
       "addQuantityRevise": 0, "removeQuantity": 3, "removeQuantityRevise": 3,
       "salePrice": 3.00, "costPrice": 1.10}
    ]
  }
}"#;

/// Builds the three-drink example of the protocol, with record id `record_id`.
pub fn three_drinks_frame(record_id: i64) -> String {
    format!(
        r#"{{"type":"final","data":{{"recordId":{record_id},"list":[
{{"addQuantity":13,"addQuantityRevise":13,"aisleNo":101,"cabinetNo":1,"costPrice":3.10000,"id":3297,"isBulk":"0","name":"阿莎姆奶茶","removeQuantity":0,"removeQuantityRevise":0,"salePrice":6.50000,"storage":41,"typeName":"饮料"}},
{{"addQuantity":8,"addQuantityRevise":8,"aisleNo":102,"cabinetNo":1,"costPrice":2.20000,"id":3295,"isBulk":"0","name":"可口可乐","removeQuantity":0,"removeQuantityRevise":0,"salePrice":5.00000,"storage":29,"typeName":"饮料"}},
{{"addQuantity":9,"addQuantityRevise":9,"aisleNo":202,"cabinetNo":2,"costPrice":2.90000,"id":3296,"isBulk":"0","name":"脉动","removeQuantity":0,"removeQuantityRevise":0,"salePrice":6.00000,"storage":33,"typeName":"饮料"}}
]}}}}"#
    )
}

pub const DOOR_OPENED_FRAME: &str = r#"{"type":"door","success":"true","msg":"开门成功,请补货"}"#;
pub const DOOR_FAILED_FRAME: &str =
    r#"{"type":"door","success":"false","msg":"网络不畅,请稍后再试"}"#;
pub const FAILURE_FRAME: &str = r#"{"type":"failure","success":"false","msg":"有人正在购物"}"#;
pub const EMPTY_FINAL_FRAME: &str = r#"{"type":"final","data":{"list":[]}}"#;

/// Decodes a final frame into its list.
pub fn final_list(frame: &str) -> FinalList {
    match decode(frame).expect("fixture frame decodes").frame {
        Frame::Final(list) => list,
        other => panic!("fixture is not a final list: {other:?}"),
    }
}

/// Returns a new session of device 181200005 on the vendor's test host.
pub fn new_session(started_at_ms: u64) -> NewSession {
    NewSession {
        device_no: "181200005".to_owned(),
        device_name: Some("一楼东门柜".to_owned()),
        endpoint_host: "test.ssib.gzncloud.com".to_owned(),
        started_at_ms,
    }
}

/// Opens a store in `dir` and begins one session.
pub fn store_with_session(dir: &Path, started_at_ms: u64) -> (RecordStore, SessionId) {
    let store = RecordStore::open(dir).expect("store opens");
    let session = store
        .begin_session(&new_session(started_at_ms))
        .expect("session begins");
    (store, session)
}
