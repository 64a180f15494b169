// The Tauri commands and events of the backend. app.withGlobalTauri exposes them as
// window.__TAURI__, so the page needs no bundler.

function tauri() {
  const api = window.__TAURI__;
  if (!api?.core?.invoke || !api?.event?.listen) {
    throw new Error("window.__TAURI__ is missing, so this page only works inside the app window");
  }
  return api;
}

function invoke(command, args) {
  return tauri().core.invoke(command, args);
}

/**
 * Subscribes to a backend event and passes each payload to `handler`.
 * @returns {Promise<() => void>} resolves to the function that unsubscribes
 */
function listen(eventName, handler) {
  return tauri().event.listen(eventName, (event) => handler(event.payload));
}

/** Returns the language, catalogue, form presets and any session already running. */
export function bootstrap() {
  return invoke("ui_bootstrap");
}

/** Switches the language and returns `{ language, catalogue }`. */
export function setLanguage(language) {
  return invoke("set_language", { language });
}

/**
 * Starts a session and returns its first SessionView. Rejects with `{ kind: "invalid", fields }`
 * for form errors, or `{ kind: "busy" | "unavailable" | "internal", message }`.
 * @param {{endpoint: string, deviceNo: string, token: string, deviceName: string}} request
 */
export function startSession(request) {
  return invoke("start_session", { request });
}

/** Resolves to the connection limits in force: `{ reconnectAttempts, doorWaitSecs }`. */
export function connectionSettings() {
  return invoke("connection_settings");
}

/**
 * Sends the limits as typed. Rejects with `{ kind: "invalid", fields }` when a value is out of
 * range, or `{ kind: "not_saved", message, settings }` when they apply but were not saved.
 * @param {{reconnectAttempts: string, doorWaitSecs: string}} input
 */
export function setConnectionSettings(input) {
  return invoke("set_connection_settings", { input });
}

export function cancelSession() {
  return invoke("cancel_session");
}

/**
 * Starts the latest session again with the same endpoint, device and token, which only the
 * backend holds. Resolves to its first SessionView.
 */
export function retrySession() {
  return invoke("retry_session");
}

/** Removes a device from the recent devices and returns the new list. */
export function forgetDevice(deviceNo) {
  return invoke("forget_device", { deviceNo });
}

/**
 * Returns the HistoryView of the stored sessions that `filter` selects. Rejects with
 * `{ kind: "invalid", fields }` for filter errors, or `{ kind: "failed", message }`.
 * @param {{deviceNo: string, from: string, to: string, outcome: string, product: string}} filter
 */
export function listRecords(filter) {
  return invoke("list_records", { filter });
}

/** Returns the RecordView of one stored session, with its final list. */
export function openRecord(sessionId) {
  return invoke("open_record", { sessionId });
}

/**
 * Writes the sessions that `filter` selects to a new file and returns `{ path, sessionCount }`.
 * @param {"csv" | "xlsx"} format
 */
export function exportRecords(filter, format) {
  return invoke("export_records", { filter, format });
}

/** Returns the notification switches: `{ doorOpen, finalList, failure }`. */
export function notificationSettings() {
  return invoke("notification_settings");
}

/**
 * Applies and saves the notification switches and returns them. Rejects with `{ message }` when
 * they could not be saved, in which case they still apply until the app closes.
 * @param {{doorOpen: boolean, finalList: boolean, failure: boolean}} switches
 */
export function setNotificationSettings(switches) {
  return invoke("set_notification_settings", { switches });
}

/** Checks the update endpoint and returns `{ version, currentVersion, notes }` or null. */
export function checkUpdate() {
  return invoke("check_update");
}

/** Hides the update offer until the app starts again. */
export function postponeUpdate() {
  return invoke("postpone_update");
}

/**
 * Downloads the offered update and verifies its signature; returns `{ version, bytes }`. Rejects
 * with `{ message }` when the download fails or the signature does not match.
 */
export function downloadUpdate() {
  return invoke("download_update");
}

/** Installs the verified update and restarts the app. */
export function installUpdate() {
  return invoke("install_update");
}

export function onSessionState(handler) {
  return listen("session://state", handler);
}

export function onFinalList(handler) {
  return listen("session://final", handler);
}

export function onNotice(handler) {
  return listen("session://notice", handler);
}

/**
 * Subscribes to the results of second launches and launch links: `{ kind: "started", session }`
 * or `{ kind: "rejected", rejected }`, where `rejected` has the shape of `rejectedStart`.
 */
export function onLaunch(handler) {
  return listen("launch://result", handler);
}

/**
 * Returns the catalogue message to show for a rejected command: the backend's own message when
 * it sent one, otherwise a generic message with the error's text.
 * @returns {{key: string, args: Record<string, string>}}
 */
export function messageOfError(error) {
  const message = error?.message;
  if (message && typeof message === "object" && typeof message.key === "string") {
    return message;
  }

  const detail = typeof message === "string" ? message : String(error);
  return { key: "ui.error.unexpected", args: { error: detail } };
}
