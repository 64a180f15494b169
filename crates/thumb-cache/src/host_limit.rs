use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One semaphore per host and port, created on first use.
#[derive(Debug)]
pub(crate) struct HostLimiter {
    permits_per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimiter {
    pub(crate) fn new(permits_per_host: usize) -> Self {
        Self {
            permits_per_host,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a fetch slot on `host_port`. The slot is freed when the permit is dropped.
    pub(crate) async fn acquire(&self, host_port: &str) -> OwnedSemaphorePermit {
        let semaphore = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let semaphore = hosts
                .entry(host_port.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.permits_per_host)));
            Arc::clone(semaphore)
        };

        semaphore
            .acquire_owned()
            .await
            .expect("host semaphores are never closed")
    }
}
