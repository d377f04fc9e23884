/** The RuntimeSource the app uses until @insight/engine provides a RuntimeStore. */
import type { Update } from "@insight/protocol";
import type { RuntimeSource } from "../runtime-source.js";
import type { RuntimeView } from "../view-model.js";
import { FoldStore } from "./fold-store.js";
import { FoldView } from "./fold-view.js";

export function createInterimSource(): RuntimeSource & { readonly store: FoldStore } {
  const store = new FoldStore();
  const fold = new FoldView(store);
  const view: RuntimeView = fold;
  return {
    store,
    applyUpdate: (update: Update) => {
      store.applyUpdate(update);
      fold.observe();
    },
    view: () => view,
  };
}
