// Decides which backend events belong to the session on screen. The backend tags every view
// with its sessionId, and events of any other session are dropped.
//
// While a command that returns a session is in flight (ui_bootstrap, start_session), the id of
// the coming session is unknown, so events are buffered. Once the command returns, the buffered
// events of that session are delivered after the view that the command returned.
// NOTE: views carry no sequence number, so a buffered event that is older than the returned view
// (possible only for ui_bootstrap) would briefly replace it until the next event arrives.

/**
 * @param {{state: (view: object) => void, final: (view: object) => void,
 *          notice: (view: object) => void}} handlers one handler per event kind
 */
export function createSessionTracker(handlers) {
  let currentId = null;
  let buffering = false;
  let buffered = [];

  function deliver(kind, payload) {
    if (currentId !== null && payload?.sessionId === currentId) {
      handlers[kind](payload);
    }
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

    /** Makes `sessionId` the session on screen and delivers its buffered events. */
    follow(sessionId) {
      currentId = sessionId;
      flushBuffer();
    },

    flushBuffer,

    /** Stops following any session, so late events of the old one are dropped. */
    forget() {
      currentId = null;
    },
  };
}
