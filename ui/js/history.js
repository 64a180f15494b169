// The History screen (补货记录): the filter form, the list of stored sessions, one opened session,
// and the exports. The backend validates the filter and builds every view, so this module only
// sends the form's text and renders what comes back.

import * as backend from "./backend.js";
import { byId, element } from "./dom.js";
import { t } from "./i18n.js";
import { createHistoryDetail } from "./history-detail.js";
import { createHistoryList } from "./history-list.js";
import { createMessageSlot } from "./message-slot.js";

/** The input of each filter field, as named in the backend's `fields`. */
const FIELD_INPUT_IDS = {
  deviceNo: "history-filter-device",
  from: "history-filter-from",
  to: "history-filter-to",
  outcome: "history-filter-outcome",
  product: "history-filter-product",
};

/** The error element of each filter field. */
const FIELD_ERROR_IDS = {
  deviceNo: "history-error-device",
  from: "history-error-from",
  to: "history-error-to",
  outcome: "history-error-outcome",
  product: "history-error-product",
};

/** The filter that selects every session, used until the user applies one. */
const NO_FILTER = { deviceNo: "", from: "", to: "", outcome: "", product: "" };

export function createHistory() {
  const form = byId("history-filter");
  const heading = byId("history-heading");
  const browser = byId("history-browser");
  const detailSection = byId("history-detail");
  const detailHeading = byId("history-detail-heading");
  const outcomeSelect = byId("history-filter-outcome");
  const apply = byId("history-apply");
  const exportCsv = byId("history-export-csv");
  const exportXlsx = byId("history-export-xlsx");
  const exportStatusNode = byId("history-export-status");
  const loading = byId("history-loading");
  const back = byId("history-back");

  const inputs = Object.fromEntries(Object.entries(FIELD_INPUT_IDS).map(([field, id]) => [field, byId(id)]));
  const fieldErrors = Object.fromEntries(
    Object.entries(FIELD_ERROR_IDS).map(([field, id]) => [field, createMessageSlot(byId(id))]),
  );
  const formError = createMessageSlot(byId("history-error"));
  const exportStatus = createMessageSlot(exportStatusNode);

  const list = createHistoryList({ onOpen: openSession });
  const detail = createHistoryDetail();

  let outcomeOptions = [];
  /** The filter of the list on screen, which the exports use too. */
  let appliedFilter = NO_FILTER;
  let listRequest = 0;
  let openRequest = 0;
  let exporting = false;

  function readForm() {
    return Object.fromEntries(Object.entries(inputs).map(([field, input]) => [field, input.value]));
  }

  function renderOutcomeOptions() {
    const selected = outcomeSelect.value;
    const all = outcomeSelect.options[0];
    const options = outcomeOptions.map((option) =>
      element("option", { text: t(option.label), attributes: { value: option.value } }),
    );
    outcomeSelect.replaceChildren(all, ...options);
    outcomeSelect.value = selected;
    if (outcomeSelect.selectedIndex < 0) {
      outcomeSelect.value = "";
    }
  }

  function syncInvalidMarks() {
    for (const [field, slot] of Object.entries(fieldErrors)) {
      if (slot.hasMessage()) {
        inputs[field].setAttribute("aria-invalid", "true");
      } else {
        inputs[field].removeAttribute("aria-invalid");
      }
    }
  }

  function clearErrors() {
    formError.clear();
    for (const slot of Object.values(fieldErrors)) {
      slot.clear();
    }
    syncInvalidMarks();
  }

  function showFieldErrors(fields) {
    for (const [field, slot] of Object.entries(fieldErrors)) {
      slot.show(fields?.[field] ?? null);
    }
    syncInvalidMarks();
    const firstInvalid = Object.keys(FIELD_INPUT_IDS).find((field) => fields?.[field]);
    if (firstInvalid) {
      inputs[firstInvalid].focus();
    }
  }

  function showError(error, context) {
    if (error?.kind === "invalid") {
      showFieldErrors(error.fields ?? {});
    } else {
      console.error(`${context} failed`, error);
      formError.show(backend.messageOfError(error));
    }
  }

  /** Loads the list for `filter`. A response to an older request is dropped. */
  async function load(filter) {
    const request = ++listRequest;
    loading.hidden = false;
    apply.disabled = true;
    try {
      const view = await backend.listRecords(filter);
      if (request !== listRequest) {
        return;
      }
      appliedFilter = filter;
      clearErrors();
      list.show(view);
    } catch (error) {
      if (request === listRequest) {
        showError(error, "list_records");
      }
    } finally {
      if (request === listRequest) {
        loading.hidden = true;
        apply.disabled = false;
      }
    }
  }

  function showList() {
    const openedId = detail.sessionId();
    openRequest += 1;
    detailSection.hidden = true;
    browser.hidden = false;
    detail.clear();
    if (openedId !== null) {
      list.focusRow(openedId);
    }
  }

  async function openSession(sessionId) {
    const request = ++openRequest;
    formError.clear();
    try {
      const view = await backend.openRecord(sessionId);
      if (request !== openRequest) {
        return;
      }
      detail.show(view);
      browser.hidden = true;
      detailSection.hidden = false;
      detailHeading.focus();
    } catch (error) {
      if (request === openRequest) {
        showError(error, "open_record");
      }
    }
  }

  function renderExportButtons() {
    exportCsv.disabled = exporting;
    exportXlsx.disabled = exporting;
  }

  /** Exports the sessions of the list on screen, not the form's unapplied changes. */
  async function exportAs(format) {
    if (exporting) {
      return;
    }
    exporting = true;
    renderExportButtons();
    delete exportStatusNode.dataset.path;
    exportStatusNode.dataset.state = "busy";
    exportStatus.show({ key: "ui.history.exporting" });

    try {
      const file = await backend.exportRecords(appliedFilter, format);
      exportStatusNode.dataset.state = "saved";
      exportStatusNode.dataset.path = file.path;
      exportStatus.show({
        key: "ui.history.export_saved",
        args: { count: String(file.sessionCount), path: file.path },
      });
    } catch (error) {
      console.error("export_records failed", error);
      exportStatusNode.dataset.state = "error";
      exportStatus.show(backend.messageOfError(error));
    } finally {
      exporting = false;
      renderExportButtons();
    }
  }

  for (const [field, input] of Object.entries(inputs)) {
    const clear = () => {
      if (fieldErrors[field].hasMessage()) {
        fieldErrors[field].clear();
        syncInvalidMarks();
      }
    };
    input.addEventListener("input", clear);
    input.addEventListener("change", clear);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(readForm());
  });
  exportCsv.addEventListener("click", () => exportAs("csv"));
  exportXlsx.addEventListener("click", () => exportAs("xlsx"));
  back.addEventListener("click", showList);

  return {
    /** Sets the choices of the outcome filter, as the backend lists them. */
    setOutcomeOptions(options) {
      outcomeOptions = options ?? [];
      renderOutcomeOptions();
    },

    /** Shows the list with the sessions stored since it was last loaded. */
    enter() {
      showList();
      heading.focus();
      load(appliedFilter);
    },

    relocalize() {
      renderOutcomeOptions();
      list.relocalize();
      detail.relocalize();
      formError.relocalize();
      exportStatus.relocalize();
      for (const slot of Object.values(fieldErrors)) {
        slot.relocalize();
      }
    },
  };
}
