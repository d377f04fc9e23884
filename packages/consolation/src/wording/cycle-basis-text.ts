/**
 * What a cycle verdict rests on, in words, for the problem view: a deadlock
 * is only claimed on certain or proven evidence; a likely one says it counts
 * only the tasks known to use each end.
 */
import type { CycleBasis } from "@async-insight/engine";

/** What a cycle's verdict rests on, for the problem view. */
export function cycleBasisText(basis: CycleBasis): string {
  switch (basis) {
    case "certain":
      return "certain: only the named tasks can free what they wait on (holders, awaited tasks, unreachable ends)";
    case "proven":
      return "proven: nothing still able to run can wake these tasks (garbage-collection proof or lost wakers)";
    case "likely":
      return "likely, not proven: counts only the tasks known to use each end; other code could still free it";
  }
}
