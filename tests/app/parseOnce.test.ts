// The pipe layers are parsed once for the scene and the inspector; other layers per call.
import { describe, expect, it } from "vitest";
import { parseOnce } from "../../src/app/parseOnce";
import type { LayerSpec } from "../../src/domain/catalog";
import type { ParsedLayer } from "../../src/domain/geojson";

const spec = (over: Partial<LayerSpec>) => ({ id: "x", kind: "line", url: "generated/city/x.geojson", ...over }) as LayerSpec;

describe("parseOnce", () => {
  it("shares one parse of a layer drawn underground, loads others per call, retries after a failure", async () => {
    const calls: string[] = [];
    let fail = true;
    const load = parseOnce(async (s) => {
      calls.push(s.id);
      if (s.id === "bad" && fail) throw new Error("boom");
      return { ids: [s.id] } as unknown as ParsedLayer;
    });
    const gas = spec({ id: "pipes-gas", underground: { depthProperty: "depthM" } } as Partial<LayerSpec>);
    const [a, b] = await Promise.all([load(gas, () => {}), load(gas, () => {})]);
    expect(a).toBe(b);
    await load(spec({ id: "roads" }), () => {});
    await load(spec({ id: "roads" }), () => {});
    expect(calls).toEqual(["pipes-gas", "roads", "roads"]);
    const bad = spec({ id: "bad", url: "bad.geojson", underground: { depthProperty: "depthM" } } as Partial<LayerSpec>);
    await expect(load(bad, () => {})).rejects.toThrow("boom");
    fail = false;
    await new Promise((r) => setTimeout(r, 0));
    expect((await load(bad, () => {})).ids).toEqual(["bad"]);
  });
});
