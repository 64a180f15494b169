use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::{Thumb, ThumbError};

pub(crate) type Outcome = Result<Thumb, ThumbError>;
type OutcomeReceiver = watch::Receiver<Option<Outcome>>;

/// Running loads by cache key, so that concurrent requests for one URL share one load.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    loads: Mutex<HashMap<String, OutcomeReceiver>>,
}

/// Role of a request in a shared load.
pub(crate) enum Join {
    /// First request: it must start the load and publish the outcome through `Leader`.
    Leader(Leader, OutcomeReceiver),
    /// Later request: it waits for the leader's outcome.
    Follower(OutcomeReceiver),
}

/// Publisher of one load's outcome. Dropping it, even in a panic, removes the load from the
/// map, so the next request starts a new one.
pub(crate) struct Leader {
    in_flight: Arc<InFlight>,
    key: String,
    sender: watch::Sender<Option<Outcome>>,
}

impl InFlight {
    pub(crate) fn join(self: &Arc<Self>, key: &str) -> Join {
        let mut loads = self.lock_loads();

        if let Some(receiver) = loads.get(key) {
            return Join::Follower(receiver.clone());
        }

        let (sender, receiver) = watch::channel(None);
        loads.insert(key.to_owned(), receiver.clone());
        let leader = Leader {
            in_flight: Arc::clone(self),
            key: key.to_owned(),
            sender,
        };
        Join::Leader(leader, receiver)
    }

    fn lock_loads(&self) -> MutexGuard<'_, HashMap<String, OutcomeReceiver>> {
        self.loads
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Leader {
    /// Sends the outcome to every waiting request. A request that joins after this and before
    /// the drop still receives it, because a watch channel keeps its last value.
    pub(crate) fn publish(self, outcome: Outcome) {
        self.sender.send_replace(Some(outcome));
    }
}

impl Drop for Leader {
    fn drop(&mut self) {
        self.in_flight.lock_loads().remove(&self.key);
    }
}

/// Waits for the outcome of a shared load. `None` means the load ended without one, when its
/// task panicked or the runtime shut down.
pub(crate) async fn wait_for_outcome(mut receiver: OutcomeReceiver) -> Option<Outcome> {
    let outcome = receiver.wait_for(Option::is_some).await.ok()?;
    outcome.clone()
}
