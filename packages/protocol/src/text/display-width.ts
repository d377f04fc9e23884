/**
 * Terminal cell widths, per grapheme cluster. East Asian wide characters and
 * emoji take two cells, combining marks and joiners none; a cluster (a base
 * with its marks, an emoji ZWJ sequence, a flag) takes the widest of its code
 * points, or two with an emoji presentation selector. Close enough to what
 * terminals draw that CJK and emoji names keep table columns aligned, without
 * a full Unicode width table.
 */

// [first, last] code point ranges drawn two cells wide, ascending.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f1e6, 0x1f1ff],
  [0x1f200, 0x1f2ff],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

// Ranges that draw nothing on their own: combining marks, joiners, variation selectors, tags.
const ZERO: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1160, 0x11ff],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200d],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

function inRanges(cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Cells one code point takes on its own (controls count 0: they are never written raw). */
export function codePointWidth(cp: number): number {
  if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
  if (cp < 0xa0) return 0;
  if (cp < 0x300) return 1;
  if (inRanges(cp, ZERO)) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

/** Cells a grapheme cluster takes. */
export function graphemeWidth(cluster: string): number {
  const first = cluster.codePointAt(0) ?? 0;
  if (cluster.length === 1 || (cluster.length === 2 && first > 0xffff)) return codePointWidth(first);
  let width = 0;
  for (const ch of cluster) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfe0f) return 2;
    width = Math.max(width, codePointWidth(cp));
  }
  return Math.min(width, 2);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * What only cluster segmentation measures right: joiners, emoji presentation
 * selectors, regional-indicator pairs, skin-tone modifiers. Text without them
 * (nearly all) is measured code point by code point, where combining marks
 * already count zero; Intl.Segmenter costs ~20x more and the TUI measures
 * every cell of every frame.
 */
const NEEDS_CLUSTERS = /[\u200d\ufe0f]|\ud83c[\udde6-\uddff\udffb-\udfff]/;

function* codePoints(text: string): Generator<string> {
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    yield text.slice(i, i + size);
    i += size;
  }
}

/**
 * The units `text` is measured and cut in: grapheme clusters where it matters
 * (see NEEDS_CLUSTERS), else code points (a combining mark then comes as its
 * own zero-width unit right after its base, so a cut never separates them
 * from anything visible).
 */
export function graphemes(text: string): Iterable<string> {
  if (!NEEDS_CLUSTERS.test(text)) return codePoints(text);
  const segments = segmenter.segment(text);
  return {
    *[Symbol.iterator]() {
      for (const s of segments) yield s.segment;
    },
  };
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/** Cells `text` takes in a terminal (unsafe code points count 0; sanitise first to count their escapes). */
export function displayWidth(text: string): number {
  if (isPrintableAscii(text)) return text.length;
  let width = 0;
  if (!NEEDS_CLUSTERS.test(text)) {
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      width += codePointWidth(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return width;
  }
  for (const cluster of graphemes(text)) width += graphemeWidth(cluster);
  return width;
}
