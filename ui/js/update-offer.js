// The update offer above the live screen: the new version and its release notes, with buttons to
// download and verify it, install it, or postpone it until the next start. Verification happens
// in the backend, and only a verified package can be installed.

import * as backend from "./backend.js";
import { byId, setOptionalText, setVisible } from "./dom.js";
import { text } from "./i18n.js";
import { createMessageSlot } from "./message-slot.js";

export function createUpdateOffer() {
  const section = byId("update-offer");
  const heading = byId("update-heading");
  const notes = byId("update-notes");
  const download = byId("update-download");
  const install = byId("update-install");
  const later = byId("update-later");
  const status = createMessageSlot(byId("update-status"));

  /** The offer on screen, or null. */
  let offer = null;
  /** "offered", "downloading", "verified", "installing" or "rejected". */
  let state = "offered";

  function render() {
    setVisible(section, offer !== null);
    if (offer === null) {
      return;
    }
    section.dataset.state = state;
    heading.textContent = text("ui.update.heading", {
      version: offer.version,
      current: offer.currentVersion,
    });
    // The notes come from the update server, so they are set as text, never as HTML.
    setOptionalText(notes, offer.notes);
    download.disabled = state === "downloading" || state === "installing";
    setVisible(download, state !== "verified" && state !== "installing");
    setVisible(install, state === "verified" || state === "installing");
    install.disabled = state === "installing";
    later.disabled = state === "installing";
  }

  async function downloadAndVerify() {
    state = "downloading";
    status.show({ key: "ui.update.downloading", args: {} });
    render();
    try {
      const verified = await backend.downloadUpdate();
      state = "verified";
      status.show({ key: "ui.update.verified", args: { version: verified.version } });
    } catch (error) {
      console.error("download_update failed", error);
      state = "rejected";
      status.show(backend.messageOfError(error));
    }
    render();
  }

  async function installVerified() {
    state = "installing";
    status.show({ key: "ui.update.installing", args: {} });
    render();
    try {
      await backend.installUpdate();
    } catch (error) {
      console.error("install_update failed", error);
      state = "verified";
      status.show(backend.messageOfError(error));
      render();
    }
  }

  async function postpone() {
    try {
      await backend.postponeUpdate();
    } catch (error) {
      console.warn("postpone_update failed", error);
    }
    offer = null;
    status.clear();
    render();
  }

  download.addEventListener("click", downloadAndVerify);
  install.addEventListener("click", installVerified);
  later.addEventListener("click", postpone);

  return {
    /** Checks the update endpoint once; a failed check is shown only in the log and console. */
    async check() {
      try {
        offer = await backend.checkUpdate();
      } catch (error) {
        console.warn("check_update failed", error);
        offer = null;
      }
      state = "offered";
      status.clear();
      render();
    },

    relocalize() {
      render();
      status.relocalize();
    },
  };
}
