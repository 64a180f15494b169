// The replenishment slip (补货单) of an opened History record, printed through window.print().
// app.css hides the slip on screen and, when printing, hides everything else. Every figure comes
// formatted in the RecordView, so the slip only places it.

import { element } from "./dom.js";
import { t, text } from "./i18n.js";

/** Builds one labelled fact of the slip's header; `name` becomes data-slip, which tests select. */
function fact(name, labelKey, value) {
  return element("div", { className: "slip-fact", dataset: { slip: name } }, [
    element("dt", { text: text(labelKey) }),
    element("dd", { text: value }),
  ]);
}

function deviceText(summary) {
  return summary.deviceName
    ? text("ui.history.fact.device_named", { deviceNo: summary.deviceNo, name: summary.deviceName })
    : summary.deviceNo;
}

function timeText(view) {
  const started = view.summary.startedAt;
  return view.endedAt ? text("ui.slip.time_range", { started, ended: view.endedAt }) : started;
}

function cell(tag, value, className = "") {
  return element(tag, { className, text: value });
}

/** Returns a price followed by its unit (元/件, 元/斤), as the product cards show it. */
function priceText(amount, line) {
  return `${amount} ${t(line.unit)}`;
}

function headerRow() {
  const labels = [
    "ui.figure.aisle",
    "ui.slip.product",
    "ui.figure.added",
    "ui.figure.removed",
    "ui.figure.cost_price",
    "ui.figure.sale_price",
    "ui.figure.cost_value",
    "ui.figure.sale_value",
  ];
  return element("tr", {}, labels.map((key) => cell("th", text(key))));
}

function lineRow(line) {
  return element("tr", { className: "slip-line", dataset: { key: line.key } }, [
    cell("td", line.aisleNo, "slip-aisle"),
    cell("td", line.name, "slip-name"),
    cell("td", line.added, "slip-added"),
    cell("td", line.removed, "slip-removed"),
    cell("td", priceText(line.costPrice, line), "slip-cost-price"),
    cell("td", priceText(line.salePrice, line), "slip-sale-price"),
    cell("td", line.costValue, "slip-cost-value"),
    cell("td", line.saleValue, "slip-sale-value"),
  ]);
}

/** Builds the subtotal row of a cabinet: quantities and values, with no unit prices. */
function subtotalRow(totals) {
  const label = element("th", { text: text("ui.slip.subtotal"), attributes: { colspan: "2", scope: "row" } });
  return element("tr", { className: "slip-subtotal" }, [
    label,
    cell("td", totals.added, "slip-added"),
    cell("td", totals.removed, "slip-removed"),
    cell("td", ""),
    cell("td", ""),
    cell("td", totals.costValue, "slip-cost-value"),
    cell("td", totals.saleValue, "slip-sale-value"),
  ]);
}

function cabinetBlock(cabinet) {
  const table = element("table", { className: "slip-lines" }, [
    element("thead", {}, [headerRow()]),
    element("tbody", {}, cabinet.lines.map(lineRow)),
    element("tfoot", {}, [subtotalRow(cabinet.totals)]),
  ]);
  return element("section", { className: "slip-cabinet", dataset: { cabinetNo: cabinet.cabinetNo } }, [
    element("h2", { className: "slip-cabinet-title", text: t(cabinet.title) }),
    table,
  ]);
}

function totalsBlock(totals) {
  const figures = [
    ["ui.figure.added", totals.added, "slip-total-added"],
    ["ui.figure.removed", totals.removed, "slip-total-removed"],
    ["ui.figure.cost_value", totals.costValue, "slip-total-cost-value"],
    ["ui.figure.sale_value", totals.saleValue, "slip-total-sale-value"],
  ];
  const block = element("section", { className: "slip-totals" }, [
    element("h2", { text: text("ui.totals.record") }),
    element(
      "dl",
      {},
      figures.map(([labelKey, value, className]) =>
        element("div", { className: "slip-total" }, [
          element("dt", { text: text(labelKey) }),
          element("dd", { className, text: value }),
        ]),
      ),
    ),
  ]);
  if (totals.incomplete) {
    block.append(element("p", { className: "slip-incomplete", text: text("ui.totals.incomplete") }));
  }
  return block;
}

/** Builds the line with room for a handwritten signature and date. */
function signatureBlock() {
  const blank = () => element("span", { className: "slip-blank" });
  return element("p", { className: "slip-signature" }, [
    element("span", { className: "slip-signature-label", text: text("ui.slip.signature") }),
    blank(),
    element("span", { className: "slip-signature-label", text: text("ui.slip.date") }),
    blank(),
  ]);
}

/**
 * Fills `container` with the slip of a RecordView that has a final list, or empties it.
 * @param {HTMLElement} container
 * @param {object | null} view a RecordView
 */
export function renderSlip(container, view) {
  const list = view?.finalList;
  if (!list) {
    container.replaceChildren();
    delete container.dataset.sessionId;
    return;
  }

  const facts = [
    fact("device", "ui.history.fact.device", deviceText(view.summary)),
    fact("time", "ui.slip.time", timeText(view)),
  ];
  if (list.recordId) {
    facts.push(fact("record_id", "ui.history.fact.record_id", list.recordId));
  }

  container.dataset.sessionId = String(view.summary.sessionId);
  container.replaceChildren(
    element("h1", { className: "slip-title", text: text("ui.slip.title") }),
    element("dl", { className: "slip-facts" }, facts),
    ...list.cabinets.map(cabinetBlock),
    totalsBlock(list.totals),
    signatureBlock(),
  );
}
