/**
 * Our .proto files are written from the protocol's documentation, not copied
 * from console-api. This compiles both ours and the console-api 0.9.0 crate's
 * own protos (from cargo's registry, fetched by the interop build) with buf and
 * compares the descriptors name by name: messages, fields (number, type, type
 * name, label, oneof, proto3 optional), enums and values, services and methods.
 * Comments and file layout may differ; the wire contract may not.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearField, clone, fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FileDescriptorSet,
} from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CONSOLE_API = "console-api-0.9.0";
const oneofIndexField = FieldDescriptorProtoSchema.field.oneofIndex!;
const PACKAGE_PREFIX = "rs.tokio.console.";
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bufBin = fileURLToPath(new URL("../../../node_modules/.bin/buf", import.meta.url));

/** The crate's proto directory in any cargo registry mirror, if cargo has fetched it. */
function findUpstreamProtoDir(): string | undefined {
  const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");
  if (!existsSync(registry)) return undefined;
  for (const mirror of readdirSync(registry)) {
    const dir = join(registry, mirror, CONSOLE_API, "proto");
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

function bufBuild(input: string, output: string): Promise<FileDescriptorSet> {
  return new Promise((resolve, reject) => {
    execFile(bufBin, ["build", input, "-o", output], { cwd: packageDir, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`buf build ${input} failed: ${stderr || error.message}`));
      else resolve(fromBinary(FileDescriptorSetSchema, readFileSync(output)));
    });
  });
}

/**
 * Flattens the console packages of a descriptor set into "what" → "how"
 * entries, so two sets compare as two maps and every difference has a name.
 */
function describeContract(set: FileDescriptorSet): Map<string, string> {
  const out = new Map<string, string>();
  const addEnum = (scope: string, e: EnumDescriptorProto) => {
    const name = `${scope}.${e.name}`;
    out.set(`enum ${name}`, "defined");
    for (const v of e.value) out.set(`enum ${name} value ${v.name}`, `number=${v.number}`);
  };
  const addMessage = (scope: string, m: DescriptorProto) => {
    const name = `${scope}.${m.name}`;
    out.set(`message ${name}`, `map_entry=${m.options?.mapEntry ?? false}`);
    m.oneofDecl.forEach((o, i) => out.set(`message ${name} oneof #${i}`, `name=${o.name}`));
    for (const f of m.field) {
      const parts = [
        `number=${f.number}`,
        `type=${FieldDescriptorProto_Type[f.type]}`,
        `type_name=${f.typeName || "-"}`,
        `label=${FieldDescriptorProto_Label[f.label]}`,
        // descriptor.proto is proto2: an unset oneof_index reads as 0, so ask for presence.
        `oneof_index=${isFieldSet(f, oneofIndexField) ? f.oneofIndex : "-"}`,
        `proto3_optional=${f.proto3Optional ?? false}`,
      ];
      out.set(`message ${name} field ${f.name}`, parts.join(" "));
    }
    for (const nested of m.nestedType) addMessage(name, nested);
    for (const e of m.enumType) addEnum(name, e);
  };
  for (const file of set.file) {
    if (!file.package?.startsWith(PACKAGE_PREFIX)) continue;
    const scope = file.package;
    out.set(`package ${scope}`, "defined");
    for (const m of file.messageType) addMessage(scope, m);
    for (const e of file.enumType) addEnum(scope, e);
    for (const s of file.service) {
      const service = `${scope}.${s.name}`;
      out.set(`service ${service}`, "defined");
      for (const m of s.method) {
        const how = `input=${m.inputType} output=${m.outputType} client_streaming=${m.clientStreaming ?? false} server_streaming=${m.serverStreaming ?? false}`;
        out.set(`service ${service} method ${m.name}`, how);
      }
    }
  }
  return out;
}

/** Differences between two contracts, one readable line each. */
function contractDifferences(ours: Map<string, string>, theirs: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [what, how] of theirs) {
    const mine = ours.get(what);
    if (mine === undefined) diffs.push(`missing from ours: ${what} (${how})`);
    else if (mine !== how) diffs.push(`differs: ${what}\n    ours:        ${mine}\n    console-api: ${how}`);
  }
  for (const [what, how] of ours) {
    if (!theirs.has(what)) diffs.push(`not in console-api: ${what} (${how})`);
  }
  return diffs;
}

const upstreamDir = findUpstreamProtoDir();
if (!upstreamDir) {
  console.warn(`proto conformance skipped: ${CONSOLE_API} is not in cargo's registry; build interop/ once (npm test does) so cargo fetches it`);
}

describe.skipIf(!upstreamDir)(`our protos against ${CONSOLE_API}'s own`, () => {
  const scratch = mkdtempSync(join(tmpdir(), "insight-proto-conformance-"));
  let ours: FileDescriptorSet;
  let theirs: FileDescriptorSet;

  beforeAll(async () => {
    [ours, theirs] = await Promise.all([
      bufBuild(join(packageDir, "proto"), join(scratch, "ours.binpb")),
      bufBuild(upstreamDir!, join(scratch, "console-api.binpb")),
    ]);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("defines the same messages, fields, enums and services", () => {
    const theirContract = describeContract(theirs);
    // Guard against comparing two empty sets after a packaging change.
    expect([...theirContract.keys()].filter((k) => k.startsWith("package ")).sort()).toEqual(
      ["async_ops", "common", "instrument", "resources", "tasks", "trace"].map((p) => `package ${PACKAGE_PREFIX}${p}`),
    );
    expect([...theirContract.keys()].filter((k) => k.startsWith("message ")).length).toBeGreaterThan(30);
    // The flattening must see oneofs and proto3 optionals, or it would compare too little.
    expect(theirContract.get("message rs.tokio.console.common.Field field str_name")).toContain("oneof_index=0");
    expect(theirContract.get("message rs.tokio.console.common.Field field metadata_id")).toContain("oneof_index=- ");
    expect(theirContract.get("message rs.tokio.console.common.Location field file")).toContain("proto3_optional=true");
    expect(contractDifferences(describeContract(ours), theirContract)).toEqual([]);
  });

  it("would name a field whose number or oneof changed", () => {
    const altered = clone(FileDescriptorSetSchema, ours);
    const tasks = altered.file.find((f) => f.package === `${PACKAGE_PREFIX}tasks`)!;
    const task = tasks.messageType.find((m) => m.name === "Task")!;
    task.field.find((f) => f.name === "location")!.number = 99;
    const details = tasks.messageType.find((m) => m.name === "TaskDetails")!;
    clearField(details.field.find((f) => f.name === "legacy_histogram")!, oneofIndexField);

    const diffs = contractDifferences(describeContract(altered), describeContract(theirs)).sort();
    expect(diffs).toHaveLength(2);
    expect(diffs[0]).toMatch(/^differs: message rs\.tokio\.console\.tasks\.Task field location\n.*number=99/);
    expect(diffs[1]).toMatch(/^differs: message rs\.tokio\.console\.tasks\.TaskDetails field legacy_histogram\n.*oneof_index=-/);
  });
});
