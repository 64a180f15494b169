// One stored session opened from the History list: its facts, its final list rendered by the
// same code as the live screen's, and its printable replenishment slip.

import { byId, element } from "./dom.js";
import { createFinalList } from "./final-list.js";
import { t, text } from "./i18n.js";
import { renderSlip } from "./print-slip.js";

/** Builds one fact; `name` becomes data-fact, which window tests select. */
function fact(name, labelKey, value) {
  return element("div", { className: "history-fact", dataset: { fact: name } }, [
    element("dt", { text: text(labelKey) }),
    element("dd", { text: value }),
  ]);
}

/** Returns the facts of a RecordView that it has, in reading order. */
function buildFacts(view) {
  const summary = view.summary;
  const facts = [
    fact("started", "ui.history.fact.started", summary.startedAt),
    fact(
      "device",
      "ui.history.fact.device",
      summary.deviceName
        ? text("ui.history.fact.device_named", { deviceNo: summary.deviceNo, name: summary.deviceName })
        : summary.deviceNo,
    ),
    fact("outcome", "ui.history.fact.outcome", t(summary.outcomeLabel)),
  ];
  const optional = [
    ["ended", "ui.history.fact.ended", view.endedAt],
    ["endpoint", "ui.history.fact.endpoint", view.endpointHost],
    ["record_id", "ui.history.fact.record_id", summary.recordId],
    ["server_message", "ui.history.fact.server_message", summary.serverMessage],
    ["code", "ui.history.fact.code", view.code],
    ["close_code", "ui.history.fact.close_code", view.closeCode],
    ["detail", "ui.history.fact.detail", view.detail],
  ];
  for (const [name, labelKey, value] of optional) {
    if (value) {
      facts.push(fact(name, labelKey, value));
    }
  }
  facts.push(fact("session", "ui.history.fact.session", String(summary.sessionId)));
  if (summary.duplicateNote) {
    facts.push(element("p", { className: "history-duplicate", text: t(summary.duplicateNote) }));
  }
  return facts;
}

export function createHistoryDetail() {
  const section = byId("history-detail");
  const facts = byId("history-facts");
  const noList = byId("history-detail-no-list");
  const printButton = byId("history-print");
  const slip = byId("print-slip");
  const finalList = createFinalList({
    section: byId("history-final"),
    recordId: byId("history-record-id"),
    recordTotals: byId("history-record-totals"),
    empty: byId("history-empty-final"),
    cabinets: byId("history-cabinets"),
    idPrefix: "history-",
  });

  /** The RecordView on screen. */
  let view = null;

  function render() {
    renderSlip(slip, view);
    printButton.hidden = !view?.finalList;
    if (!view) {
      delete section.dataset.sessionId;
      delete facts.dataset.outcome;
      delete facts.dataset.tone;
      facts.replaceChildren();
      noList.hidden = true;
      finalList.clear();
      return;
    }

    section.dataset.sessionId = String(view.summary.sessionId);
    facts.dataset.outcome = view.summary.outcome;
    facts.dataset.tone = view.summary.tone;
    facts.replaceChildren(...buildFacts(view));
    noList.hidden = Boolean(view.finalList);
    if (view.finalList) {
      finalList.show(view.finalList);
    } else {
      finalList.clear();
    }
  }

  // The slip is already in the page, so printing shows the system's print dialog at once.
  printButton.addEventListener("click", () => window.print());

  return {
    /** Shows a RecordView. */
    show(next) {
      view = next;
      render();
    },

    /** Returns the session id on screen, or null. */
    sessionId() {
      return view ? view.summary.sessionId : null;
    },

    clear() {
      view = null;
      render();
    },

    relocalize: render,
  };
}
