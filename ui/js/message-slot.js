// An element that shows one catalogue message, or nothing, and can show it again in a new
// language.

import { setOptionalText } from "./dom.js";
import { t } from "./i18n.js";

/**
 * @param {HTMLElement} node the element that shows the message; hidden while there is none
 */
export function createMessageSlot(node) {
  /** @type {{key: string, args?: Record<string, string>} | null} */
  let message = null;

  function render() {
    setOptionalText(node, t(message));
  }

  return {
    /** Shows `next`, or hides the slot when `next` is null. */
    show(next) {
      message = next ?? null;
      render();
    },
    clear() {
      message = null;
      render();
    },
    hasMessage() {
      return message !== null;
    },
    relocalize: render,
  };
}
