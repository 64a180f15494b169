// Wires the page to the backend: bootstraps, routes the session events to the views, and turns
// the user's clicks into commands. Every view renders what the backend sends and keeps it, so a
// language switch can render it again.
//
// The header switches between three pages. 补货 shows the live screen, which is the start form or
// the session, 补货记录 shows the History screen, and 设置 the settings. Session events keep updating the live
// screen while History is shown, so switching back shows the current state.

import * as backend from "./backend.js";
import { createBanner } from "./banner.js";
import { byId } from "./dom.js";
import { createFinalList } from "./final-list.js";
import { createHistory } from "./history.js";
import { currentLanguageTag, localizeStatic, setCatalogue, text } from "./i18n.js";
import { createMessageSlot } from "./message-slot.js";
import { createNotices } from "./notices.js";
import { createSessionTracker } from "./session-tracker.js";
import { createConnectionSettings } from "./connection-settings.js";
import { createSettings } from "./settings.js";
import { createStartForm } from "./start-form.js";
import { createUpdateOffer } from "./update-offer.js";

const startScreen = byId("start-screen");
const sessionScreen = byId("session-screen");
const historyScreen = byId("history-screen");
const settingsScreen = byId("settings-screen");
const sessionHeading = byId("session-heading");
const languageSelect = byId("language");
const navLive = byId("nav-live");
const navHistory = byId("nav-history");
const navSettings = byId("nav-settings");
const appError = createMessageSlot(byId("app-error"));

const startForm = createStartForm({ onSubmit: startSession, onForget: forgetDevice });
const banner = createBanner({
  onCancel: cancelSession,
  onRetry: retrySession,
  onNewSession: returnToForm,
});
const notices = createNotices();
const finalList = createFinalList({
  section: byId("final"),
  recordId: byId("final-record-id"),
  recordTotals: byId("record-totals"),
  empty: byId("empty-final"),
  cabinets: byId("cabinets"),
});
const historyPage = createHistory();
const updateOffer = createUpdateOffer();
const settingsPage = createSettings();
const connectionSettings = createConnectionSettings();
const tracker = createSessionTracker({
  state: showSessionState,
  final: (view) => finalList.show(view),
  notice: (view) => notices.add(view),
});

/** The live screen to show on the 补货 page: the start form or the session. */
let liveScreen = startScreen;
/** The page shown: "live", "history" or "settings". */
let page = "live";

function renderScreens() {
  const live = page === "live";
  startScreen.hidden = !(live && liveScreen === startScreen);
  sessionScreen.hidden = !(live && liveScreen === sessionScreen);
  historyScreen.hidden = page !== "history";
  settingsScreen.hidden = page !== "settings";
  for (const [button, name] of [
    [navLive, "live"],
    [navHistory, "history"],
    [navSettings, "settings"],
  ]) {
    if (page === name) {
      button.setAttribute("aria-current", "page");
    } else {
      button.removeAttribute("aria-current");
    }
  }
}

/** Makes `screen` the live screen and returns whether it has just become visible. */
function showScreen(screen) {
  const wasHidden = screen.hidden;
  liveScreen = screen;
  renderScreens();
  return wasHidden && !screen.hidden;
}

function showLivePage() {
  if (page === "live") {
    return;
  }
  page = "live";
  renderScreens();
  if (liveScreen === sessionScreen) {
    sessionHeading.focus();
  } else {
    startForm.focusFirstEmpty();
  }
}

function showHistoryPage() {
  page = "history";
  renderScreens();
  historyPage.enter();
}

function showSettingsPage() {
  page = "settings";
  renderScreens();
  settingsPage.enter();
  connectionSettings.enter();
}

function showSessionState(view) {
  banner.show(view);
  if (showScreen(sessionScreen)) {
    sessionHeading.focus();
  }
}

function applyLanguage(language, catalogue) {
  setCatalogue(language, catalogue);
  languageSelect.value = language;
  localizeStatic(document);
  document.title = text("ui.app.title");
}

function relocalizeViews() {
  startForm.relocalize();
  banner.relocalize();
  notices.relocalize();
  finalList.relocalize();
  historyPage.relocalize();
  updateOffer.relocalize();
  settingsPage.relocalize();
  connectionSettings.relocalize();
  appError.relocalize();
}

async function switchLanguage() {
  const requested = languageSelect.value;
  languageSelect.disabled = true;

  try {
    const result = await backend.setLanguage(requested);
    applyLanguage(result.language, result.catalogue);
    relocalizeViews();
    appError.clear();
  } catch (error) {
    console.error("set_language failed", error);
    languageSelect.value = currentLanguageTag();
    appError.show(backend.messageOfError(error));
  } finally {
    languageSelect.disabled = false;
    languageSelect.focus();
  }
}

async function startSession(request) {
  startForm.clearErrors();
  startForm.setBusy(true);
  tracker.startBuffering();

  try {
    const view = await backend.startSession(request);
    startForm.clearToken();
    showNewSession(view);
  } catch (error) {
    tracker.flushBuffer();
    if (error?.kind === "invalid") {
      startForm.showFieldErrors(error.fields ?? {});
    } else {
      // The request contains the token, so only the error is logged.
      console.error("start_session failed", error);
      startForm.showFormError(backend.messageOfError(error));
    }
  } finally {
    startForm.setBusy(false);
  }
}

/** Clears what the previous session left on screen and follows the session that `view` starts. */
function showNewSession(view) {
  appError.clear();
  notices.clear();
  finalList.clear();
  showSessionState(view);
  tracker.follow(view.sessionId, view.revision);
}

async function retrySession() {
  banner.setRetryPending(true);
  tracker.startBuffering();
  try {
    showNewSession(await backend.retrySession());
  } catch (error) {
    tracker.flushBuffer();
    console.error("retry_session failed", error);
    appError.show(backend.messageOfError(error));
  } finally {
    banner.setRetryPending(false);
  }
}

async function cancelSession() {
  banner.setCancelPending(true);
  try {
    await backend.cancelSession();
  } catch (error) {
    console.error("cancel_session failed", error);
    appError.show(backend.messageOfError(error));
  } finally {
    banner.setCancelPending(false);
  }
}

async function forgetDevice(deviceNo) {
  try {
    startForm.setRecentDevices(await backend.forgetDevice(deviceNo));
  } catch (error) {
    console.error("forget_device failed", error);
    startForm.showFormError(backend.messageOfError(error));
  }
}

/** Reloads the recent devices, which the backend updates when a session starts. */
async function refreshRecentDevices() {
  try {
    const state = await backend.bootstrap();
    startForm.setRecentDevices(state.recentDevices ?? []);
  } catch (error) {
    console.warn("could not reload the recent devices", error);
  }
}

function returnToForm() {
  const endedView = banner.currentView();

  tracker.forget();
  banner.clear();
  notices.clear();
  finalList.clear();
  appError.clear();

  startForm.prepareNextSession(endedView);
  showScreen(startScreen);
  startForm.focusFirstEmpty();
  refreshRecentDevices();
}

/** Shows a command-line session or launch link that failed validation on the form, with the reasons. */
function showRejectedStart(rejected) {
  startForm.fillRejected(rejected);
  if (rejected.failure?.kind === "invalid") {
    startForm.showFieldErrors(rejected.failure.fields);
  } else if (rejected.failure?.message) {
    startForm.showFormError(rejected.failure.message);
  }
}

/**
 * Shows what a second launch of the app or a launch link requested. A started session is read
 * back through ui_bootstrap, whose snapshot is at least as new as any event of that session that
 * arrived before this result and was dropped as belonging to another session.
 */
async function receiveLaunch(result) {
  showLivePage();
  const sessionRunning = liveScreen === sessionScreen && banner.currentView()?.ended === false;

  if (result.kind === "started") {
    tracker.forget();
    tracker.startBuffering();
    try {
      const state = await backend.bootstrap();
      startForm.clearToken();
      appError.clear();
      notices.clear();
      finalList.clear();
      if (state.session) {
        showSessionState(state.session);
        tracker.follow(state.session.sessionId, state.session.revision);
      } else {
        tracker.flushBuffer();
      }
    } catch (error) {
      tracker.flushBuffer();
      console.error("could not show the launched session", error);
      appError.show(backend.messageOfError(error));
    }
    return;
  }

  const rejected = result.rejected;
  if (rejected.failure?.kind === "busy") {
    appError.show(rejected.failure.message);
  } else if (sessionRunning) {
    // The form is hidden while a session runs, so its field errors could not be seen.
    appError.show(rejected.failure?.message ?? { key: "launch.invalid_during_session", args: {} });
  } else {
    if (liveScreen === sessionScreen) {
      returnToForm();
    }
    startForm.clearErrors();
    showRejectedStart(rejected);
  }
}

function showFatalError(error) {
  console.error("the page could not start", error);
  const fatal = byId("fatal");
  fatal.textContent = String(error?.message ?? error);
  fatal.hidden = false;
}

async function initialize() {
  tracker.startBuffering();
  await Promise.all([
    backend.onSessionState((view) => tracker.receive("state", view)),
    backend.onFinalList((view) => tracker.receive("final", view)),
    backend.onNotice((view) => tracker.receive("notice", view)),
    backend.onLaunch(receiveLaunch),
  ]);

  const state = await backend.bootstrap();
  applyLanguage(state.language, state.catalogue);
  startForm.setPresetEndpoint(state.presetEndpoint);
  startForm.setRecentDevices(state.recentDevices ?? []);
  startForm.setBusy(false);
  historyPage.setOutcomeOptions(state.outcomeOptions ?? []);
  relocalizeViews();
  if (state.recordsAvailable === false) {
    appError.show({ key: "error.records_unavailable", args: {} });
  }

  if (state.session) {
    showSessionState(state.session);
    if (state.finalList?.sessionId === state.session.sessionId) {
      finalList.show(state.finalList);
    }
    tracker.follow(state.session.sessionId, state.session.revision);
  } else {
    tracker.flushBuffer();
    showScreen(startScreen);
    startForm.focusFirstEmpty();
    if (state.rejectedStart) {
      showRejectedStart(state.rejectedStart);
    }
  }

  languageSelect.addEventListener("change", switchLanguage);
  navLive.addEventListener("click", showLivePage);
  navHistory.addEventListener("click", showHistoryPage);
  navSettings.addEventListener("click", showSettingsPage);
  document.body.dataset.ready = "true";
  updateOffer.check();
}

initialize().catch(showFatalError);
