//! Named points where a crash test can stop a child process, so it can be killed there.
//!
//! Test builds only: in every other build [`reach`] is an empty function.

/// The environment variable naming the point at which the process pauses.
#[cfg(test)]
pub(crate) const PAUSE_AT_ENV: &str = "RECORD_STORE_PAUSE_AT";

/// Pauses the process when `PAUSE_AT_ENV` names `point`: prints `paused at POINT` to stdout and
/// sleeps until the parent kills it. It gives up after a minute, so a parent that died cannot
/// leave the child running.
#[cfg(test)]
pub(crate) fn reach(point: &str) {
    use std::io::Write;

    if std::env::var(PAUSE_AT_ENV).as_deref() != Ok(point) {
        return;
    }

    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "paused at {point}");
    let _ = stdout.flush();
    drop(stdout);

    std::thread::sleep(std::time::Duration::from_secs(60));
    panic!("the parent did not kill this process at crash point {point}");
}

#[cfg(not(test))]
#[inline(always)]
pub(crate) fn reach(_point: &str) {}
