//! Desktop notifications: which events of a session give one, and their texts in both languages.

use i18n::{Catalogue, Language};
use replenish_core::event::{ConnectErrorKind, LostCause, SessionEvent};
use replenish_core::frame::{decode, Frame};
use replenish_core::model::FinalList;
use replenish_core::notification::{
    notification_for, NotificationKind, NotificationSwitches, NotificationView,
};
use replenish_core::presenter::{Presenter, SessionContext};

const OPENED_AT: u64 = 1_700_000_000_000;

fn context(device_name: Option<&str>) -> SessionContext {
    SessionContext {
        session_id: 42,
        device_no: "181200005".to_owned(),
        device_name: device_name.map(str::to_owned),
        endpoint_host: "127.0.0.1:9000".to_owned(),
        endpoint: "ws://127.0.0.1:9000/x".to_owned(),
    }
}

fn final_list(json: &str) -> FinalList {
    match decode(json).unwrap().frame {
        Frame::Final(list) => list,
        other => panic!("expected a final list, got {other:?}"),
    }
}

fn three_drinks() -> SessionEvent {
    SessionEvent::FinalList(final_list(include_str!("frames/final-three-drinks.json")))
}

fn door_opened() -> SessionEvent {
    SessionEvent::DoorOpened {
        message: Some("开门成功,请补货".to_owned()),
        at_ms: OPENED_AT,
    }
}

/// Feeds `events` to a presenter of a named device and returns the notification of each, in
/// `language`.
fn notifications_in(
    language: Language,
    device_name: Option<&str>,
    events: &[SessionEvent],
) -> Vec<Option<NotificationView>> {
    let catalogue = Catalogue::get(language);
    let mut presenter = Presenter::new(context(device_name));
    events
        .iter()
        .map(|event| {
            let update = presenter.on_event(event, &mut |_| None);
            notification_for(event, presenter.state(), &update, catalogue)
        })
        .collect()
}

/// Returns the notification of the last of `events`, for the device 一楼大厅, in Chinese.
fn last_notification(events: &[SessionEvent]) -> Option<NotificationView> {
    notifications_in(Language::ZhCn, Some("一楼大厅"), events)
        .pop()
        .flatten()
}

#[test]
fn door_open_notifies_once() {
    let shown = notifications_in(
        Language::ZhCn,
        Some("一楼大厅"),
        &[SessionEvent::Connected, door_opened(), door_opened()],
    );

    assert_eq!(shown[0], None, "connecting gives no notification");
    let door = shown[1].as_ref().expect("a notification for the open door");
    assert_eq!(door.kind, NotificationKind::DoorOpen);
    assert_eq!(door.session_id, 42);
    assert_eq!(door.title, "货柜门已打开");
    assert_eq!(
        door.body,
        "一楼大厅（设备 181200005）\n请现在补货。关门后会收到补货清单。"
    );
    assert_eq!(shown[2], None, "a repeated door frame gives no second one");
}

#[test]
fn final_list_gives_totals() {
    let shown = last_notification(&[SessionEvent::Connected, door_opened(), three_drinks()])
        .expect("a notification for the final list");

    assert_eq!(shown.kind, NotificationKind::FinalList);
    assert_eq!(shown.title, "补货清单已收到");
    assert_eq!(
        shown.body,
        "一楼大厅（设备 181200005）\n补货 30，撤货 0，销售金额 ¥178.50"
    );
}

#[test]
fn final_list_in_english() {
    let shown = notifications_in(
        Language::En,
        None,
        &[SessionEvent::Connected, door_opened(), three_drinks()],
    )
    .pop()
    .flatten()
    .expect("a notification for the final list");

    assert_eq!(shown.title, "Final list received");
    assert_eq!(
        shown.body,
        "Device 181200005\nAdded 30, removed 0, sale value ¥178.50"
    );
}

#[test]
fn empty_final_list_says_nothing_changed() {
    let empty = SessionEvent::FinalList(final_list(include_str!("frames/final-empty.json")));
    let shown = last_notification(&[door_opened(), empty]).expect("a notification");

    assert_eq!(shown.kind, NotificationKind::FinalList);
    assert_eq!(
        shown.body,
        "一楼大厅（设备 181200005）\n本次没有补货，也没有撤货。"
    );
}

#[test]
fn incomplete_totals_are_flagged() {
    let mut list = final_list(include_str!("frames/final-three-drinks.json"));
    list.lines[0].sale_price = None;

    let shown =
        last_notification(&[door_opened(), SessionEvent::FinalList(list)]).expect("a notification");

    let lines: Vec<&str> = shown.body.lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[1].starts_with("补货 30，撤货 0，销售金额 "),
        "{lines:?}"
    );
    assert_eq!(lines[2], "部分商品的数据不完整，合计中没有计入缺失的数值。");
}

#[test]
fn refused_session_shows_server_message() {
    let shown = last_notification(&[
        SessionEvent::Connected,
        SessionEvent::Failure {
            message: Some("有人正在购物".to_owned()),
            code: Some(1),
        },
    ])
    .expect("a notification");

    assert_eq!(shown.kind, NotificationKind::Failure);
    assert_eq!(shown.title, "服务器拒绝了本次补货");
    assert_eq!(
        shown.body,
        "一楼大厅（设备 181200005）\n服务器消息：有人正在购物"
    );
}

#[test]
fn failed_door_without_message_gives_next_step() {
    let shown = notifications_in(
        Language::En,
        None,
        &[
            SessionEvent::Connected,
            SessionEvent::DoorFailed {
                message: None,
                code: None,
            },
        ],
    )
    .pop()
    .flatten()
    .expect("a notification");

    assert_eq!(shown.kind, NotificationKind::Failure);
    assert_eq!(shown.title, "The cabinet door did not open");
    let next_step = Catalogue::get(Language::En).text("next.door_failed");
    assert_eq!(shown.body, format!("Device 181200005\n{next_step}"));
}

#[test]
fn connect_failure_names_endpoint() {
    let shown = last_notification(&[SessionEvent::ConnectFailed {
        kind: ConnectErrorKind::Refused,
        reason: "connection refused".to_owned(),
    }])
    .expect("a notification");

    assert_eq!(shown.kind, NotificationKind::Failure);
    assert_eq!(shown.title, "无法连接货柜服务器");
    let detail = Catalogue::get(Language::ZhCn).format(
        "session.detail.connect.refused",
        &[("endpoint", "127.0.0.1:9000")],
    );
    assert_eq!(shown.body, format!("一楼大厅（设备 181200005）\n{detail}"));
}

#[test]
fn rejected_handshake_gives_status() {
    let shown = last_notification(&[SessionEvent::HandshakeRejected {
        status: 403,
        body_excerpt: "forbidden".to_owned(),
    }])
    .expect("a notification");

    assert_eq!(shown.title, "服务器拒绝了连接");
    assert!(shown.body.contains("403"), "{}", shown.body);
}

#[test]
fn door_timeout_gives_wait() {
    let shown = last_notification(&[
        SessionEvent::Connected,
        SessionEvent::DoorTimedOut { waited_secs: 90 },
    ])
    .expect("a notification");

    assert_eq!(shown.kind, NotificationKind::Failure);
    assert_eq!(shown.title, "等待开门超时");
    assert!(shown.body.contains("90"), "{}", shown.body);
}

#[test]
fn lost_connection_notifies() {
    let shown = last_notification(&[
        SessionEvent::Connected,
        door_opened(),
        SessionEvent::ConnectionLost {
            cause: LostCause::Reset,
            close_code: None,
            reason: "reset".to_owned(),
        },
    ])
    .expect("a notification");

    assert_eq!(shown.kind, NotificationKind::Failure);
    assert_eq!(shown.title, "与货柜服务器的连接已断开");
    let detail = Catalogue::get(Language::ZhCn).text("session.detail.lost.reset");
    assert_eq!(shown.body, format!("一楼大厅（设备 181200005）\n{detail}"));
}

#[test]
fn cancel_and_late_events_are_silent() {
    let cancelled = notifications_in(
        Language::ZhCn,
        None,
        &[SessionEvent::Connected, SessionEvent::Cancelled],
    );
    assert_eq!(cancelled, vec![None, None]);

    let after_final = notifications_in(
        Language::ZhCn,
        None,
        &[
            door_opened(),
            three_drinks(),
            SessionEvent::ConnectionLost {
                cause: LostCause::Reset,
                close_code: None,
                reason: "reset".to_owned(),
            },
            SessionEvent::Closed { close_code: 1000 },
        ],
    );
    assert!(after_final[1].is_some());
    assert_eq!(after_final[2], None, "the session had already finished");
    assert_eq!(after_final[3], None);
}

#[test]
fn door_after_reconnect_is_silent() {
    let shown = notifications_in(
        Language::ZhCn,
        None,
        &[
            SessionEvent::Connected,
            door_opened(),
            SessionEvent::Interrupted {
                cause: LostCause::Reset,
                close_code: None,
                reason: "reset".to_owned(),
                next_attempt: 1,
                max_attempts: 3,
                delay_ms: 1_000,
                retry_at_ms: OPENED_AT + 5_000,
            },
            SessionEvent::Reconnecting {
                attempt: 1,
                max_attempts: 3,
            },
            SessionEvent::Connected,
            SessionEvent::DoorOpened {
                message: None,
                at_ms: OPENED_AT + 7_000,
            },
        ],
    );

    assert_eq!(
        shown[1].as_ref().map(|door| door.kind),
        Some(NotificationKind::DoorOpen)
    );
    assert_eq!(shown[2], None, "a wait to reconnect is no failure yet");
    assert_eq!(shown[3], None);
    assert_eq!(shown[4], None, "the door was already notified open");
    assert_eq!(shown[5], None);
}

#[test]
fn switches_default_to_on() {
    let switches = NotificationSwitches::default();
    for kind in [
        NotificationKind::DoorOpen,
        NotificationKind::FinalList,
        NotificationKind::Failure,
    ] {
        assert!(switches.allows(kind), "{kind:?}");
    }

    let older_file: NotificationSwitches = serde_json::from_str("{}").unwrap();
    assert_eq!(older_file, switches);
}

#[test]
fn switch_turns_off_one_kind() {
    let switches: NotificationSwitches = serde_json::from_str(r#"{"doorOpen": false}"#).unwrap();

    assert!(!switches.allows(NotificationKind::DoorOpen));
    assert!(switches.allows(NotificationKind::FinalList));
    assert!(switches.allows(NotificationKind::Failure));
    assert_eq!(
        serde_json::to_value(switches).unwrap(),
        serde_json::json!({ "doorOpen": false, "finalList": true, "failure": true })
    );
}
