//! `replenish watch`: runs one session on the core's client and prints its events.

use std::io;
use std::path::Path;
use std::time::Duration;

use i18n::Catalogue;
use record_store::recorder::Records;
use record_store::FinalOutcome;
use replenish_core::event::SessionEvent;
use replenish_core::session::run_journaled_session;
use tokio::sync::mpsc;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use crate::exit::Exit;
use crate::human::HumanSink;
use crate::json::JsonSink;
use crate::output::{AlreadyStored, EventSink, Output};
use crate::signals::{StopCause, StopSignals};
use crate::watch_args::WatchArgs;

/// How many events may wait for the printer before the session client waits in turn.
const EVENT_BUFFER: usize = 64;

/// Runs the session and returns the exit status for how it ended.
pub fn run(args: WatchArgs, catalogue: &'static Catalogue) -> Exit {
    // One thread is plenty for one connection and one printer.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            error!(%error, "cannot start the event loop");
            let message =
                catalogue.format("cli.error.start_failed", &[("error", &error.to_string())]);
            crate::output::stderr_line(
                &catalogue.format("cli.error.line", &[("message", &message)]),
            );
            return Exit::Internal;
        }
    };
    runtime.block_on(watch(args, catalogue))
}

async fn watch(args: WatchArgs, catalogue: &'static Catalogue) -> Exit {
    let WatchArgs {
        target,
        json,
        timeout_secs,
        session_config,
        verbose: _,
        records_dir,
    } = args;
    info!(
        device_no = target.device_no(),
        host = %target.endpoint_host(),
        json,
        timeout_secs,
        "watch starting"
    );

    // Installed before connecting, so an early Ctrl-C also closes normally.
    let mut signals = StopSignals::install();
    let output = Output::stdout(target.token());
    let mut sink: Box<dyn EventSink> = if json {
        Box::new(JsonSink::new(output, catalogue))
    } else {
        Box::new(HumanSink::new(output, catalogue, &target))
    };

    if let Err(error) = sink.connecting(&target) {
        return output_failed(catalogue, &error);
    }

    let records = open_records(records_dir.as_deref(), catalogue);
    let stored = records.as_ref().and_then(|records| records.begin(&target));
    let journal = stored.as_ref().map(|(_, journal)| journal.clone());
    // The journal's last reference, kept until the ending is stored, holds the session's lock.
    let record =
        stored.and_then(|(record_id, journal)| Some((records.clone()?, record_id, journal)));
    let mut close_code = None;

    let cancel = CancellationToken::new();
    let (sender, mut events) = mpsc::channel(EVENT_BUFFER);
    let session = tokio::spawn(run_journaled_session(
        target,
        session_config,
        cancel.clone(),
        sender,
        journal,
    ));

    // Without --timeout the timer is never polled, so its length does not matter.
    let limit = sleep(Duration::from_secs(timeout_secs.unwrap_or(u64::MAX)));
    tokio::pin!(limit);
    let mut stop: Option<StopCause> = None;
    let mut printer = Printer { sink, error: None };

    // Runs until the session ends and drops its sender, which also happens after a cancel.
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                match &event {
                    SessionEvent::Closed { close_code: code } => close_code = Some(*code),
                    SessionEvent::ConnectionLost { close_code: code, .. } => close_code = *code,
                    _ => {}
                }
                // The final list is committed before it is printed, as in the app.
                let mut already_stored = None;
                if let (SessionEvent::FinalList(list), Some((records, record_id, _))) = (&event, &record) {
                    match records.store_final(*record_id, list.clone()).await {
                        Ok(FinalOutcome::Stored) => {}
                        Ok(FinalOutcome::Duplicate { existing }) => {
                            info!(session = %record_id, %existing, "the final list was already stored");
                            already_stored = Some(AlreadyStored {
                                record_id: list.record_id,
                                session: *record_id,
                                existing,
                            });
                        }
                        Err(error) => warn_line(catalogue, "cli.error.record_not_saved", &error),
                    }
                }
                if printer.write(|sink| sink.event(&event)) {
                    cancel.cancel();
                }
                if let Some(stored) = &already_stored {
                    if printer.write(|sink| sink.already_stored(stored)) {
                        cancel.cancel();
                    }
                }
            }
            () = &mut limit, if timeout_secs.is_some() && stop.is_none() => {
                info!(timeout_secs, "time limit reached, cancelling the session");
                stop = Some(StopCause::Timeout);
                printer.write(|sink| sink.stopping(StopCause::Timeout, timeout_secs));
                cancel.cancel();
            }
            cause = signals.recv() => {
                if matches!(stop, Some(StopCause::Interrupt | StopCause::Terminate)) {
                    // A second signal: the user does not want to wait for the close handshake.
                    warn!(?cause, "second stop signal, exiting without waiting for the close");
                    return exit_for_signal(cause);
                }
                info!(?cause, "stop signal received, cancelling the session");
                stop = Some(cause);
                printer.write(|sink| sink.stopping(cause, timeout_secs));
                cancel.cancel();
            }
        }
    }

    let state = match session.await {
        Ok(state) => state,
        Err(join_error) => {
            error!(error = %join_error, "the session task failed");
            return Exit::Internal;
        }
    };

    if let Some((records, record_id, _journal)) = record {
        records.end(record_id, state.clone(), close_code).await;
    }

    if let Some(error) = printer.error {
        return output_failed(catalogue, &error);
    }
    let exit = Exit::for_session(&state, stop);
    info!(
        phase = state.phase(),
        exit_code = exit.code(),
        "watch finished"
    );
    exit
}

/// The output format, and the first error writing it, after which nothing more is printed.
struct Printer {
    sink: Box<dyn EventSink>,
    error: Option<io::Error>,
}

impl Printer {
    /// Runs `write` unless an earlier write failed. Returns true when this write is the first to
    /// fail, so the caller can cancel a session whose events can no longer be printed.
    fn write(&mut self, write: impl FnOnce(&mut dyn EventSink) -> io::Result<()>) -> bool {
        if self.error.is_some() {
            return false;
        }
        match write(self.sink.as_mut()) {
            Ok(()) => false,
            Err(error) => {
                warn!(%error, "cannot write to stdout, cancelling the session");
                self.error = Some(error);
                true
            }
        }
    }
}

/// Opens the record store, or explains on stderr why this session is not recorded.
fn open_records(folder: Option<&Path>, catalogue: &Catalogue) -> Option<Records> {
    let Some(folder) = folder else {
        warn_line(
            catalogue,
            "cli.error.records_unavailable",
            "no data folder: pass --data-dir DIR",
        );
        return None;
    };
    match Records::open(folder) {
        Ok(records) => Some(records),
        Err(error) => {
            warn!(%error, folder = %folder.display(), "record store unavailable");
            warn_line(
                catalogue,
                "cli.error.records_unavailable",
                &error.to_string(),
            );
            None
        }
    }
}

/// Prints a warning line on stderr, keeping stdout for the events.
fn warn_line(catalogue: &Catalogue, key: &str, error: &str) {
    let message = catalogue.format(key, &[("error", error)]);
    crate::output::stderr_line(&catalogue.format("cli.error.line", &[("message", &message)]));
}

fn exit_for_signal(cause: StopCause) -> Exit {
    match cause {
        StopCause::Terminate => Exit::Terminated,
        StopCause::Interrupt | StopCause::Timeout => Exit::Interrupted,
    }
}

fn output_failed(catalogue: &Catalogue, error: &io::Error) -> Exit {
    error!(%error, "output failed");
    let message = catalogue.format("cli.error.output_failed", &[("error", &error.to_string())]);
    crate::output::stderr_line(&catalogue.format("cli.error.line", &[("message", &message)]));
    Exit::Output
}
