// Runs a console (or any terminal program) in its own tmux session at
// 160x50 so it draws a real screen, and reads its CPU and memory from /proc.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Clock ticks a second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS = 100;

/** Starts `argv` in a new tmux server; the pane's pid is the program's own. */
export function startInTmux(label, argv, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bench-tmux-"));
  const socket = join(dir, "tmux.sock");
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  execFileSync("tmux", ["-S", socket, "new-session", "-d", "-s", label, "-x", "160", "-y", "50", ...envArgs, ...argv]);
  const pid = Number(execFileSync("tmux", ["-S", socket, "list-panes", "-t", label, "-F", "#{pane_pid}"], { encoding: "utf8" }).trim());
  return {
    label,
    pid,
    screen: () => execFileSync("tmux", ["-S", socket, "capture-pane", "-p", "-t", label], { encoding: "utf8" }),
    stop: () => {
      try {
        execFileSync("tmux", ["-S", socket, "kill-server"]);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** User+system CPU ticks of a process so far. */
export function procTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** VmRSS now and VmHWM (peak), in MB. */
export function procMemoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** The closing line of a comparison: consolation's CPU and memory as ratios of tokio-console's (results[0] is tokio-console). */
export function ratioLine([tc, ours]) {
  return `ratio consolation/tokio-console: CPU ${(ours.cpuPercent / tc.cpuPercent).toFixed(2)}, RSS ${(ours.rss / tc.rss).toFixed(2)}, peak ${(ours.peak / tc.peak).toFixed(2)}`;
}
