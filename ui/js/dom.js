// Element helpers. Text only ever enters the page through textContent, so a string from the
// server or the user can never become markup.

/**
 * Returns the element with `id`, or throws when index.html lacks it.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`index.html has no element with id "${id}"`);
  }
  return found;
}

/**
 * Creates an element.
 * @param {string} tag
 * @param {{className?: string, text?: string, attributes?: Record<string, string>,
 *          dataset?: Record<string, string>}} [options]
 * @param {Node[]} [children]
 * @returns {HTMLElement}
 */
export function element(tag, options = {}, children = []) {
  const created = document.createElement(tag);

  if (options.className) {
    created.className = options.className;
  }
  if (options.text !== undefined) {
    created.textContent = options.text;
  }
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    created.setAttribute(name, value);
  }
  for (const [name, value] of Object.entries(options.dataset ?? {})) {
    created.dataset[name] = value;
  }
  for (const child of children) {
    created.append(child);
  }

  return created;
}

/**
 * Replaces the text of `node`, hiding it when `text` is empty or missing.
 * @param {HTMLElement} node
 * @param {string | null | undefined} text
 */
export function setOptionalText(node, text) {
  node.textContent = text ?? "";
  node.hidden = !text;
}

/**
 * Shows or hides `node` through the hidden attribute, which app.css never overrides.
 * @param {HTMLElement} node
 * @param {boolean} visible
 */
export function setVisible(node, visible) {
  node.hidden = !visible;
}
