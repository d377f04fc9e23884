/**
 * Finding the libraries the app loads, whenever it loads them, and handing
 * each copy to its adapter once (patching.ts):
 *
 * - CommonJS (generic-pool, tarn, async-mutex's CJS build): a wrapper around
 *   Module._load sees every require, and every ESM import of a CJS package
 *   (Node 20, 22 and 24 load those through it too). Copies already loaded
 *   when init() runs are found in require.cache.
 * - ESM (p-queue, async-mutex's ESM build): the package is resolved from the
 *   app's folder and imported; ESM caches by URL, so this is the very
 *   instance the app imports (or imported already), and patching its class
 *   prototypes reaches every instance. Under `--import` this finishes before
 *   the app's first line; with init() after the imports it lands a few
 *   microtasks later, and objects made in between are picked up at their
 *   first patched call. A copy nested under another package's node_modules,
 *   not resolvable from the app's folder, is not found (docs/adapters.md).
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, isAbsolute, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { debug, guarded } from "../private/debug.js";
import { AdapterContext, AdapterState, inRange, type AdapterDefinition, type LoadedLibrary } from "./patching.js";

interface PackageJson {
  version?: string;
  main?: string;
  type?: string;
  exports?: unknown;
}

const states = new Map<string, AdapterState>();
/** `root|format` of every copy handed to its adapter already. */
const seen = new Set<string>();
const manifests = new Map<string, PackageJson | null>();

function manifest(root: string): PackageJson | null {
  let json = manifests.get(root);
  if (json === undefined) {
    try {
      json = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson;
    } catch {
      json = null;
    }
    manifests.set(root, json);
  }
  return json;
}

/** The package folder of a file inside `node_modules/<name>/`, or undefined. */
function packageRoot(file: string, name: string): string | undefined {
  const marker = `${sep}node_modules${sep}${name.split("/").join(sep)}${sep}`;
  const at = file.lastIndexOf(marker);
  return at < 0 ? undefined : file.slice(0, at + marker.length - 1);
}

/** Hands a loaded copy to its adapter, once, if its version is supported. */
function offer(state: AdapterState, root: string, format: "cjs" | "esm", exports: unknown): void {
  const key = `${root}|${format}`;
  if (seen.has(key) || state.disabled) return;
  seen.add(key);
  const definition = state.definition;
  const version = manifest(root)?.version ?? "";
  if (!inRange(version, definition.versions)) {
    debug(
      "adapter %s: version %s at %s is outside the supported range %s to below %s; not patched",
      definition.packageName,
      version || "unknown",
      root,
      definition.versions.from,
      definition.versions.below,
    );
    return;
  }
  const library: LoadedLibrary = { packageName: definition.packageName, version, root, format };
  try {
    definition.patch(exports, new AdapterContext(state, library));
    debug("adapter %s: patched %s@%s (%s) at %s", definition.packageName, definition.packageName, version, format, root);
  } catch (error) {
    state.disable(error);
  }
}

// --- CommonJS -----------------------------------------------------------------

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const HOOKED = Symbol.for("async-insight.adapters.module-load");
const requireCache = createRequire(import.meta.url).cache;
const ModuleInternals = Module as unknown as { _load: Load; _resolveFilename(request: string, parent: unknown, isMain: boolean): string } & Record<
  symbol,
  unknown
>;

/** The file a require request names (called only for requests naming one of the watched packages). */
function filenameOf(request: string, parent: unknown, isMain: boolean): string | undefined {
  // A path may name the package's folder (require("/app/node_modules/pg")): resolved like any request.
  return ModuleInternals._resolveFilename(request.startsWith("file:") ? fileURLToPath(request) : request, parent, isMain);
}

/** The main entry of a CJS package, as require() of the folder resolves it. */
function cjsMain(root: string): string | undefined {
  try {
    return createRequire(join(root, "package.json")).resolve(root);
  } catch {
    return undefined;
  }
}

/**
 * Whether a require request names package `name`: the bare name or a file in it
 * (`pg`, `pg/lib/index.js`), or a path into a `node_modules/<name>/` folder.
 * Never a name that merely contains it (`./upgrade`, `pg-pool`, a folder
 * `/home/tarnowski/...`).
 */
export function requestNames(request: string, name: string): boolean {
  if (request === name || request.startsWith(`${name}/`)) return true;
  if (!request.startsWith("file:") && !isAbsolute(request)) return false;
  const path = sep === "/" ? request : request.split(sep).join("/");
  return path.includes(`/node_modules/${name}/`) || path.endsWith(`/node_modules/${name}`);
}

function onRequired(request: string, parent: unknown, isMain: boolean, exports: unknown): void {
  for (const state of states.values()) {
    const name = state.definition.packageName;
    if (!state.definition.formats.includes("cjs") || !requestNames(request, name)) continue;
    const file = filenameOf(request, parent, isMain);
    if (file === undefined) continue;
    const root = packageRoot(file, name);
    if (root === undefined || seen.has(`${root}|cjs`)) continue;
    // Only the package's main module carries the classes the adapter patches.
    if (request !== name && cjsMain(root) !== file) continue;
    offer(state, root, "cjs", exports);
    return;
  }
}

function hookRequire(): void {
  if (ModuleInternals[HOOKED]) return;
  const original = ModuleInternals._load;
  const load: Load = function (this: unknown, request, parent, isMain) {
    // biome-ignore lint/complexity/noArguments: forwards exactly what Node passed, however many arguments that is
    const exports = original.apply(this, arguments as unknown as Parameters<Load>);
    if (states.size > 0 && typeof request === "string") guarded("an adapter's require hook", () => onRequired(request, parent, isMain, exports), undefined);
    return exports;
  };
  ModuleInternals._load = load;
  ModuleInternals[HOOKED] = true;
}

/** Copies required before insight started. */
function scanRequireCache(state: AdapterState): void {
  const name = state.definition.packageName;
  const roots = new Set<string>();
  for (const file of Object.keys(requireCache)) {
    const root = packageRoot(file, name);
    if (root !== undefined) roots.add(root);
  }
  for (const root of roots) {
    const main = cjsMain(root);
    const cached = main === undefined ? undefined : requireCache[main];
    if (cached?.loaded) offer(state, root, "cjs", cached.exports);
  }
}

// --- ESM ----------------------------------------------------------------------

function pickImport(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (entry === null || typeof entry !== "object") return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ["import", "node", "default"]) {
    const found = pickImport(conditions[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The file `import "<package>"` loads, or undefined when the package has no ESM build. */
function esmEntry(root: string): string | undefined {
  const json = manifest(root);
  if (json === null) return undefined;
  let exports = json.exports;
  if (exports !== null && typeof exports === "object" && "." in exports) exports = (exports as Record<string, unknown>)["."];
  const entry = exports === undefined ? (json.type === "module" ? (json.main ?? "index.js") : undefined) : pickImport(exports);
  if (entry === undefined) return undefined;
  const file = join(root, entry);
  // An "import" condition pointing at CJS is the CJS build: the require hook covers it.
  if (file.endsWith(".cjs") || (!file.endsWith(".mjs") && json.type !== "module")) return undefined;
  return file;
}

/** Folders `require(name)` would look in from the app's main module (and from the working directory). */
function lookupRoots(name: string): string[] {
  const from = process.argv[1] ? realpathOr(process.argv[1]) : join(process.cwd(), "index.js");
  const paths = [...(createRequire(from).resolve.paths(name) ?? []), ...(createRequire(join(process.cwd(), "index.js")).resolve.paths(name) ?? [])];
  const roots: string[] = [];
  for (const dir of paths) {
    const root = join(dir, name);
    if (existsSync(join(root, "package.json"))) {
      roots.push(realpathOr(root));
      break;
    }
  }
  return roots;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

async function importFromApp(state: AdapterState): Promise<void> {
  for (const root of lookupRoots(state.definition.packageName)) {
    if (seen.has(`${root}|esm`)) continue;
    const entry = esmEntry(root);
    if (entry === undefined) continue;
    try {
      const namespace: unknown = await import(pathToFileURL(entry).href);
      offer(state, root, "esm", namespace);
    } catch (error) {
      debug("adapter %s: importing %s failed: %s", state.definition.packageName, entry, error);
    }
  }
}

// --- ESM exports rewritten by esm-hooks.ts -------------------------------------

const ESM_BRIDGE = Symbol.for("async-insight.adapters.esm");

/** Called by a rewritten module as it evaluates: the adapter's replacement for one export, or the original. */
function esmExport(name: string, original: Function, url: string): Function {
  const packageName = name.slice(0, name.indexOf(":"));
  const state = states.get(packageName);
  if (state === undefined || state.disabled || state.definition.wrapExport === undefined) return original;
  const root = packageRoot(realpathOr(fileURLToPath(url)), packageName);
  if (root === undefined) return original;
  const version = manifest(root)?.version ?? "";
  if (!inRange(version, state.definition.versions)) {
    debug("adapter %s: version %s at %s is outside the supported range; %s not wrapped", packageName, version || "unknown", root, name);
    return original;
  }
  try {
    const wrapped = state.definition.wrapExport(name, original, new AdapterContext(state, { packageName, version, root, format: "esm" }));
    debug("adapter %s: wrapped %s of %s@%s at %s", packageName, name, packageName, version, root);
    return wrapped;
  } catch (error) {
    state.disable(error);
    return original;
  }
}

/**
 * Registers esm-hooks.ts (only from `async-insight/register`, before the app loads: a module hook
 * costs every later import). Skipped when running from TypeScript sources, where no compiled
 * hooks file exists.
 */
export function registerEsmHooks(definitions: readonly AdapterDefinition[]): void {
  guarded(
    "registering the adapters' module hooks",
    () => {
      for (const definition of definitions) stateOf(definition);
      // A module hook starts Node's hooks thread and sees every later import: only when a package it
      // rewrites is there to be loaded.
      const wanted = definitions.filter((definition) => definition.wrapExport !== undefined).map((definition) => definition.packageName);
      if (!wanted.some((name) => lookupRoots(name).length > 0)) {
        debug("adapters: none of %s is installed for this app; no module hooks", wanted.join(", "));
        return;
      }
      const hooks = new URL("./esm-hooks.js", import.meta.url);
      if (!existsSync(fileURLToPath(hooks))) {
        debug("adapters: no compiled module hooks at %s; p-limit and async-mutex's ESM withTimeout stay unwrapped", hooks.href);
        return;
      }
      (globalThis as Record<symbol, unknown>)[ESM_BRIDGE] = (name: string, original: Function, url: string) =>
        guarded("an adapter's export", () => esmExport(name, original, url), original);
      Module.register(hooks.href);
    },
    undefined,
  );
}

function stateOf(definition: AdapterDefinition): AdapterState {
  let state = states.get(definition.packageName);
  if (state === undefined) {
    state = new AdapterState(definition);
    states.set(definition.packageName, state);
  }
  return state;
}

/**
 * Installs the adapters (idempotent): patches what is loaded, hooks what
 * loads later. The promise settles once the ESM builds resolvable from the
 * app are patched; it never rejects.
 */
export function installAdapters(definitions: readonly AdapterDefinition[]): Promise<void> {
  const imports: Promise<void>[] = [];
  guarded(
    "installing adapters",
    () => {
      for (const definition of definitions) {
        const state = stateOf(definition);
        if (definition.formats.includes("cjs")) scanRequireCache(state);
        if (definition.formats.includes("esm"))
          imports.push(importFromApp(state).catch((error: unknown) => debug("adapter %s: %s", definition.packageName, error)));
      }
      hookRequire();
    },
    undefined,
  );
  return Promise.all(imports).then(() => undefined);
}

/** @internal For tests: where this module lives (the adapters' folder). */
export const ADAPTERS_DIR = dirname(fileURLToPath(import.meta.url));
