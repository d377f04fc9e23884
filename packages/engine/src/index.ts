/**
 * @async-insight/engine: the pure analysis engine. Feed a {@link RuntimeStore}
 * with protocol messages; read tasks, resources, waits, freers, deadlock
 * cycles and problems back; export graphs and traces. No I/O anywhere.
 */
export const ENGINE_VERSION = "0.1.0";

export type {
  AsyncOpRecord,
  AttributeEntry,
  CycleResource,
  CycleBasis,
  CycleTask,
  DeadlockCycle,
  DisplayId,
  DroppedEvents,
  DurationHistogramView,
  FieldEntry,
  Freer,
  FreerCertainty,
  FreerRole,
  GraphNodeRef,
  LintConfig,
  LintDefinition,
  LintLevel,
  LintThresholds,
  LongPoll,
  NeverWokenVerdict,
  Nanos,
  Problem,
  ResourceRecord,
  Severity,
  StateShare,
  StoreOptions,
  StuckVerdicts,
  TaskHistograms,
  TaskRecord,
  TaskState,
  TaskTimes,
  TimelineEntry,
  Visibility,
  Wait,
  WaitDirection,
  WaitEdge,
  WakeEdge,
  WakerStats,
} from "./model.js";

// State
export { RuntimeStore } from "./store/store.js";
export { mergeUpdates } from "./entities/merge.js";
export { readTaskNanos, type TaskNanos } from "./entities/task-nanos.js";
export { applyAttributeOp, type AttributeOp } from "./entities/attributes.js";
export { percentiles, DEFAULT_PERCENTILES, type Percentile } from "./entities/histograms.js";
export { formatFieldValue } from "./entities/fields.js";

// Relations
export { reasonForSource, directionForSource } from "./entities/reasons.js";
export { parseOwnersText, roleLabel, primitiveName } from "./relations/owner-text.js";
export { roleCertainty, rolesThatFree } from "./relations/owners.js";
export { taskActivity, type TaskActivity } from "./relations/task-activity.js";
export { capacityFacts, capacityPairs, isUnitResource, resourceText, wayOut, type CapacityFacts } from "./relations/capacity.js";

// Graph
export { IncrementalSccs, type Component } from "./graph/incremental-scc.js";

// Exports
export { cycleView, neighbourhoodView, wholeGraphView, type GraphView, type GraphViewEdge, type GraphViewNode } from "./export/graph-view.js";
export { toDot, escapeDot, type DotOptions } from "./export/dot.js";
export { toMermaid, escapeMermaid } from "./export/mermaid.js";
export { toChromeTrace, type ChromeTrace, type TraceEvent, type TraceOptions } from "./export/perfetto.js";

// Lints
export { runLints, lintDefinitions, lintDefinition, resolveLintLevels, countByLint, LintConfigError, TOKIO_CONSOLE_LINTS } from "./lints/registry.js";
export { DEFAULT_THRESHOLDS } from "./lints/lint.js";

// Untrusted text: the one sanitiser every output uses (it lives in the protocol, so the library and the client use it too)
export {
  safeText,
  escapeUnsafe,
  boundText,
  boundedJsonReplacer,
  xmlText,
  dotText,
  mermaidText,
  escapeXmlChars,
  FIELD_WIDTH,
  LONG_FIELD_WIDTH,
  FULL_TEXT_LIMIT,
  ELLIPSIS,
  displayWidth,
  graphemes,
  graphemeWidth,
  codePointWidth,
  isUnsafeCodePoint,
  hasUnsafeText,
  escapeCodePoint,
} from "@async-insight/protocol/text";
