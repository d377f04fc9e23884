/**
 * Module hooks registered by `async-insight/register` only (module.register; they run on Node's
 * hooks thread). A few ESM exports cannot be reached by patching a prototype: p-limit's default
 * export is a factory of closures, and async-mutex's ESM withTimeout is a module binding. For
 * exactly those files, the module's own source is loaded and the function declaration renamed;
 * a line appended at the end binds the exported name to what the main thread's adapter returns
 * for it (loading.ts, `esmExport`), or to the original when insight is off or the version is not
 * supported. Lines keep their numbers (stack traces still point at the library's real lines).
 * Any other module passes through untouched; an unexpected source is left as it is.
 */
interface Rewrite {
  /** The end of the file's URL. */
  readonly file: string;
  /** The exact declaration, replaced by `renamed` (same line). */
  readonly find: string;
  readonly renamed: string;
  /** The export's name for the main thread's adapter. */
  readonly exportName: string;
  /** The binding the module exports. */
  readonly binding: string;
  readonly original: string;
  /** Whether the rewritten declaration was `export default`. */
  readonly exportDefault: boolean;
}

const REWRITES: readonly Rewrite[] = [
  {
    file: "/node_modules/p-limit/index.js",
    find: "export default function pLimit(",
    renamed: "function __asyncInsightPLimit(",
    exportName: "p-limit:default",
    binding: "pLimit",
    original: "__asyncInsightPLimit",
    exportDefault: true,
  },
  {
    file: "/node_modules/async-mutex/index.mjs",
    find: "function withTimeout(sync, timeout, timeoutError = E_TIMEOUT) {",
    renamed: "function __asyncInsightWithTimeout(sync, timeout, timeoutError = E_TIMEOUT) {",
    exportName: "async-mutex:withTimeout",
    binding: "withTimeout",
    original: "__asyncInsightWithTimeout",
    exportDefault: false,
  },
];

function rewrite(source: string, spec: Rewrite): string | undefined {
  const at = source.indexOf(spec.find);
  if (at < 0 || source.indexOf(spec.find, at + 1) >= 0) return undefined;
  const hook = `globalThis[Symbol.for("async-insight.adapters.esm")]`;
  const bind = `const ${spec.binding} = (() => { try { return ${hook}?.(${JSON.stringify(spec.exportName)}, ${spec.original}, import.meta.url) ?? ${spec.original}; } catch { return ${spec.original}; } })();`;
  return `${source.slice(0, at)}${spec.renamed}${source.slice(at + spec.find.length)}\n${bind}${spec.exportDefault ? `\nexport default ${spec.binding};` : ""}\n`;
}

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const spec = REWRITES.find((r) => url.startsWith("file:") && url.endsWith(r.file));
  if (spec === undefined || result.format !== "module" || result.source == null) return result;
  try {
    const text = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source as ArrayBuffer);
    const changed = rewrite(text, spec);
    return changed === undefined ? result : { ...result, source: changed };
  } catch {
    return result;
  }
}
