// A product card for one line of the final list. Names and categories come from the server and
// enter the page as text only. Quantities and money arrive formatted ("+13", "¥6.50"), so the
// card only places them.

import { element } from "./dom.js";
import { setCardImage } from "./images.js";
import { t, text } from "./i18n.js";

/** The picture's size in CSS pixels, the square that app.css reserves for it. */
const IMAGE_SIZE = 96;

/** Builds one labelled figure of a card. */
function figure(labelKey, ...valueNodes) {
  return element("div", { className: "card-figure" }, [
    element("dt", { text: text(labelKey) }),
    element("dd", {}, valueNodes),
  ]);
}

/** Builds the element that contains a value, with the hook class that window tests select. */
function value(className, valueText, children = []) {
  return element("span", { className, text: valueText }, children);
}

/** Returns the "(first count 12)" element, or nothing when the count is null. */
function firstCount(className, count) {
  if (count === null || count === undefined) {
    return [];
  }
  return [element("span", { className: `card-first ${className}`, text: text("ui.card.first_count", { count }) })];
}

/** Builds a price value: the price and then its unit (元/件, 元/斤) inside one element. */
function price(className, amount, unit) {
  return value(className, amount, [element("span", { className: "card-price-unit", text: unit })]);
}

function buildImage(line) {
  const image = element("img", {
    className: "card-image",
    attributes: { alt: "", loading: "lazy", decoding: "async" },
  });
  image.width = IMAGE_SIZE;
  image.height = IMAGE_SIZE;
  setCardImage(image, line.imageUrl);
  return image;
}

function buildHeader(line) {
  const category = value("card-category", line.category ?? "");
  category.hidden = !line.category;

  return element("div", { className: "card-header" }, [
    element("h4", { className: "card-name", text: line.name }),
    element("p", { className: "card-meta" }, [
      category,
      element("span", { className: "card-aisle-label", text: text("ui.figure.aisle") }),
      value("card-aisle", line.aisleNo),
    ]),
    element("p", { className: "card-product-id", text: text("ui.card.product_id", { id: line.productId }) }),
  ]);
}

/**
 * Builds the card of a LineView.
 * @param {object} line
 * @returns {HTMLElement}
 */
export function buildCard(line) {
  const unit = t(line.unit);

  const quantities = element("dl", { className: "card-figures card-quantities" }, [
    figure("ui.figure.added", value("card-added", line.added), ...firstCount("card-added-first", line.addedFirstCount)),
    figure(
      "ui.figure.removed",
      value("card-removed", line.removed),
      ...firstCount("card-removed-first", line.removedFirstCount),
    ),
    figure("ui.figure.net", value("card-net", line.net)),
    figure("ui.figure.stock", value("card-stock", line.stock)),
  ]);

  const money = element("dl", { className: "card-figures card-money" }, [
    figure("ui.figure.sale_price", price("card-sale-price", line.salePrice, unit)),
    figure("ui.figure.cost_price", price("card-cost-price", line.costPrice, unit)),
    figure("ui.figure.sale_value", value("card-sale-value", line.saleValue)),
    figure("ui.figure.cost_value", value("card-cost-value", line.costValue)),
  ]);

  const card = element(
    "article",
    { className: "card", dataset: { key: line.key, incomplete: String(Boolean(line.incomplete)) } },
    [buildImage(line), buildHeader(line), quantities, money],
  );
  if (line.incomplete) {
    card.append(element("p", { className: "card-incomplete", text: text("ui.card.incomplete") }));
  }
  return card;
}
