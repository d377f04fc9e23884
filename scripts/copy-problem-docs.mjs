#!/usr/bin/env node
// Part of `npm run generate`: copies the problem pages (docs/problems/*.md)
// into packages/engine/docs/problems, so that they ship as files of the
// package that defines the lints and `consolation web` finds them through its
// declared dependency on @async-insight/engine. docs/problems stays the source that
// GitHub readers and printed paths (`docs/problems/<id>.md`) point at; the
// copy is committed, and packages/engine/src/lints/problem-pages.test.ts
// fails when it drifts.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./lib/paths.mjs";
import { log } from "./lib/run.mjs";

const source = join(repoRoot, "docs", "problems");
const target = join(repoRoot, "packages", "engine", "docs", "problems");
const pages = (dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort();

mkdirSync(target, { recursive: true });
const wanted = new Set(pages(source));
for (const name of pages(target)) if (!wanted.has(name)) rmSync(join(target, name));
for (const name of wanted) copyFileSync(join(source, name), join(target, name));
log(`copied ${wanted.size} problem pages to packages/engine/docs/problems`);
