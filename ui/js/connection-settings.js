// The connection part of the Settings page: reconnect attempts and the door wait. The backend
// checks the typed values and says what is wrong with each, so this module only shows them.

import * as backend from "./backend.js";
import { byId } from "./dom.js";
import { createMessageSlot } from "./message-slot.js";

export function createConnectionSettings() {
  const form = byId("connection-form");
  const inputs = {
    reconnectAttempts: byId("reconnect-attempts"),
    doorWaitSecs: byId("door-wait-secs"),
  };
  const errors = {
    reconnectAttempts: createMessageSlot(byId("error-reconnectAttempts")),
    doorWaitSecs: createMessageSlot(byId("error-doorWaitSecs")),
  };
  const save = byId("connection-save");
  const statusNode = byId("connection-status");
  const status = createMessageSlot(statusNode);

  function show(settings) {
    inputs.reconnectAttempts.value = String(settings.reconnectAttempts);
    inputs.doorWaitSecs.value = String(settings.doorWaitSecs);
  }

  function clearMessages() {
    for (const [name, slot] of Object.entries(errors)) {
      slot.clear();
      inputs[name].removeAttribute("aria-invalid");
    }
    status.clear();
    delete statusNode.dataset.state;
  }

  function showFieldErrors(fields) {
    for (const [name, message] of Object.entries(fields)) {
      if (errors[name]) {
        errors[name].show(message);
        inputs[name].setAttribute("aria-invalid", "true");
      }
    }
  }

  async function load() {
    try {
      show(await backend.connectionSettings());
    } catch (error) {
      console.error("connection_settings failed", error);
      statusNode.dataset.state = "error";
      status.show(backend.messageOfError(error));
    }
  }

  async function submit(event) {
    event.preventDefault();
    clearMessages();
    save.disabled = true;

    try {
      show(
        await backend.setConnectionSettings({
          reconnectAttempts: inputs.reconnectAttempts.value,
          doorWaitSecs: inputs.doorWaitSecs.value,
        }),
      );
      statusNode.dataset.state = "saved";
      status.show({ key: "ui.settings.saved", args: {} });
    } catch (error) {
      if (error?.kind === "invalid") {
        showFieldErrors(error.fields ?? {});
      } else {
        console.error("set_connection_settings failed", error);
        if (error?.settings) {
          show(error.settings);
        }
        statusNode.dataset.state = "error";
        status.show(backend.messageOfError(error));
      }
    } finally {
      save.disabled = false;
    }
  }

  form.addEventListener("submit", submit);

  return {
    /** Shows the limits as the backend has them now. */
    enter() {
      clearMessages();
      load();
    },

    relocalize() {
      status.relocalize();
      for (const slot of Object.values(errors)) {
        slot.relocalize();
      }
    },
  };
}
