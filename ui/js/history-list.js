// The History list: one row per stored session, newest first, and the totals over every session
// the filter selects. The backend formats every figure and time, so rows only place them.
// Product names and server messages enter the page as text only.

import { byId, element, setOptionalText } from "./dom.js";
import { t, text } from "./i18n.js";
import { fillTotals } from "./totals.js";

/** Builds one labelled figure of a row, e.g. "补货 30". */
function figure(labelKey, valueClass, value) {
  return element("span", { className: "history-figure" }, [
    element("span", { className: "history-figure-label", text: text(labelKey) }),
    element("span", { className: `history-figure-value ${valueClass}`, text: value }),
  ]);
}

/** Returns the device as the banner names it: "设备 181200005（一楼东侧）". */
function deviceText(row) {
  return row.deviceName
    ? text("ui.session.device_named", { deviceNo: row.deviceNo, name: row.deviceName })
    : text("ui.session.device", { deviceNo: row.deviceNo });
}

function buildFigures(row) {
  if (!row.totals) {
    // A duplicate's figures belong to the earlier session that contains the same list.
    const key = row.duplicateNote ? "ui.history.counted_elsewhere" : "ui.history.no_list";
    return element("span", { className: "history-figures history-no-list", text: text(key) });
  }
  return element("span", { className: "history-figures" }, [
    figure("ui.figure.added", "history-added", row.totals.added),
    figure("ui.figure.removed", "history-removed", row.totals.removed),
    figure("ui.figure.cost_value", "history-cost-value", row.totals.costValue),
    figure("ui.figure.sale_value", "history-sale-value", row.totals.saleValue),
  ]);
}

function buildResult(row) {
  const result = element("span", { className: "history-result" }, [
    element("span", { className: "history-outcome", text: t(row.outcomeLabel) }),
  ]);
  if (row.serverMessage) {
    result.append(element("span", { className: "history-server-message", text: row.serverMessage }));
  }
  if (row.recordId) {
    result.append(
      element("span", {
        className: "history-record-id",
        text: text("ui.final.record_id", { recordId: row.recordId }),
      }),
    );
  }
  if (row.duplicateNote) {
    result.append(element("span", { className: "history-duplicate", text: t(row.duplicateNote) }));
  }
  return result;
}

function buildRow(row, onOpen) {
  const open = element("button", { className: "history-open", attributes: { type: "button" } }, [
    element("span", { className: "history-when" }, [
      element("span", { className: "history-time", text: row.startedAt }),
      element("span", { className: "history-session", text: text("ui.history.session", { id: row.sessionId }) }),
    ]),
    element("span", { className: "history-device", text: deviceText(row) }),
    buildResult(row),
    buildFigures(row),
  ]);
  open.addEventListener("click", () => onOpen(row.sessionId));

  return element(
    "li",
    {
      className: "history-row",
      dataset: { sessionId: String(row.sessionId), outcome: row.outcome, tone: row.tone },
    },
    [open],
  );
}

/**
 * @param {{onOpen: (sessionId: number) => void}} actions
 */
export function createHistoryList({ onOpen }) {
  const list = byId("history-list");
  const totals = byId("history-totals");
  const truncated = byId("history-truncated");
  const empty = byId("history-empty");

  /** The HistoryView on screen. */
  let view = null;

  function render() {
    if (!view) {
      list.replaceChildren();
      totals.replaceChildren();
      totals.hidden = true;
      empty.hidden = true;
      setOptionalText(truncated, "");
      return;
    }

    const fragment = document.createDocumentFragment();
    for (const row of view.rows) {
      fragment.append(buildRow(row, onOpen));
    }
    list.replaceChildren(fragment);

    const isEmpty = view.sessionCount === 0;
    empty.hidden = !isEmpty;
    totals.hidden = isEmpty;
    if (!isEmpty) {
      const count = text("ui.history.totals_count", {
        sessions: view.sessionCount,
        lines: view.totals.lineCount,
      });
      fillTotals(totals, view.totals, text("ui.history.totals"), count);
    }
    setOptionalText(
      truncated,
      view.rows.length < view.sessionCount
        ? text("ui.history.truncated", { shown: view.rows.length, total: view.sessionCount })
        : "",
    );
  }

  return {
    /** Shows a HistoryView, replacing the rows on screen. */
    show(next) {
      view = next;
      render();
    },

    /** Moves focus to the row of `sessionId`, if it is listed. */
    focusRow(sessionId) {
      list.querySelector(`.history-row[data-session-id="${Number(sessionId)}"] .history-open`)?.focus();
    },

    relocalize: render,
  };
}
