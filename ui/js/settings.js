// The Settings page (设置): the switches of the desktop notifications. The backend keeps the
// switches and sends the notifications, so this module only shows the switches and sends each
// change.

import * as backend from "./backend.js";
import { byId } from "./dom.js";
import { createMessageSlot } from "./message-slot.js";

export function createSettings() {
  const heading = byId("settings-heading");
  const statusNode = byId("settings-status");
  const status = createMessageSlot(statusNode);
  const checkboxes = [...byId("settings-form").querySelectorAll("input[data-switch]")];

  /** The switches as the backend last confirmed them. */
  let switches = null;

  function render() {
    for (const checkbox of checkboxes) {
      checkbox.checked = Boolean(switches?.[checkbox.dataset.switch]);
      checkbox.disabled = switches === null;
    }
  }

  function readSwitches() {
    return Object.fromEntries(checkboxes.map((checkbox) => [checkbox.dataset.switch, checkbox.checked]));
  }

  async function load() {
    try {
      switches = await backend.notificationSettings();
      render();
    } catch (error) {
      console.error("notification_settings failed", error);
      statusNode.dataset.state = "error";
      status.show(backend.messageOfError(error));
    }
  }

  async function save() {
    const requested = readSwitches();
    for (const checkbox of checkboxes) {
      checkbox.disabled = true;
    }
    delete statusNode.dataset.state;

    try {
      switches = await backend.setNotificationSettings(requested);
      statusNode.dataset.state = "saved";
      status.show({ key: "ui.settings.saved", args: {} });
    } catch (error) {
      // The backend applies the switches even when it cannot save them.
      console.error("set_notification_settings failed", error);
      switches = requested;
      statusNode.dataset.state = "error";
      status.show(backend.messageOfError(error));
    } finally {
      render();
    }
  }

  for (const checkbox of checkboxes) {
    checkbox.addEventListener("change", save);
  }

  return {
    /** Shows the switches as the backend has them now. */
    enter() {
      status.clear();
      delete statusNode.dataset.state;
      heading.focus();
      load();
    },

    relocalize() {
      status.relocalize();
    },
  };
}
