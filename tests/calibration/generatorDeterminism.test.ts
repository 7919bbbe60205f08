// Same seed → byte-identical files; another seed → another city; bad seed/scale refused
// (the CLI exits with code 2). Small scales keep this quick.

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GenerateArgsError, generateCity, validateArgs } from "../../scripts/generate/index";

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "wct-det-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort())
    out[f] = createHash("sha256")
      .update(readFileSync(join(dir, f)))
      .digest("hex");
  return out;
}

describe("generateCity", () => {
  it("is deterministic: the same seed gives byte-identical output", async () => {
    const a = fresh();
    const b = fresh();
    await generateCity({ seed: 7, scale: 0.3, outDir: a });
    await generateCity({ seed: 7, scale: 0.3, outDir: b });
    const da = digest(a);
    expect(Object.keys(da)).toContain("buildings.geojson");
    expect(Object.keys(da)).toContain("summary.json");
    expect(digest(b)).toEqual(da);
  }, 240_000);

  it("gives another city for another seed, and fewer buildings at a smaller scale", async () => {
    const a = fresh();
    const b = fresh();
    const ra = await generateCity({ seed: 7, scale: 0.3, outDir: a });
    const rb = await generateCity({ seed: 8, scale: 0.15, outDir: b });
    expect(digest(b)["buildings.geojson"]).not.toEqual(digest(a)["buildings.geojson"]);
    expect(rb.summary.layers.buildings).toBeLessThan(ra.summary.layers.buildings);
    const geo = JSON.parse(readFileSync(join(a, "buildings.geojson"), "utf8"));
    // coordinates are rounded to 7 decimals
    for (const f of geo.features.slice(0, 200))
      for (const [lon, lat] of f.geometry.coordinates[0]) {
        expect(Math.round(lon * 1e7) / 1e7).toBe(lon);
        expect(Math.round(lat * 1e7) / 1e7).toBe(lat);
      }
  }, 240_000);

  it("refuses bad seeds and scales with a clear message", async () => {
    for (const [seed, scale] of [
      [-1, 1],
      [1.5, 1],
      ["3", 1],
      [NaN, 1],
      [1, 0],
      [1, -2],
      [1, 8.01],
      [1, Infinity],
      [1, NaN],
    ] as Array<[unknown, unknown]>) {
      expect(() => validateArgs(seed, scale), `${seed}/${scale}`).toThrow(GenerateArgsError);
    }
    expect(() => validateArgs(-1, 1)).toThrow(/seed must be a non-negative integer/);
    expect(() => validateArgs(1, 9)).toThrow(/scale must be a positive number ≤ 8/);
    expect(validateArgs(0, 8)).toEqual({ seed: 0, scale: 8 });
    await expect(generateCity({ seed: 1, scale: 0, outDir: fresh() })).rejects.toThrow(GenerateArgsError);
  });

  it("exits with code 2 from the command line", () => {
    for (const args of [["--scale", "0"], ["--seed", "-3"], ["--scale", "abc"], ["--nonsense"]]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/prepare.ts", ...args], { encoding: "utf8" });
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/prepare: /);
    }
  }, 60_000);
});
