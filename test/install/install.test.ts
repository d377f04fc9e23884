/**
 * Issue 14 item 1, "Installable": the tarballs `node scripts/pack.mjs` makes
 * install into a fresh project outside the repository and work there. An app
 * is started three ways (init(), `node --import async-insight/register`, and
 * CommonJS with `node --require async-insight/register`) on Node 20, 22 and
 * 24, and `npx consolation dump` run from that project must show its tasks
 * by name and their await sites (file:line). The installed declarations must
 * type-check, and the console must serve its page and problem docs from its
 * installed dependencies.
 *
 * Packs the built packages: run `node scripts/build.mjs` (npm test does)
 * before running this file alone. The install reaches the registry (through
 * the npm cache) for third-party dependencies only.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { node22Bin, node24Bin } from "../../scripts/lib/paths.mjs";
import { freePort } from "../support/free-port.js";
import { waitFor } from "../support/wait-for.js";
import { cleanEnv, freshProject, npmInstall, packAll, repoRoot, run, start, type Started } from "./fresh-project.js";
import { INSTALL_APPS, lineOf, TASK_NAMES, TYPED_CJS, TYPED_ESM, type InstallApp } from "./install-apps.js";

const SHIPPED = [
  "@async-insight/client",
  "@async-insight/engine",
  "@async-insight/protocol",
  "@async-insight/web",
  "@async-insight/web-contract",
  "async-consolation",
  "async-insight",
];
const rootManifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> };

let project = "";
let tarballs: string[] = [];
const running: Started[] = [];

beforeAll(() => {
  project = freshProject("insight-install-");
  tarballs = packAll(join(dirname(project), "tarballs"));
  for (const app of INSTALL_APPS) writeFileSync(join(project, app.file), app.source);
  // @types/node at the repository's range: the declarations use Node's types, as any Node library's do.
  npmInstall(project, [...tarballs, `@types/node@${rootManifest.devDependencies["@types/node"]}`]);
}, 600_000);

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  if (project !== "") rmSync(dirname(project), { recursive: true, force: true });
});

interface DumpTask {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
}
interface DumpOp {
  readonly source: string;
  readonly taskName?: string;
  readonly pending: boolean;
  readonly location?: string;
  readonly attributes: Record<string, { value: unknown }>;
}
interface Dump {
  readonly tasks: DumpTask[];
  readonly asyncOps: DumpOp[];
}

/** `npx consolation dump --json --port <port>` from the fresh project, once it shows both tasks waiting. */
async function dumpWhenWaiting(port: number, app: Started): Promise<Dump> {
  let seen = "nothing yet";
  return waitFor(
    () => {
      // --no-install: never fetch a registry package named "consolation" (someone else's).
      const result = run("npx", ["--no-install", "consolation", "dump", "--json", "--port", String(port)], project);
      if (result.status !== 0) throw new Error(`dump exited ${result.status}: ${result.stderr.trim()}`);
      const dump = JSON.parse(result.stdout) as Dump;
      const waiting = new Set(dump.asyncOps.filter((op) => op.pending).map((op) => op.taskName));
      seen = `tasks ${dump.tasks.map((task) => task.name).join(", ")}; pending ops ${dump.asyncOps
        .filter((op) => op.pending)
        .map((op) => `${op.source} (${op.taskName})`)
        .join(", ")}`;
      return TASK_NAMES.every((name) => waiting.has(name)) && dump;
    },
    { timeoutMs: 90_000, intervalMs: 500, description: `both tasks waiting at port ${port}`, detail: () => `last dump: ${seen}\napp output:\n${app.output()}` },
  );
}

/** Each lint's page (`docs/problems/<id>.md`), as the installed engine names them. */
function problemPages(): string[] {
  const script = `import { lintDefinitions } from "@async-insight/engine"; console.log(JSON.stringify(lintDefinitions().map((d) => d.docsPath)));`;
  const result = run(process.execPath, ["--input-type=module", "-e", script], project);
  if (result.status !== 0) throw new Error(`listing the engine's lints failed: ${result.stderr}`);
  const pages = JSON.parse(result.stdout) as string[];
  expect(pages).toContain("docs/problems/deadlock-cycle.md");
  return pages;
}

async function startApp(node: string, app: InstallApp): Promise<{ port: number; started: Started }> {
  const port = await freePort();
  // INSIGHT_AWAITS=always: the plain-promise await happens before any console looks, and
  // by default awaits of plain promises are noted only while one does.
  const env = cleanEnv({ INSIGHT_PORT: String(port), INSIGHT_AWAITS: "always", INSIGHT_DISCOVERY: "off" });
  const started = start(node, [...app.nodeArgs, app.file], project, env);
  running.push(started);
  return { port, started };
}

const NODES: ReadonlyArray<readonly [string, string]> = [
  ["system", process.execPath],
  ["22", node22Bin],
  ["24", node24Bin],
];

describe("the tarballs", () => {
  it("are one per shipped package, each with exports that have types and no workspace-only condition", () => {
    const installed = SHIPPED.map((name) => JSON.parse(readFileSync(join(project, "node_modules", name, "package.json"), "utf8")));
    expect(installed.map((manifest) => manifest.name)).toEqual(SHIPPED);
    expect(tarballs.map((path) => basename(path)).sort()).toEqual(
      installed.map((manifest) => `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`).sort(),
    );
    for (const manifest of installed) {
      const text = JSON.stringify(manifest.exports);
      expect(text).not.toContain("insight-source");
      for (const [key, entry] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
        if (key === "./package.json") continue;
        const conditions = entry as Record<string, string>;
        // "types" first (TypeScript takes the first matching condition), "require" only where CommonJS needs its own file.
        expect(Object.keys(conditions)).toEqual(key === "./register" ? ["types", "require", "default"] : ["types", "default"]);
        for (const target of Object.values(conditions)) expect(existsSync(join(project, "node_modules", manifest.name, target))).toBe(true);
      }
      // Our own packages came from the tarballs: npm records the file, not the registry.
      const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string }> };
      expect(lock.packages[`node_modules/${manifest.name}`]?.resolved).toMatch(/^file:.*\.tgz$/);
    }
  });

  it("ship no TypeScript sources, source maps or test helpers", () => {
    for (const tarball of tarballs) {
      const listing = run("tar", ["tzf", tarball], project).stdout.split("\n").filter(Boolean);
      const unwanted = listing.filter(
        (path) =>
          /^package\/src\//.test(path) ||
          /\.map$/.test(path) ||
          /(^|\/)(testing|testdata)\//.test(path) ||
          /\.test\.(js|d\.ts)$/.test(path) ||
          (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)),
      );
      expect({ tarball: basename(tarball), unwanted }).toEqual({ tarball: basename(tarball), unwanted: [] });
    }
  });

  it("load at run time only Node's modules, their own shipped files and their declared dependencies", () => {
    const undeclared: string[] = [];
    const libraryLoads = new Set<string>();
    for (const name of SHIPPED) {
      const dir = join(project, "node_modules", name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
      const allowed = new Set([name, ...Object.keys(manifest.dependencies ?? {})]);
      const scripts = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
        (entry) => entry.isFile() && /\.(c|m)?js$/.test(entry.name) && !relative(dir, entry.parentPath).split("/").includes("node_modules"),
      );
      for (const entry of scripts) {
        const file = join(entry.parentPath, entry.name);
        const code = readFileSync(file, "utf8").replace(/^\s*(\/\/|\*|\/\*).*$/gm, "");
        // `from "x"` / `import "x"` statements (minified too), `import("x")`, `require("x")`.
        const specifiers = [...code.matchAll(/(?:^|[\s};])(?:from|import)\s*"([^"]+)"|\b(?:import|require)\(\s*"([^"]+)"\s*\)/gm)].map(
          (match) => (match[1] ?? match[2])!,
        );
        for (const specifier of specifiers) {
          if (specifier.startsWith(".")) {
            // A file of the same package, shipped: nothing reaches back into the repository.
            const target = resolve(entry.parentPath, specifier);
            if (!target.startsWith(dir + sep) || !existsSync(target)) undeclared.push(`${relative(project, file)} loads ${specifier}, not a file of ${name}`);
            continue;
          }
          if (specifier.startsWith("node:")) continue;
          const pkg = specifier
            .split("/")
            .slice(0, specifier.startsWith("@") ? 2 : 1)
            .join("/");
          if (name === "async-insight") libraryLoads.add(pkg);
          if (!allowed.has(pkg)) undeclared.push(`${relative(project, file)} loads ${specifier}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
    // The library an app installs loads the protocol and protobuf, and nothing of the console.
    expect([...libraryLoads].sort()).toEqual(["@async-insight/protocol", "@bufbuild/protobuf"]);
  });

  it("give the console its web build and a problem page for every lint, inside its dependencies", () => {
    const modules = join(project, "node_modules");
    // Compared with the installed files, not the repository's: other builds may rewrite those meanwhile.
    const web = join(modules, "@async-insight/web/dist");
    const assets = [...readFileSync(join(web, "index.html"), "utf8").matchAll(/(?:src|href)="\/?(assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.filter((asset) => asset.endsWith(".js")).length).toBe(1);
    expect(assets.filter((asset) => !existsSync(join(web, asset)))).toEqual([]);
    const engine = join(modules, "@async-insight/engine");
    expect(problemPages().filter((path) => !existsSync(join(engine, path)))).toEqual([]);
  });

  it("type-check against a TypeScript app (ESM and CommonJS, module nodenext)", () => {
    writeFileSync(join(project, "typed.mts"), TYPED_ESM);
    writeFileSync(join(project, "typed.cts"), TYPED_CJS);
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const args = [
      tsc,
      "--noEmit",
      "--strict",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--types",
      "node",
      "typed.mts",
      "typed.cts",
    ];
    const result = run(process.execPath, args, project);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

for (const [label, node] of NODES) {
  describe(`on Node ${label}`, () => {
    for (const app of INSTALL_APPS) {
      it(`runs ${[...app.nodeArgs, app.file].join(" ")} and npx consolation dump sees its tasks and await sites`, async () => {
        const { port, started } = await startApp(node, app);
        const dump = await dumpWhenWaiting(port, started);
        const file = join(project, app.file);
        expect(dump.tasks.map((task) => task.name).sort()).toEqual([app.file, ...TASK_NAMES].sort());

        const receiver = dump.asyncOps.filter((op) => op.pending && op.taskName === "install-receiver" && op.source === "Channel::recv");
        expect(receiver.map((op) => op.location?.replace(/:\d+$/, ""))).toEqual([`${file}:${lineOf(app.source, "// await: receiver")}`]);

        // The await site of a plain promise, and what it awaits: the promise the main module made
        // (seen made on every Node and every way of starting, --import included).
        const sleeper = dump.asyncOps.filter((op) => op.pending && op.taskName === "install-sleeper");
        expect(sleeper.map((op) => [op.source, op.location?.replace(/:\d+$/, "")])).toEqual([
          ["Promise::await", `${file}:${lineOf(app.source, "// await: sleeper")}`],
        ]);
        const made = lineOf(app.source, "// made: never");
        const column = app.source.split("\n")[made - 1]!.indexOf("new Promise") + 1;
        expect(sleeper.map((op) => op.attributes["insight.reason"]?.value)).toEqual([`waiting for a promise created at ${app.file}:${made}:${column}`]);
        // The host is never printed into.
        expect(started.output()).toBe("");
        await started.stop();
      }, 180_000);
    }
  });
}

describe("the installed console", () => {
  it("serves the web page and problem pages from its installed dependencies", async () => {
    const { port, started } = await startApp(process.execPath, INSTALL_APPS[0]!);
    await dumpWhenWaiting(port, started);
    const web = start(join(project, "node_modules", ".bin", "consolation"), ["web", "--port", String(port), "--listen-port", "0"], project, cleanEnv());
    running.push(web);
    const page = await waitFor(() => /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(web.output())?.[1], {
      timeoutMs: 60_000,
      description: "consolation web's address",
      detail: web.output,
    });
    const modules = join(project, "node_modules");
    const index = await fetch(page);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toBe(readFileSync(join(modules, "@async-insight/web/dist/index.html"), "utf8"));
    const script = /src="\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const served = await fetch(new URL(`/${script}`, page));
    expect([served.status, await served.text()]).toEqual([200, readFileSync(join(modules, "@async-insight/web/dist", script), "utf8")]);
    for (const path of problemPages()) {
      const lint = basename(path, ".md");
      const docs = await fetch(new URL(`/api/docs?lint=${lint}`, page));
      expect([lint, docs.status, await docs.text()]).toEqual([lint, 200, readFileSync(join(modules, "@async-insight/engine", path), "utf8")]);
    }
    await web.stop();
    await started.stop();
  }, 180_000);
});
