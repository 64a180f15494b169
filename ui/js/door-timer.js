// The elapsed time since the door opened, ticking once a second while the door is open.

/**
 * Formats a duration as mm:ss. Minutes keep counting past 59, because a door rarely stays open
 * for an hour and "75:03" reads more easily than "1:15:03" at a glance.
 * @param {number} milliseconds
 * @returns {string}
 */
export function formatElapsed(milliseconds) {
  const totalSeconds = Math.floor(Math.max(0, milliseconds) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/**
 * @param {HTMLElement} row the element around the timer, hidden while the door is not open
 * @param {HTMLElement} output the element whose text is the elapsed time
 */
export function createDoorTimer(row, output) {
  let openedAtMs = null;
  let timeoutId = null;

  function tick() {
    const elapsed = Date.now() - openedAtMs;
    output.textContent = formatElapsed(elapsed);

    // Waking just after each whole second keeps the display from skipping a second.
    const untilNextSecond = 1000 - (Math.max(0, elapsed) % 1000) + 20;
    timeoutId = window.setTimeout(tick, untilNextSecond);
  }

  function stop() {
    if (timeoutId !== null) {
      window.clearTimeout(timeoutId);
      timeoutId = null;
    }
    openedAtMs = null;
    row.hidden = true;
  }

  return {
    /**
     * Runs the timer while `view` has a door time and has not ended: with the door open, and
     * while a dropped connection is reconnected, since the door stays open meanwhile.
     */
    update(view) {
      const doorOpen = typeof view?.doorOpenedAtMs === "number" && !view.ended;
      if (!doorOpen) {
        stop();
        return;
      }
      if (openedAtMs === view.doorOpenedAtMs && timeoutId !== null) {
        return;
      }

      stop();
      openedAtMs = view.doorOpenedAtMs;
      row.hidden = false;
      tick();
    },
    stop,
  };
}
