/**
 * `@async-insight/engine/testing`: protocol updates for tests and benchmarks
 * of every package that reads the engine, so no package ships its fixtures in
 * its own build. Hand-built shapes (`UpdateBuilder`, scenario helpers) and
 * ready scenes (the story, a channel/lock deadlock, tokio locks, many tasks).
 */
export * from "./fixtures.js";
export * from "./scenario.js";
export * from "./story.js";
export * from "./console-scenes.js";
