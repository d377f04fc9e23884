/**
 * Resource and async-op attribute updates as console-subscriber applies them:
 * booleans and text always overwrite; numbers follow `<attr>.op` (add, sub,
 * override), saturating at zero, and a number with no op is ignored.
 */
import type { StateAttribute } from "../trace-formats/runtime-event.js";

export interface AttributeValue {
  value: string | number | boolean;
  unit?: string;
}

export function applyAttribute(map: Map<string, AttributeValue>, update: StateAttribute): void {
  const unit = update.unit ?? map.get(update.name)?.unit;
  const next = (value: string | number | boolean) => map.set(update.name, unit !== undefined ? { value, unit } : { value });
  if (typeof update.value !== "number") {
    next(update.value);
    return;
  }
  const current = map.get(update.name)?.value;
  const base = typeof current === "number" ? current : 0;
  switch (update.op) {
    case "override":
      next(update.value);
      return;
    case "add":
      next(base + update.value);
      return;
    case "sub":
      next(Math.max(0, base - update.value));
      return;
    default:
      return;
  }
}
