// The real broker for the live-city browser tests: Debian's Mosquitto (TCP, with the
// project's read-only ACL from deploy/) behind Debian's websockify (WebSocket ↔ TCP), on
// free ports, in a temporary directory. Missing binaries or a broker that does not come up
// FAIL the suite (never a skip): CI installs both with apt-get (.ci/run).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./harness";

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? "/usr/sbin/mosquitto";
export const MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd";
export const WEBSOCKIFY = process.env.WEBSOCKIFY_PATH ?? "/usr/bin/websockify";

export const CREDENTIALS = {
  simulator: { username: "simulator", password: "sim-test-secret" },
  viewer: { username: "viewer", password: "viewer-test-secret" },
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, proc: ChildProcess, name: string, log: () => string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with code ${proc.exitCode}: ${log().slice(-600)}`);
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, "127.0.0.1");
      c.once("connect", () => (c.destroy(), r(true)));
      c.once("error", () => r(false));
    });
    if (ok) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms: ${log().slice(-600)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface LiveBroker {
  mqttUrl: string;
  wsUrl: string;
  /** ms from spawning both processes to both accepting connections (last start). */
  startMs: number;
  /** Stops Mosquitto (SIGTERM: it saves retained messages); with `bridge`, websockify too. */
  stopBroker(opts?: { bridge?: boolean }): Promise<void>;
  startBroker(): Promise<void>;
  /** Starts websockify again after stopBroker({bridge: true}). */
  startBridge(): Promise<void>;
  log(): string;
  close(): Promise<void>;
}

export function requireBrokerBinaries(): void {
  const missing = [MOSQUITTO, MOSQUITTO_PASSWD, WEBSOCKIFY].filter((p) => !existsSync(p));
  if (missing.length)
    throw new Error(
      `[e2e live] missing ${missing.join(", ")}: apt-get install mosquitto websockify (.ci/run does). The live suite cannot run without a real broker.`,
    );
}

export async function startLiveBroker(): Promise<LiveBroker> {
  requireBrokerBinaries();
  const dir = mkdtempSync(join(tmpdir(), "warmcity-mqtt-"));
  const passwd = join(dir, "passwd");
  for (const [i, c] of [CREDENTIALS.simulator, CREDENTIALS.viewer].entries()) {
    const r = spawnSync(MOSQUITTO_PASSWD, [...(i === 0 ? ["-c"] : []), "-b", passwd, c.username, c.password], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
  }
  writeFileSync(join(dir, "warmcity.acl"), readFileSync(join(REPO_ROOT, "deploy/warmcity.acl")));
  const mqttPort = await freePort();
  const wsPort = await freePort();
  // The project's deploy config, with this run's port and paths.
  const conf = readFileSync(join(REPO_ROOT, "deploy/mosquitto.conf"), "utf8")
    .replace("/etc/mosquitto/warmcity.passwd", passwd)
    .replace("/etc/mosquitto/warmcity.acl", join(dir, "warmcity.acl"))
    .replace("/var/lib/mosquitto/", `${dir}/`)
    .replace(/^listener 1883 127\.0\.0\.1$/m, `listener ${mqttPort} 127.0.0.1`);
  if (!conf.includes(`listener ${mqttPort}`)) throw new Error("deploy/mosquitto.conf: no `listener 1883 127.0.0.1` line to adapt");
  // Started as root (CI), Mosquitto drops to the "mosquitto" user, which cannot read this
  // private temporary directory: keep the test broker under the user running the tests.
  writeFileSync(join(dir, "mosquitto.conf"), `${conf}\nuser ${userInfo().username}\n`);
  let out = "";
  const collect = (p: ChildProcess, name: string) => {
    p.stdout?.on("data", (d) => (out += `[${name}] ${d}`));
    p.stderr?.on("data", (d) => (out += `[${name}] ${d}`));
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  let mosq: ChildProcess | undefined;
  const startBroker = async () => {
    mosq = spawn(MOSQUITTO, ["-c", join(dir, "mosquitto.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    collect(mosq, "mosquitto");
    await waitForPort(mqttPort, 20_000, mosq, "mosquitto", () => out);
  };
  let wsify: ChildProcess | undefined;
  const startBridge = async () => {
    wsify = spawn(WEBSOCKIFY, [`127.0.0.1:${wsPort}`, `127.0.0.1:${mqttPort}`], { stdio: ["ignore", "pipe", "pipe"] });
    collect(wsify, "websockify");
    await waitForPort(wsPort, 20_000, wsify, "websockify", () => out);
  };
  const t0 = performance.now();
  await Promise.all([startBroker(), startBridge()]);
  const startMs = performance.now() - t0;
  const stopProc = (p: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (!p || p.exitCode !== null) return resolve();
      p.once("exit", () => resolve());
      p.kill("SIGTERM");
      setTimeout(() => p.exitCode === null && p.kill("SIGKILL"), 5000);
    });
  return {
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    startMs,
    stopBroker: async (o) => {
      await stopProc(mosq);
      if (o?.bridge) await stopProc(wsify);
    },
    startBroker,
    startBridge,
    log: () => out,
    async close() {
      await stopProc(mosq);
      await stopProc(wsify);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
