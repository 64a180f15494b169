//! The frame journal hook: every good text frame reaches the journal, token masked, before it is
//! acted on; of bad ones, the first few.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO};
use replenish_core::endpoint::{SessionRequest, SessionTarget};
use replenish_core::session::{run_journaled_session, FrameJournal, SessionConfig};
use replenish_core::state::SessionState;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A journal that keeps frames in memory, or fails every append when `broken`.
#[derive(Default)]
struct MemoryJournal {
    frames: Mutex<Vec<String>>,
    broken: bool,
}

impl FrameJournal for MemoryJournal {
    fn append(&self, frame: &str) -> std::io::Result<()> {
        if self.broken {
            return Err(std::io::Error::other("disk full"));
        }
        self.frames.lock().unwrap().push(frame.to_owned());
        Ok(())
    }
}

const TOKEN: &str = "journal+token/with=odd&chars~1234";

async fn run_with(journal: Arc<MemoryJournal>, scenario: Scenario) -> SessionState {
    let sim = cabinet_sim::start(SimConfig {
        scenario,
        token: TOKEN.to_owned(),
        door_delay: Duration::from_millis(20),
        door_open_for: Duration::from_millis(50),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let target = SessionTarget::parse(&SessionRequest {
        endpoint: sim.ws_endpoint(),
        device_no: DEFAULT_DEVICE_NO.to_string(),
        token: TOKEN.to_owned(),
        device_name: None,
    })
    .unwrap();

    let (sender, mut receiver) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while receiver.recv().await.is_some() {} });
    let end = run_journaled_session(
        target,
        SessionConfig::default(),
        CancellationToken::new(),
        sender,
        Some(journal),
    )
    .await;
    drain.await.unwrap();
    sim.shutdown().await;
    end
}

#[tokio::test]
async fn journal_gets_every_text_frame() {
    let journal = Arc::new(MemoryJournal::default());
    let end = run_with(journal.clone(), Scenario::ThreeDrinks).await;

    assert_eq!(end, SessionState::Finished);
    let frames = journal.frames.lock().unwrap().clone();
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(frames[0].contains(r#""type":"door""#), "{}", frames[0]);
    assert!(frames[1].contains(r#""recordId":33116"#), "{}", frames[1]);
}

#[tokio::test]
async fn journal_keeps_undecodable_frames() {
    let journal = Arc::new(MemoryJournal::default());
    let end = run_with(journal.clone(), Scenario::MalformedFrames).await;

    assert_eq!(end, SessionState::Finished);
    let frames = journal.frames.lock().unwrap().clone();
    // door, not JSON, no type, unknown type, final; the binary frame is not text.
    assert_eq!(frames.len(), 5, "{frames:?}");
}

#[tokio::test]
async fn failing_journal_keeps_session() {
    let journal = Arc::new(MemoryJournal {
        broken: true,
        ..MemoryJournal::default()
    });
    let end = run_with(journal, Scenario::ThreeDrinks).await;

    assert_eq!(end, SessionState::Finished);
}

#[tokio::test]
async fn flood_journals_first_bad_frames() {
    let journal = Arc::new(MemoryJournal::default());
    let end = run_with(journal.clone(), Scenario::Flood).await;

    assert_eq!(end, SessionState::Finished);
    let frames = journal.frames.lock().unwrap().clone();
    // The first 50 of the 10 000 bad frames, then the door and the final list.
    assert_eq!(frames.len(), 52, "{} frames journaled", frames.len());
    assert!(frames[50].contains(r#""type":"door""#), "{}", frames[50]);
    assert!(frames[51].contains(r#""recordId":33116"#), "{}", frames[51]);
}
