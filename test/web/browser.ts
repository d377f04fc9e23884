/**
 * Debian's chromium, driven by playwright-core. No browser is ever
 * downloaded: without /usr/bin/chromium (CHROMIUM_PATH overrides) the suites
 * that need one are skipped with a reason rather than failing obscurely.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const haveChromium = existsSync(chromiumPath);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Test artefacts (gitignored); docs/img gets copies made by scripts/web-screenshots.mjs. */
export const artifactsDir = join(import.meta.dirname, "..", "..", "artifacts", "web");

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Collects what would show a script ran: dialogs, page errors, CSP reports. */
export function watchForScripts(page: Page): { dialogs: string[]; errors: string[]; cspViolations: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[], cspViolations: [] as string[] };
  page.on("dialog", (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => seen.errors.push(error.message));
  page.on("console", (message) => {
    if (/Content Security Policy|Trusted Type/i.test(message.text())) seen.cspViolations.push(message.text());
  });
  return seen;
}

const webDir = join(import.meta.dirname, "..", "..", "packages", "web");

/**
 * `npm test` builds the page before the suites run; a suite started on its own
 * builds it when it is missing. flock keeps two parallel suites from building
 * into the same directory at once, and the second finds it built.
 */
export function ensureWebBuilt(): void {
  if (existsSync(join(webDir, "dist", "index.html"))) return;
  const vite = join(import.meta.dirname, "..", "..", "node_modules", "vite", "bin", "vite.js");
  const build = `test -f dist/index.html || "${process.execPath}" "${vite}" build --logLevel warn`;
  execFileSync("flock", ["/tmp/insight-web-build.lock", "sh", "-c", build], { cwd: webDir, stdio: "inherit" });
}
