// Decides which backend events belong to the session on screen. The backend tags every view
// with its sessionId, and events of any other session are dropped.
//
// While a command that returns a session is in flight (ui_bootstrap, start_session), the id of
// the coming session is unknown, so events are buffered. Once the command returns, the buffered
// events of that session are delivered after the view that the command returned.
// A buffered state view can be older than the one a command returned (ui_bootstrap returns a
// snapshot), so state views carry a revision and an older one is dropped.

/**
 * @param {{state: (view: object) => void, final: (view: object) => void,
 *          notice: (view: object) => void}} handlers one handler per event kind
 */
export function createSessionTracker(handlers) {
  let currentId = null;
  let lastRevision = -1;
  let buffering = false;
  let buffered = [];

  function deliver(kind, payload) {
    if (currentId === null || payload?.sessionId !== currentId) {
      return;
    }
    if (kind === "state") {
      if (payload.revision < lastRevision) {
        return;
      }
      lastRevision = payload.revision;
    }
    handlers[kind](payload);
  }

  /** Stops buffering, delivers the buffered events of the current session and drops the rest. */
  function flushBuffer() {
    const pending = buffered;
    buffering = false;
    buffered = [];

    for (const { kind, payload } of pending) {
      deliver(kind, payload);
    }
  }

  return {
    /**
     * Delivers, buffers or drops one backend event.
     * @param {"state" | "final" | "notice"} kind
     */
    receive(kind, payload) {
      if (buffering) {
        buffered.push({ kind, payload });
      } else {
        deliver(kind, payload);
      }
    },

    /** Buffers events until follow() or flushBuffer(). */
    startBuffering() {
      buffering = true;
      buffered = [];
    },

    /**
     * Makes `sessionId` the session on screen, whose view of `shownRevision` is already shown, and
     * delivers its buffered events that are not older.
     */
    follow(sessionId, shownRevision) {
      currentId = sessionId;
      lastRevision = shownRevision;
      flushBuffer();
    },

    flushBuffer,

    /** Stops following any session, so late events of the old one are dropped. */
    forget() {
      currentId = null;
      lastRevision = -1;
    },
  };
}
