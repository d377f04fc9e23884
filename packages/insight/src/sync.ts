/**
 * `async-insight/sync`: async primitives shaped like tokio::sync. They work as plain
 * primitives at near-zero cost; after `init()` each one created reports its
 * state and every wait to consoles.
 */
export { Channel, Sender, Receiver } from "./sync/channel.js";
export { Mutex, MutexGuard } from "./sync/mutex.js";
export { RwLock, RwLockGuard } from "./sync/rwlock.js";
export { Semaphore, Permit } from "./sync/semaphore.js";
export { Barrier, type BarrierWaitResult } from "./sync/barrier.js";
export { Notify } from "./sync/notify.js";
export { oneshot, OneshotSender, OneshotReceiver } from "./sync/oneshot.js";
export { sleep, interval, Interval, type SleepOptions } from "./sync/time.js";
export { ChannelClosedError, ClosedError, RecvError } from "./sync/errors.js";
export type { PrimitiveOptions, WaitOptions } from "./sync/options.js";
