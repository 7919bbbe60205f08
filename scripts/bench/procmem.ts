// Memory of a whole Chromium instance from /proc (Linux only): the JS heap misses what lives
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
