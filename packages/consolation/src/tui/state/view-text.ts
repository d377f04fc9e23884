/** Target text is untrusted: every string the terminal views draw is made safe and capped, once (see safeText). */
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";

export function textOrUndefined(text: string | undefined): string | undefined {
  return text === undefined ? undefined : safeText(text, LONG_FIELD_WIDTH);
}

export function safePairs(pairs: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return pairs.map(([k, v]) => [safeText(k), safeText(v, LONG_FIELD_WIDTH)]);
}
