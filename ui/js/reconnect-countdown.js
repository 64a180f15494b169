// The countdown to the next reconnect attempt, ticking once a second while the client waits.

import { setOptionalText } from "./dom.js";
import { t, text } from "./i18n.js";

/**
 * @param {HTMLElement} output the element whose text is the countdown, hidden when not reconnecting
 */
export function createReconnectCountdown(output) {
  let reconnect = null;
  let timeoutId = null;

  function render() {
    if (typeof reconnect.retryAtMs !== "number") {
      setOptionalText(output, t(reconnect.countdown));
      return;
    }

    // Rounded up, so the countdown shows "1" until the attempt starts instead of "0" for a second.
    const remainingMs = Math.max(0, reconnect.retryAtMs - Date.now());
    const seconds = Math.ceil(remainingMs / 1000);
    const { key, args } = reconnect.countdown;
    setOptionalText(output, text(key, { ...args, seconds: String(seconds) }));
    if (remainingMs > 0) {
      timeoutId = window.setTimeout(render, (remainingMs % 1000) + 20);
    }
  }

  function stop() {
    if (timeoutId !== null) {
      window.clearTimeout(timeoutId);
      timeoutId = null;
    }
    reconnect = null;
    setOptionalText(output, "");
  }

  return {
    /** Counts down while `view` has a reconnect and stops otherwise. */
    update(view) {
      stop();
      if (!view?.reconnect) {
        return;
      }
      reconnect = view.reconnect;
      render();
    },
    stop,
  };
}
