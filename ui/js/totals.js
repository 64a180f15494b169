// A totals block: quantities and money of a cabinet or a whole record, as the backend summed
// them.

import { element } from "./dom.js";
import { text } from "./i18n.js";

function figure(labelKey, valueClass, value, modifier = "") {
  return element("div", { className: `totals-item${modifier}` }, [
    element("dt", { className: "totals-label", text: text(labelKey) }),
    element("dd", { className: valueClass, text: value }),
  ]);
}

/**
 * Replaces the content of `container` with the figures of a TotalsView.
 * @param {HTMLElement} container an element with the class "totals"
 * @param {object} totals a TotalsView
 * @param {string} [caption] a heading shown before the line count, such as "本次合计"
 * @param {string} [countText] replaces the product count ("3 种商品"), e.g. with a count of
 *   sessions where the totals span several
 */
export function fillTotals(container, totals, caption, countText) {
  const summary = element("p", { className: "totals-summary" });
  if (caption) {
    summary.append(element("span", { className: "totals-caption", text: caption }));
  }
  summary.append(
    element("span", {
      className: "totals-lines",
      text: countText ?? text("ui.totals.lines", { count: totals.lineCount }),
    }),
  );

  const money = " totals-item--money";
  const figures = element("dl", { className: "totals-figures" }, [
    figure("ui.figure.added", "totals-added", totals.added),
    figure("ui.figure.removed", "totals-removed", totals.removed),
    figure("ui.figure.net", "totals-net", totals.net),
    figure("ui.figure.cost_value", "totals-cost-value", totals.costValue, money),
    figure("ui.figure.sale_value", "totals-sale-value", totals.saleValue, money),
  ]);

  container.replaceChildren(summary, figures);
  if (totals.incomplete) {
    container.append(element("p", { className: "totals-incomplete", text: text("ui.totals.incomplete") }));
  }
  container.dataset.incomplete = String(Boolean(totals.incomplete));
}
