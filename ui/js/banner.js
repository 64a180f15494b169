// The session banner: the phase title, its detail, the server's msg verbatim, the reconnect
// countdown, the next step, the door timer and the Cancel, Retry and New session buttons.

import { byId, setOptionalText, setVisible } from "./dom.js";
import { createDoorTimer } from "./door-timer.js";
import { t, text } from "./i18n.js";
import { createReconnectCountdown } from "./reconnect-countdown.js";

const TONES = ["progress", "success", "warning", "error"];

/**
 * @param {{onCancel: () => void, onRetry: () => void, onNewSession: () => void}} actions
 */
export function createBanner({ onCancel, onRetry, onNewSession }) {
  const banner = byId("banner");
  const device = byId("banner-device");
  const endpoint = byId("banner-endpoint");
  const title = byId("banner-title");
  const detail = byId("banner-detail");
  const server = byId("banner-server");
  const serverMessage = byId("banner-server-message");
  const nextStep = byId("banner-next-step");
  const cancel = byId("cancel");
  const retry = byId("retry-session");
  const newSession = byId("new-session");
  const doorTimer = createDoorTimer(byId("door-timer-row"), byId("door-timer"));
  const countdown = createReconnectCountdown(byId("banner-reconnect"));

  /** The SessionView on screen. */
  let view = null;
  let cancelPending = false;

  cancel.addEventListener("click", onCancel);
  retry.addEventListener("click", onRetry);
  newSession.addEventListener("click", onNewSession);

  function renderDevice() {
    const deviceText = view.deviceName
      ? text("ui.session.device_named", { deviceNo: view.deviceNo, name: view.deviceName })
      : text("ui.session.device", { deviceNo: view.deviceNo });
    device.textContent = deviceText;
    setOptionalText(
      endpoint,
      view.endpointHost ? text("ui.session.endpoint", { host: view.endpointHost }) : "",
    );
  }

  function render() {
    if (!view) {
      return;
    }

    const tone = TONES.includes(view.tone) ? view.tone : "progress";
    banner.dataset.phase = view.phase;
    banner.dataset.tone = tone;
    for (const name of TONES) {
      banner.classList.toggle(`tone-${name}`, name === tone);
    }

    renderDevice();
    title.textContent = t(view.title);
    setOptionalText(detail, t(view.detail));
    serverMessage.textContent = view.serverMessage ?? "";
    setVisible(server, Boolean(view.serverMessage));
    setOptionalText(nextStep, t(view.nextStep));
    doorTimer.update(view);
    countdown.update(view);

    setVisible(cancel, view.canCancel);
    cancel.disabled = cancelPending;
    setVisible(retry, view.canRetry);
    setVisible(newSession, view.ended);
  }

  return {
    /** Shows a SessionView. */
    show(next) {
      view = next;
      render();
    },

    /** Returns the SessionView on screen, or null. */
    currentView() {
      return view;
    },

    /** Disables Cancel while the cancel request is in flight. */
    setCancelPending(pending) {
      cancelPending = pending;
      cancel.disabled = pending;
    },

    /** Empties the banner, so nothing of the ended session stays in the page. */
    clear() {
      view = null;
      cancelPending = false;
      doorTimer.stop();
      countdown.stop();
      delete banner.dataset.phase;
      delete banner.dataset.tone;
      for (const node of [device, title, serverMessage]) {
        node.textContent = "";
      }
      for (const node of [endpoint, detail, nextStep]) {
        setOptionalText(node, "");
      }
      setVisible(server, false);
      setVisible(cancel, false);
      setVisible(retry, false);
      setVisible(newSession, false);
    },

    /** Disables Retry while the retry request is in flight. */
    setRetryPending(pending) {
      retry.disabled = pending;
    },

    relocalize: render,
  };
}
