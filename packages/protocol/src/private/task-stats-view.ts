/**
 * Task stats read straight into one reused object. A busy runtime sends
 * stats for every task in every update; decoded as messages that is about
 * twenty objects per task (timestamps, durations, a bigint per counter), ten
 * thousand tasks a second, and nearly all of it is read once and dropped. A
 * reader that only wants the values (the engine's store) gets them here
 * without any allocation.
 *
 * The view holds what the message would, with 64-bit values as numbers:
 * `Number(view.x)` equals `Number(message.x)` for every field, since both
 * round the same exact integer once. Anything unusual for a console server
 * (an unknown field, a repeated message field, a malformed varint) returns
 * false, and the caller decodes the message instead.
 */

export interface TimestampView {
  readonly seconds: bigint | number;
  readonly nanos: number;
}

export interface PollStatsView {
  readonly polls: bigint | number;
  readonly firstPoll?: TimestampView | undefined;
  readonly lastPollStarted?: TimestampView | undefined;
  readonly lastPollEnded?: TimestampView | undefined;
  readonly busyTime?: TimestampView | undefined;
}

/** What `tasks.Stats` says, as a reader of values needs it; a decoded `tasks.Stats` is one too. */
export interface TaskStatsView {
  readonly createdAt?: TimestampView | undefined;
  readonly droppedAt?: TimestampView | undefined;
  readonly wakes: bigint | number;
  readonly wakerClones: bigint | number;
  readonly wakerDrops: bigint | number;
  readonly lastWake?: TimestampView | undefined;
  readonly pollStats?: PollStatsView | undefined;
  readonly selfWakes: bigint | number;
  readonly scheduledTime?: TimestampView | undefined;
}

class Time {
  seconds = 0;
  nanos = 0;
}

class Poll {
  polls = 0;
  firstPoll: Time | undefined = undefined;
  lastPollStarted: Time | undefined = undefined;
  lastPollEnded: Time | undefined = undefined;
  busyTime: Time | undefined = undefined;
  readonly firstPollBox = new Time();
  readonly startedBox = new Time();
  readonly endedBox = new Time();
  readonly busyBox = new Time();
}

class Stats {
  createdAt: Time | undefined = undefined;
  droppedAt: Time | undefined = undefined;
  wakes = 0;
  wakerClones = 0;
  wakerDrops = 0;
  lastWake: Time | undefined = undefined;
  pollStats: Poll | undefined = undefined;
  selfWakes = 0;
  scheduledTime: Time | undefined = undefined;
  readonly createdBox = new Time();
  readonly droppedBox = new Time();
  readonly wakeBox = new Time();
  readonly scheduledBox = new Time();
  readonly pollBox = new Poll();
}

const view = new Stats();

let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let lo = 0;
let hi = 0;
const TWO_POW_32 = 0x1_0000_0000;

/** Reads a varint into lo/hi (hi signed); false when malformed or past `end`. */
function varint(end: number): boolean {
  lo = 0;
  hi = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    if (pos >= end) return false;
    const b = buf[pos++]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x70) >> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    if ((b & 0x80) === 0) return true;
  }
  return false;
}

const unsignedValue = (): number => (hi >>> 0) * TWO_POW_32 + (lo >>> 0);
const signedValue = (): number => (hi | 0) * TWO_POW_32 + (lo >>> 0);

/** Reads a length prefix; returns the end of the contents, or -1. */
function contents(end: number): number {
  if (!varint(end) || hi !== 0) return -1;
  const stop = pos + (lo >>> 0);
  return stop > end ? -1 : stop;
}

/** Timestamp and Duration share their layout: int64 seconds = 1, int32 nanos = 2. */
function readTime(box: Time, end: number): boolean {
  box.seconds = 0;
  box.nanos = 0;
  while (pos < end) {
    if (!varint(end) || hi !== 0) return false;
    const tag = lo;
    if (tag !== 0x08 && tag !== 0x10) return false;
    if (!varint(end)) return false;
    if (tag === 0x08) box.seconds = signedValue();
    else box.nanos = lo | 0;
  }
  return true;
}

function readPoll(poll: Poll, end: number): boolean {
  poll.polls = 0;
  poll.firstPoll = poll.lastPollStarted = poll.lastPollEnded = poll.busyTime = undefined;
  while (pos < end) {
    if (!varint(end) || hi !== 0) return false;
    const tag = lo;
    if (tag === 0x08) {
      if (!varint(end)) return false;
      poll.polls = unsignedValue();
      continue;
    }
    const stop = (tag & 7) === 2 ? contents(end) : -1;
    if (stop < 0) return false;
    switch (tag >>> 3) {
      case 3:
        if (poll.firstPoll || !readTime(poll.firstPollBox, stop)) return false;
        poll.firstPoll = poll.firstPollBox;
        break;
      case 4:
        if (poll.lastPollStarted || !readTime(poll.startedBox, stop)) return false;
        poll.lastPollStarted = poll.startedBox;
        break;
      case 5:
        if (poll.lastPollEnded || !readTime(poll.endedBox, stop)) return false;
        poll.lastPollEnded = poll.endedBox;
        break;
      case 6:
        if (poll.busyTime || !readTime(poll.busyBox, stop)) return false;
        poll.busyTime = poll.busyBox;
        break;
      default:
        return false;
    }
  }
  return true;
}

function readStats(end: number): boolean {
  const s = view;
  s.createdAt = s.droppedAt = s.lastWake = s.pollStats = s.scheduledTime = undefined;
  s.wakes = s.wakerClones = s.wakerDrops = s.selfWakes = 0;
  while (pos < end) {
    if (!varint(end) || hi !== 0) return false;
    const tag = lo;
    const field = tag >>> 3;
    if ((tag & 7) === 0) {
      if (!varint(end)) return false;
      if (field === 3) s.wakes = unsignedValue();
      else if (field === 4) s.wakerClones = unsignedValue();
      else if (field === 5) s.wakerDrops = unsignedValue();
      else if (field === 8) s.selfWakes = unsignedValue();
      else return false;
      continue;
    }
    const stop = (tag & 7) === 2 ? contents(end) : -1;
    if (stop < 0) return false;
    switch (field) {
      case 1:
        if (s.createdAt || !readTime(s.createdBox, stop)) return false;
        s.createdAt = s.createdBox;
        break;
      case 2:
        if (s.droppedAt || !readTime(s.droppedBox, stop)) return false;
        s.droppedAt = s.droppedBox;
        break;
      case 6:
        if (s.lastWake || !readTime(s.wakeBox, stop)) return false;
        s.lastWake = s.wakeBox;
        break;
      case 7:
        if (s.pollStats || !readPoll(s.pollBox, stop)) return false;
        s.pollStats = s.pollBox;
        break;
      case 9:
        if (s.scheduledTime || !readTime(s.scheduledBox, stop)) return false;
        s.scheduledTime = s.scheduledBox;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * The encoded tasks.Stats in `bytes[start, end)` as a view, valid until the
 * next call; undefined when the message should be decoded instead.
 */
export function readTaskStatsView(bytes: Uint8Array, start: number, end: number): TaskStatsView | undefined {
  buf = bytes;
  pos = start;
  const ok = readStats(end);
  buf = EMPTY;
  return ok ? view : undefined;
}

const EMPTY = new Uint8Array(0);
