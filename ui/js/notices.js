// The notices area: non-fatal problems of the session, one line per distinct message with the
// number of times the backend raised it.

import { byId, element } from "./dom.js";
import { t, text } from "./i18n.js";

/** Returns a string that is equal for equal messages, whatever the order of their args. */
function identityOf(message) {
  const args = Object.entries(message.args ?? {});
  args.sort(([first], [second]) => first.localeCompare(second));
  return JSON.stringify([message.key, args]);
}

export function createNotices() {
  const section = byId("notices");
  const list = byId("notice-list");

  /** @type {Map<string, {view: object, messageNode: HTMLElement, countNode: HTMLElement}>} */
  const entriesByIdentity = new Map();

  function renderEntry(entry) {
    entry.messageNode.textContent = t(entry.view.message);
    entry.countNode.textContent = text("ui.notices.count", { count: entry.view.count });
  }

  return {
    /** Adds a NoticeView, or updates the count of the same message already shown. */
    add(view) {
      const identity = identityOf(view.message);
      let entry = entriesByIdentity.get(identity);

      if (entry) {
        entry.view = view;
      } else {
        const messageNode = element("span", { className: "notice-text" });
        const countNode = element("span", { className: "notice-count" });
        const item = element("li", { className: "notice", dataset: { messageKey: view.message.key } }, [
          messageNode,
          countNode,
        ]);
        entry = { view, messageNode, countNode };
        entriesByIdentity.set(identity, entry);
        list.append(item);
      }

      renderEntry(entry);
      section.hidden = false;
    },

    clear() {
      entriesByIdentity.clear();
      list.replaceChildren();
      section.hidden = true;
    },

    relocalize() {
      for (const entry of entriesByIdentity.values()) {
        renderEntry(entry);
      }
    },
  };
}
