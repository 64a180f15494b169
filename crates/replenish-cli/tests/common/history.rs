//! A record store filled by real `watch` sessions against simulators, for the `records` tests.

use std::path::Path;

use cabinet_sim::Scenario;
use tempfile::TempDir;

use super::{record_session, short_config, start_sim};

/// The device of the three-drinks and empty sessions.
pub const DEVICE_A: u64 = 181_200_005;
/// The device of the door-failed and refused sessions.
pub const DEVICE_B: u64 = 181_200_006;

/// The record id of the simulator's three-drinks list.
pub const THREE_DRINKS_RECORD: i64 = 33116;

/// A data folder with five sessions, recorded in this order, so their ids are 1 to 5:
///
/// 1. three-drinks on device A: the final list, stored.
/// 2. three-drinks again on the same simulator: the same record, stored once, so a duplicate of 1.
/// 3. empty on device A: a final list without lines or record id.
/// 4. door-failed on device B.
/// 5. failure-someone-shopping on device B.
pub struct History {
    pub dir: TempDir,
    /// `host:port` of the three-drinks simulator, as the store keeps it.
    pub three_drinks_host: String,
}

impl History {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

pub async fn recorded_history() -> History {
    let dir = tempfile::tempdir().expect("temporary data folder");

    let three_drinks =
        start_sim(short_config(Scenario::ThreeDrinks).with_device_no(DEVICE_A)).await;
    record_session(&three_drinks, dir.path(), 0).await;
    let again = record_session(&three_drinks, dir.path(), 0).await;
    assert_eq!(
        again.event("already_stored")["existing_session"],
        1,
        "{again:?}"
    );
    let three_drinks_host = three_drinks.addr().to_string();
    three_drinks.shutdown().await;

    let empty = start_sim(short_config(Scenario::Empty).with_device_no(DEVICE_A)).await;
    record_session(&empty, dir.path(), 0).await;
    empty.shutdown().await;

    let door_failed = start_sim(short_config(Scenario::DoorFailed).with_device_no(DEVICE_B)).await;
    record_session(&door_failed, dir.path(), 3).await;
    door_failed.shutdown().await;

    let refused =
        start_sim(short_config(Scenario::FailureSomeoneShopping).with_device_no(DEVICE_B)).await;
    record_session(&refused, dir.path(), 2).await;
    refused.shutdown().await;

    History {
        dir,
        three_drinks_host,
    }
}
