// The bake stamp (scripts/prepare.ts): besides the baker's code, the catalog and the city, it
// covers the versions of the packages that shape the baked bytes (meshoptimizer's encoder,
// three's triangulation), so upgrading one makes `prepare --if-stale` bake again.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BAKE_PACKAGES, bakeHash, bakePackageVersions } from "../../scripts/prepare";
import { cleanupTempDirs, tempDir } from "./fixtures";

afterAll(cleanupTempDirs);

describe("bake stamp", () => {
  const base = { meshoptimizer: "1.3.0", three: "0.187.0" };

  it("changes when the encoder or the triangulator is upgraded, and only then", () => {
    const h = bakeHash("city", base);
    expect(bakeHash("city", { ...base })).toBe(h);
    // Same versions listed in another order: same stamp.
    expect(bakeHash("city", { three: "0.187.0", meshoptimizer: "1.3.0" })).toBe(h);
    expect(bakeHash("city", { ...base, meshoptimizer: "1.3.1" })).not.toBe(h);
    expect(bakeHash("city", { ...base, three: "0.188.0" })).not.toBe(h);
    expect(bakeHash("city", { ...base, meshoptimizer: "missing" })).not.toBe(h);
    // The city still counts as before.
    expect(bakeHash("other city", base)).not.toBe(h);
  });

  it("reads the installed versions from node_modules, and says when a package is missing", async () => {
    const root = await tempDir("stamp");
    mkdirSync(join(root, "node_modules", "meshoptimizer"), { recursive: true });
    writeFileSync(join(root, "node_modules", "meshoptimizer", "package.json"), JSON.stringify({ name: "meshoptimizer", version: "9.8.7" }));
    expect(bakePackageVersions(root)).toEqual({ meshoptimizer: "9.8.7", three: "missing" });
  });

  it("covers every package the baker imports code from, except the validator", () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), "../../scripts/bake");
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".d.ts")))
      for (const m of readFileSync(join(dir, f), "utf8").matchAll(/^import (?!type )[^;]*? from "([^".][^"]*)";/gm))
        if (!m[1].startsWith("node:")) used.add(m[1].startsWith("@") ? m[1].split("/").slice(0, 2).join("/") : m[1].split("/")[0]);
    // gltf-validator checks the output; it does not make any of it.
    used.delete("gltf-validator");
    expect([...used].sort()).toEqual([...BAKE_PACKAGES].sort());
    // In this checkout both are installed, with a version.
    for (const v of Object.values(bakePackageVersions())) expect(v).toMatch(/^\d+\.\d+\.\d+/);
  });
});
