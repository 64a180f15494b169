// The final list: record id, record totals, and per cabinet a heading, its totals and a grid of
// product cards. The whole list is built in a DocumentFragment and inserted once, so even a
// list of several hundred lines costs one layout. The live screen and the History screen each
// render one into their own elements.

import { buildCard } from "./cards.js";
import { element, setOptionalText } from "./dom.js";
import { watchCardImages } from "./images.js";
import { t, text } from "./i18n.js";
import { fillTotals } from "./totals.js";

function buildCabinet(cabinet, index, idPrefix) {
  const headingId = `${idPrefix}cabinet-${index}-title`;
  const totals = element("div", { className: "totals totals-cabinet" });
  fillTotals(totals, cabinet.totals);

  const grid = element("div", { className: "card-grid" });
  for (const line of cabinet.lines) {
    grid.append(buildCard(line));
  }

  return element(
    "section",
    {
      className: "cabinet",
      dataset: { cabinetNo: cabinet.cabinetNo },
      attributes: { "aria-labelledby": headingId },
    },
    [
      element("div", { className: "cabinet-header" }, [
        element("h3", { className: "cabinet-title", text: t(cabinet.title), attributes: { id: headingId } }),
        totals,
      ]),
      grid,
    ],
  );
}

/**
 * @param {{section: HTMLElement, recordId: HTMLElement, recordTotals: HTMLElement,
 *          empty: HTMLElement, cabinets: HTMLElement, idPrefix?: string}} parts the elements
 *   of one final list in index.html, and a prefix that keeps its cabinet heading ids unique
 */
export function createFinalList({ section, recordId, recordTotals, empty, cabinets, idPrefix = "" }) {
  watchCardImages(cabinets);

  /** The FinalView on screen. */
  let view = null;

  function render() {
    if (!view) {
      section.hidden = true;
      delete section.dataset.recordId;
      recordTotals.replaceChildren();
      cabinets.replaceChildren();
      return;
    }

    if (view.recordId) {
      section.dataset.recordId = view.recordId;
    } else {
      delete section.dataset.recordId;
    }
    setOptionalText(recordId, view.recordId ? text("ui.final.record_id", { recordId: view.recordId }) : "");

    const isEmpty = view.cabinets.length === 0;
    empty.hidden = !isEmpty;
    recordTotals.hidden = isEmpty;
    if (isEmpty) {
      recordTotals.replaceChildren();
    } else {
      fillTotals(recordTotals, view.totals, text("ui.totals.record"));
    }

    const fragment = document.createDocumentFragment();
    view.cabinets.forEach((cabinet, index) => fragment.append(buildCabinet(cabinet, index, idPrefix)));
    cabinets.replaceChildren(fragment);

    section.hidden = false;
  }

  return {
    /** Shows a FinalView, replacing any list on screen. */
    show(next) {
      view = next;
      render();
    },

    clear() {
      view = null;
      render();
    },

    relocalize: render,
  };
}
