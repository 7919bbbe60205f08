// Memory and CPU of a whole Chromium instance from /proc (Linux only): the JS heap misses what lives
// outside V8 — typed arrays handed to WebGL, worker heaps, and above all the GPU process,
// where SwiftShader keeps every vertex buffer. PSS splits shared pages fairly between processes.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcMem {
  /** Sum of PSS over the browser process and all its descendants (MB). */
  totalMB: number;
  gpuMB: number;
  /** The largest renderer (the bench page). */
  rendererMB: number;
}

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(name));
      kids.set(ppid, list);
    } catch {
      // the process went away
    }
  }
  return kids;
}

function pssKB(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function type(pid: number): string {
  try {
    const m = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
    return m ? m[1] : "browser";
  } catch {
    return "?";
  }
}

export function processTreeMemory(rootPid: number | undefined): ProcMem | undefined {
  if (!rootPid || process.platform !== "linux") return undefined;
  const kids = children();
  const all: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop()!;
    all.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  let total = 0;
  let gpu = 0;
  let renderer = 0;
  for (const p of all) {
    const kb = pssKB(p);
    total += kb;
    const t = type(p);
    if (t === "gpu-process") gpu += kb;
    if (t === "renderer") renderer = Math.max(renderer, kb);
  }
  const mb = (kb: number) => Math.round(kb / 1024);
  return { totalMB: mb(total), gpuMB: mb(gpu), rendererMB: mb(renderer) };
}

/** The browser process and all its descendants. */
function tree(rootPid: number): number[] {
  const kids = children();
  const all: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop()!;
    all.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return all;
}

/** Machine-wide CPU jiffies (all cores): [busy, total]. */
function machineJiffies(): [number, number] {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return [total - idle, total];
}

function treeJiffies(rootPid: number): number {
  let sum = 0;
  for (const p of tree(rootPid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      sum += Number(f[11]) + Number(f[12]); // utime + stime
    } catch {
      // gone
    }
  }
  return sum;
}

/**
 * How much of the machine's CPU went to processes other than the benchmark's browser (and
 * this node process) while a case ran — SwiftShader rasterises on the CPU, so this is how
 * much the numbers were disturbed. 0 = had the machine to itself, 1 = other work used every core.
 */
export class CpuContention {
  private readonly m0: [number, number];
  private readonly self0 = process.cpuUsage();
  private browser0 = 0;
  constructor(private readonly rootPid: number | undefined) {
    this.m0 = process.platform === "linux" ? machineJiffies() : [0, 0];
    if (rootPid && process.platform === "linux") this.browser0 = treeJiffies(rootPid);
  }
  /** Call before the browser exits. */
  othersShare(): number | undefined {
    if (!this.rootPid || process.platform !== "linux") return undefined;
    const [busy1, total1] = machineJiffies();
    const busy = busy1 - this.m0[0];
    const total = total1 - this.m0[1];
    if (total <= 0) return undefined;
    const self = process.cpuUsage(this.self0);
    const selfJiffies = ((self.user + self.system) / 1e6) * 100; // USER_HZ is 100 on Linux
    const ours = treeJiffies(this.rootPid) - this.browser0 + selfJiffies;
    return Math.max(0, Math.min(1, (busy - ours) / total));
  }
}

/** Fraction of all cores busy over `ms` (call when the benchmark's own browser is closed). */
export async function machineBusy(ms: number): Promise<number | undefined> {
  if (process.platform !== "linux") return undefined;
  const [b0, t0] = machineJiffies();
  await new Promise((r) => setTimeout(r, ms));
  const [b1, t1] = machineJiffies();
  return t1 > t0 ? (b1 - b0) / (t1 - t0) : undefined;
}
