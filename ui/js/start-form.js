// The start form: endpoint, device number, token and device name, the recent devices, and the
// field errors that the backend returns. The form checks nothing itself, because validation is
// the backend's job.

import { byId, element } from "./dom.js";
import { text } from "./i18n.js";
import { createMessageSlot } from "./message-slot.js";

/** The value of the endpoint option that reveals the URL input. */
const CUSTOM_ENDPOINT = "custom";

/** The error element of each field of a start request, as named in the backend's `fields`. */
const ERROR_ELEMENT_IDS = {
  endpoint: "error-endpoint",
  deviceNo: "error-device-no",
  token: "error-token",
  deviceName: "error-device-name",
};

/**
 * @param {{onSubmit: (request: object) => void, onForget: (deviceNo: string) => void}} actions
 */
export function createStartForm({ onSubmit, onForget }) {
  const form = byId("start-form");
  const endpointSelect = byId("endpoint-preset");
  const presetOption = byId("endpoint-preset-option");
  const customField = byId("endpoint-custom-field");
  const customInput = byId("endpoint-custom");
  const deviceNo = byId("device-no");
  const deviceName = byId("device-name");
  const token = byId("token");
  const visibilityButton = byId("token-visibility");
  const pasteButton = byId("token-paste");
  const connect = byId("connect");
  const recentSection = byId("recent-devices");
  const recentList = byId("recent-device-list");

  const formError = createMessageSlot(byId("form-error"));
  const pasteStatus = createMessageSlot(byId("token-paste-status"));
  const fieldErrors = Object.fromEntries(
    Object.entries(ERROR_ELEMENT_IDS).map(([field, id]) => [field, createMessageSlot(byId(id))]),
  );

  let presetEndpoint = "";
  let recentDevices = [];
  let tokenVisible = false;
  let busy = false;

  function isCustomEndpoint() {
    return endpointSelect.value === CUSTOM_ENDPOINT;
  }

  /** Returns the control that shows the endpoint error: the URL input when it is in use. */
  function endpointControl() {
    return isCustomEndpoint() ? customInput : endpointSelect;
  }

  function controlOf(field) {
    switch (field) {
      case "endpoint":
        return endpointControl();
      case "deviceNo":
        return deviceNo;
      case "token":
        return token;
      default:
        return deviceName;
    }
  }

  function syncEndpointMode() {
    customField.hidden = !isCustomEndpoint();
    syncInvalidMarks();
  }

  function syncInvalidMarks() {
    endpointSelect.removeAttribute("aria-invalid");
    customInput.removeAttribute("aria-invalid");

    for (const [field, slot] of Object.entries(fieldErrors)) {
      const control = controlOf(field);
      if (slot.hasMessage()) {
        control.setAttribute("aria-invalid", "true");
      } else {
        control.removeAttribute("aria-invalid");
      }
    }
  }

  function clearFieldError(field) {
    if (fieldErrors[field].hasMessage()) {
      fieldErrors[field].clear();
      syncInvalidMarks();
    }
  }

  function setEndpoint(endpoint) {
    if (!endpoint) {
      return;
    }
    if (presetEndpoint && endpoint === presetEndpoint) {
      endpointSelect.value = presetEndpoint;
    } else {
      endpointSelect.value = CUSTOM_ENDPOINT;
      customInput.value = endpoint;
    }
    syncEndpointMode();
  }

  function renderPreset() {
    presetOption.textContent = text("ui.form.endpoint.preset", { endpoint: presetEndpoint });
  }

  function renderTokenVisibility() {
    token.type = tokenVisible ? "text" : "password";
    visibilityButton.textContent = text(tokenVisible ? "ui.form.token.hide" : "ui.form.token.show");
    visibilityButton.dataset.visible = String(tokenVisible);
  }

  function fillDevice(device) {
    deviceNo.value = device.deviceNo ?? "";
    deviceName.value = device.name ?? "";
    setEndpoint(device.endpoint);
    clearFieldError("deviceNo");
    clearFieldError("deviceName");
    clearFieldError("endpoint");
    token.focus();
  }

  function buildRecentDevice(device) {
    const summary = [element("span", { className: "recent-device-no", text: device.deviceNo })];
    if (device.name) {
      summary.push(element("span", { className: "recent-device-name", text: device.name }));
    }
    summary.push(element("span", { className: "recent-endpoint", text: device.endpoint ?? "" }));

    const use = element("button", { className: "recent-use", attributes: { type: "button" } }, summary);
    use.addEventListener("click", () => fillDevice(device));

    const forget = element("button", {
      className: "recent-forget secondary",
      text: text("ui.recent.forget"),
      attributes: {
        type: "button",
        "aria-label": text("ui.recent.forget_label", { deviceNo: device.deviceNo }),
      },
    });
    forget.addEventListener("click", () => onForget(device.deviceNo));

    return element("li", { className: "recent-device", dataset: { deviceNo: device.deviceNo } }, [use, forget]);
  }

  function renderRecentDevices() {
    const fragment = document.createDocumentFragment();
    for (const device of recentDevices) {
      fragment.append(buildRecentDevice(device));
    }
    recentList.replaceChildren(fragment);
    recentSection.hidden = recentDevices.length === 0;
  }

  function renderConnect() {
    connect.disabled = busy;
    connect.textContent = text(busy ? "ui.form.connecting" : "ui.form.connect");
    form.setAttribute("aria-busy", String(busy));
  }

  function clearErrors() {
    formError.clear();
    pasteStatus.clear();
    for (const slot of Object.values(fieldErrors)) {
      slot.clear();
    }
    syncInvalidMarks();
  }

  /** Empties the token, which the server accepts only once, and masks it again. */
  function clearToken() {
    token.value = "";
    tokenVisible = false;
    renderTokenVisibility();
  }

  async function pasteToken() {
    pasteStatus.clear();
    try {
      if (!navigator.clipboard?.readText) {
        throw new Error("the clipboard API is not available");
      }
      const pasted = await navigator.clipboard.readText();
      if (pasted) {
        token.value = pasted;
        clearFieldError("token");
      } else {
        pasteStatus.show({ key: "ui.form.token.clipboard_empty" });
      }
    } catch {
      // The webview may refuse to read the clipboard, but Ctrl+V into the input always works.
      pasteStatus.show({ key: "ui.form.token.paste_unavailable" });
    }
    token.focus();
  }

  endpointSelect.addEventListener("change", () => {
    clearFieldError("endpoint");
    syncEndpointMode();
    if (isCustomEndpoint()) {
      customInput.focus();
    }
  });
  customInput.addEventListener("input", () => clearFieldError("endpoint"));
  deviceNo.addEventListener("input", () => clearFieldError("deviceNo"));
  deviceName.addEventListener("input", () => clearFieldError("deviceName"));
  token.addEventListener("input", () => {
    clearFieldError("token");
    pasteStatus.clear();
  });

  visibilityButton.addEventListener("click", () => {
    tokenVisible = !tokenVisible;
    renderTokenVisibility();
  });
  pasteButton.addEventListener("click", pasteToken);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    onSubmit({
      endpoint: isCustomEndpoint() ? customInput.value : endpointSelect.value,
      deviceNo: deviceNo.value,
      token: token.value,
      deviceName: deviceName.value,
    });
  });

  return {
    /** Sets the endpoint of the preset option and selects it, or selects custom when it is empty. */
    setPresetEndpoint(endpoint) {
      presetEndpoint = endpoint ?? "";
      presetOption.value = presetEndpoint;
      presetOption.hidden = !presetEndpoint;
      endpointSelect.value = presetEndpoint || CUSTOM_ENDPOINT;
      renderPreset();
      syncEndpointMode();
    },

    /** Shows the recent devices, most recent first as the backend ordered them. */
    setRecentDevices(devices) {
      recentDevices = devices ?? [];
      renderRecentDevices();
    },

    setBusy(next) {
      busy = next;
      renderConnect();
    },

    /** Shows the backend's field errors and moves focus to the first invalid field. */
    showFieldErrors(fields) {
      for (const [field, slot] of Object.entries(fieldErrors)) {
        slot.show(fields?.[field] ?? null);
      }
      syncInvalidMarks();

      const firstInvalid = Object.keys(ERROR_ELEMENT_IDS).find((field) => fields?.[field]);
      if (firstInvalid) {
        controlOf(firstInvalid).focus();
      }
    },

    /** Shows an error about the whole form, such as a session already running. */
    showFormError(message) {
      formError.show(message);
    },

    clearErrors,
    clearToken,

    /** Fills the device of the session that ended, so the next session needs only a new token. */
    prepareNextSession(view) {
      if (view?.deviceNo) {
        deviceNo.value = view.deviceNo;
        deviceName.value = view.deviceName ?? "";
        // The next token belongs to the same server, so never fall back to the preset here.
        setEndpoint(view.endpoint);
      }
      clearToken();
      clearErrors();
    },

    /** Fills the form with a command-line session that the backend rejected, token excepted. */
    fillRejected(rejected) {
      deviceNo.value = rejected.deviceNo ?? "";
      deviceName.value = rejected.deviceName ?? "";
      setEndpoint(rejected.endpoint);
      clearToken();
    },

    /** Focuses the first empty required input, or Connect when all are filled. */
    focusFirstEmpty() {
      const empty = [endpointControl(), deviceNo, token].find((control) => !control.value);
      (empty ?? connect).focus();
    },

    relocalize() {
      renderPreset();
      renderTokenVisibility();
      renderConnect();
      renderRecentDevices();
      formError.relocalize();
      pasteStatus.relocalize();
      for (const slot of Object.values(fieldErrors)) {
        slot.relocalize();
      }
    },
  };
}
