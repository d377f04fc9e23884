/**
 * Interning for short strings that repeat across thousands of entities
 * (field names, kinds, locations). Decoded protobuf strings are fresh copies,
 * so without this every idle task would carry its own "loc.file" and path.
 */
const table = new Map<string, string>();
/** Past this size the table stops growing: unbounded user text must not leak. */
const MAX_ENTRIES = 65_536;

export function intern(s: string): string {
  const found = table.get(s);
  if (found !== undefined) return found;
  if (table.size < MAX_ENTRIES && s.length <= 256) table.set(s, s);
  return s;
}
