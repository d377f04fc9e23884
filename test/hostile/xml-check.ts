/**
 * A strict well-formedness check for the XML our SVG uses: one root element,
 * balanced tags, quoted attributes, only the five named entities or numeric
 * references, and no character XML 1.0 forbids. Returns the first error, or
 * undefined when the document is well-formed.
 */
const NAME = "[A-Za-z_:][\\w:.-]*";
const ATTRS = `(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*`;
const TOKEN = new RegExp(`<\\?xml[^?]*\\?>|<!--[\\s\\S]*?-->|<(${NAME})${ATTRS}\\s*(/?)>|</(${NAME})\\s*>|<|[^<]+`, "gy");
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
// Chars XML 1.0 forbids: C0 except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkEntities(text: string, at: number): string | undefined {
  for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(text)) return `bad entity at ${at + i}: ${JSON.stringify(text.slice(i, i + 12))}`;
  }
  return undefined;
}

export function xmlError(doc: string): string | undefined {
  const bad = FORBIDDEN.exec(doc);
  if (bad) return `forbidden character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`;
  const stack: string[] = [];
  let roots = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < doc.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(doc);
    if (!m) return `cannot read at ${at}`;
    const [token, open, selfClose, close] = m;
    if (token === "<") return `stray '<' at ${at}`;
    if (open) {
      if (stack.length === 0 && ++roots > 1) return `second root element at ${at}`;
      const error = checkEntities(token, at);
      if (error) return error;
      if (!selfClose) stack.push(open);
    } else if (close) {
      const expected = stack.pop();
      if (expected !== close) return `</${close}> at ${at} closes <${expected ?? "nothing"}>`;
    } else if (!token.startsWith("<")) {
      if (stack.length === 0 && token.trim()) return `text outside the root at ${at}`;
      if (token.includes(">") && /\]\]>/.test(token)) return `']]>' in text at ${at}`;
      const error = checkEntities(token, at);
      if (error) return error;
    }
  }
  if (stack.length) return `unclosed <${stack.at(-1)}>`;
  return roots === 1 ? undefined : "no root element";
}
