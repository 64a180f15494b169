//! What `watch` reports about the record store: a final list that the same server already sent is
//! stored once, and the output reports it in both languages and in JSON.

mod common;

use cabinet_sim::Scenario;
use common::*;

#[tokio::test]
async fn repeated_list_reported_in_json() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let dir = tempfile::tempdir().unwrap();

    let first = record_session(&sim, dir.path(), 0).await;
    let second = record_session(&sim, dir.path(), 0).await;

    assert!(
        !first.event_names().contains(&"already_stored".to_owned()),
        "{first:?}"
    );
    assert_eq!(
        second.event_names(),
        [
            "connecting",
            "connected",
            "door_opened",
            "final",
            "already_stored",
            "closed"
        ]
    );
    let stored = second.event("already_stored");
    assert_eq!(stored["record_id"], 33116);
    assert_eq!(stored["session"], 2);
    assert_eq!(stored["existing_session"], 1);

    let document = list_json::<&str>(&[], dir.path()).await;
    assert_eq!(session(&document, 2)["duplicate_of"], 1);
    assert_eq!(document["totals"]["line_count"], 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn repeated_list_reported_in_text() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().display().to_string();
    let mut chinese = watch_with_token(&sim);
    chinese.extend(["--data-dir".to_owned(), data_dir.clone()]);
    let mut english = chinese.clone();
    english.extend(["--language".to_owned(), "en".to_owned()]);

    let first = run(&chinese).await;
    let second = run(&chinese).await;
    let third = run(&english).await;

    assert_eq!(first.code, Some(0), "{first:?}");
    assert!(!first.stdout.contains("已经保存"), "{}", first.stdout);
    assert_eq!(second.code, Some(0), "{second:?}");
    assert!(
        second.stdout.contains(
            "这份最终清单（记录号 33116）已经保存在会话 1 中，只保存一次，不会重复计算。"
        ),
        "{}",
        second.stdout
    );
    assert_eq!(third.code, Some(0), "{third:?}");
    assert!(
        third.stdout.contains(
            "This final list (record 33116) was already stored in session 1, so it is kept once and not counted twice."
        ),
        "{}",
        third.stdout
    );
    // The note follows the list it is about.
    let list_at = third.stdout.find("Record totals").unwrap();
    let note_at = third.stdout.find("already stored").unwrap();
    assert!(note_at > list_at, "{}", third.stdout);
    sim.shutdown().await;
}

#[tokio::test]
async fn lists_of_other_servers_stored_apart() {
    let first_sim = start_short(Scenario::ThreeDrinks).await;
    let second_sim = start_short(Scenario::ThreeDrinks).await;
    let dir = tempfile::tempdir().unwrap();

    record_session(&first_sim, dir.path(), 0).await;
    let other = record_session(&second_sim, dir.path(), 0).await;

    // Record ids are unique per server, so the same id from another port is another record.
    assert!(
        !other.event_names().contains(&"already_stored".to_owned()),
        "{other:?}"
    );
    let document = list_json::<&str>(&[], dir.path()).await;
    assert_eq!(document["totals"]["line_count"], 6);
    first_sim.shutdown().await;
    second_sim.shutdown().await;
}
