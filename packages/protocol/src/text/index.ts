/**
 * The one sanitiser for untrusted text, shared by everything that shows what
 * a target or a file supplied: the console's views (through the engine's
 * re-export), the client's one-line errors and the library's exit report.
 */
export {
  boundedJsonReplacer,
  boundText,
  dotText,
  ELLIPSIS,
  escapeUnsafe,
  escapeXmlChars,
  FIELD_WIDTH,
  FULL_TEXT_LIMIT,
  LONG_FIELD_WIDTH,
  mermaidText,
  safeText,
  xmlText,
} from "./sanitize.js";
export { codePointWidth, displayWidth, graphemes, graphemeWidth } from "./display-width.js";
export { escapeCodePoint, hasUnsafeText, isUnsafeCodePoint } from "./control-chars.js";
