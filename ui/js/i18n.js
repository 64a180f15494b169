// The message catalogue received from the backend and the filling of its {slot} placeholders.
// A slot name is ASCII letters, digits and underscores; any other brace is literal text, as in
// the Rust side of the catalogues.

const SLOT = /\{([A-Za-z0-9_]+)\}/g;

let currentLanguage = "zh-CN";
/** @type {Record<string, string>} */
let entries = {};
const reportedMissingKeys = new Set();

/**
 * Installs the catalogue of `language` and sets the page's lang attribute.
 * @param {string} language a tag such as "zh-CN" or "en"
 * @param {Record<string, string>} catalogue
 */
export function setCatalogue(language, catalogue) {
  currentLanguage = language;
  entries = catalogue ?? {};
  document.documentElement.lang = language;
}

/** @returns {string} the tag of the language in use */
export function currentLanguageTag() {
  return currentLanguage;
}

/**
 * Returns the text of `key` with its slots filled from `args`.
 * A missing key returns the key itself, so the gap is visible and searchable.
 * @param {string} key
 * @param {Record<string, string | number>} [args]
 * @returns {string}
 */
export function text(key, args = {}) {
  const template = entries[key];
  if (template === undefined) {
    if (!reportedMissingKeys.has(key)) {
      reportedMissingKeys.add(key);
      console.warn(`missing catalogue key "${key}" in the ${currentLanguage} catalogue`);
    }
    return key;
  }

  return template.replace(SLOT, (whole, name) =>
    Object.hasOwn(args, name) ? String(args[name]) : whole,
  );
}

/**
 * Returns the text of a message from the backend, or "" for a missing message.
 * @param {{key: string, args?: Record<string, string>} | null | undefined} message
 * @returns {string}
 */
export function t(message) {
  if (!message) {
    return "";
  }
  return text(message.key, message.args ?? {});
}

/**
 * Fills the static texts of `root` from its data attributes: data-i18n sets the text content,
 * data-i18n-placeholder and data-i18n-aria-label set those attributes.
 * @param {ParentNode} root
 */
export function localizeStatic(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = text(node.dataset.i18n);
  }
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", text(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", text(node.dataset.i18nAriaLabel));
  }
}
