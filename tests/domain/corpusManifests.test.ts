// Every manifest case of the bad-input corpus (tests/corpus/cases.json), through the app's own
// loader (src/app/manifests.ts) with fetch answered from the shipped data/ files plus the one
// mutation, and the error screen's wording (explainFatal). The browser corpus runs a subset as
// real page loads; this runs them all.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadManifests } from "../../src/app/manifests";
import { explainFatal } from "../../src/domain/messages";

interface ManifestCase {
  id: string;
  file: string;
  text?: string;
  status?: number;
  path?: Array<string | number>;
  value?: unknown;
  field: string;
}
const root = join(__dirname, "../..");
const { manifests } = JSON.parse(readFileSync(join(root, "tests/corpus/cases.json"), "utf8")) as { manifests: ManifestCase[] };

function answer(mc: ManifestCase, url: string): Response {
  const file = url.replace(/^data\//, "");
  const path = join(root, "data", file);
  if (file === mc.file) {
    if (mc.status) return new Response("not found", { status: mc.status });
    if (mc.text !== undefined) return new Response(mc.text);
    const body = JSON.parse(readFileSync(path, "utf8"));
    let o = body;
    for (const k of mc.path!.slice(0, -1)) o = o[k];
    o[mc.path![mc.path!.length - 1]] = mc.value;
    return new Response(JSON.stringify(body));
  }
  return existsSync(path) ? new Response(readFileSync(path, "utf8")) : new Response("no", { status: 404 });
}

describe("manifest corpus", () => {
  afterEach(() => vi.unstubAllGlobals());
  it.each(manifests.map((m) => [m.id, m] as const))("%s stops the app naming the file and field in zh and en", async (_id, mc) => {
    vi.stubGlobal("fetch", async (url: string) => answer(mc, url));
    const err = await loadManifests("data/").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, "the manifest was accepted").toBeDefined();
    const { explain, detail } = explainFatal(err);
    if (mc.field === "(file)") {
      expect(explain).toEqual({ zh: `配置文件 data/${mc.file} 无法读取`, en: `The manifest data/${mc.file} cannot be read` });
    } else {
      expect(explain).toEqual({ zh: `配置文件 data/${mc.file} 中的 ${mc.field} 有误`, en: `data/${mc.file}: ${mc.field} is invalid` });
    }
    expect(detail.length).toBeGreaterThan(10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("optional tours.json", () => {
  afterEach(() => vi.unstubAllGlobals());
  const serve = (tours: Response) => async (url: string) => {
    const file = url.replace(/^data\//, "");
    if (file === "tours.json") return tours;
    return new Response(readFileSync(join(root, "data", file), "utf8"));
  };
  it("a city folder without tours.json has no tours (not an error)", async () => {
    vi.stubGlobal("fetch", serve(new Response("not found", { status: 404 })));
    const m = await loadManifests("data/");
    expect(m.tours).toEqual({ version: 1, tours: [] });
    expect(m.catalog.layers.length).toBeGreaterThan(0);
  });
  it("a tours.json that is there but broken still stops the app naming the file", async () => {
    vi.stubGlobal("fetch", serve(new Response('{"version":1,"tours":{}}')));
    const err = await loadManifests("data/").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(explainFatal(err).explain.zh).toBe("配置文件 data/tours.json 中的 tours 有误");
  });
  it("a tours.json the server refuses (500) is an error, not 'no tours'", async () => {
    vi.stubGlobal("fetch", serve(new Response("boom", { status: 500 })));
    const err = await loadManifests("data/").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(explainFatal(err).explain.zh).toBe("配置文件 data/tours.json 无法读取");
  });
});
