// LayerManager.sync in node, with fake renderers and a fake scene (as resium tests its
// components with a mocked Cesium): create / show / hide / restyle / destroy / error paths,
// and the readiness wait driven by postRender with its timeout.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CreateArgs, Created, LayerRenderer, RendererRegistry, SceneHooks } from "../../src/cesium/contract";
import { LayerManager } from "../../src/cesium/LayerManager";
import { validateCatalog, type LayerSpec, type LayerStyle } from "../../src/domain/catalog";
import type { ParsedLayer } from "../../src/domain/geojson";
import { initialState, setLayerOpacity, setLayerVisible, type AppState } from "../../src/domain/state";

const style = { color: { type: "constant", color: "#fff" } };
const catalog = validateCatalog({
  version: 1,
  groups: [{ id: "a", title: { zh: "甲", en: "A" } }],
  layers: [
    { id: "pts", title: { zh: "点", en: "pts" }, group: "a", kind: "point", url: "p", visible: true, pickable: true, style },
    { id: "lines", title: { zh: "线", en: "lines" }, group: "a", kind: "line", url: "l", visible: false, pickable: true, style },
    {
      id: "tiles",
      title: { zh: "瓦片", en: "tiles" },
      group: "a",
      kind: "3dtiles",
      url: "t/tileset.json",
      visible: true,
      pickable: true,
      style,
    },
  ],
});

class FakeScene implements SceneHooks {
  renders = 0;
  listeners = new Set<() => void>();
  requestRender() {
    this.renders++;
  }
  onPostRender(cb: () => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  /** Render one frame: every postRender listener runs once. */
  frame() {
    for (const cb of [...this.listeners]) cb();
  }
}

class FakeRenderer implements LayerRenderer {
  log: string[] = [];
  isDrawn = true;
  destroyed = false;
  constructor(readonly layerId: string) {}
  setShow(show: boolean) {
    this.log.push(`show ${show}`);
  }
  setStyle(s: LayerStyle, opacity: number) {
    this.log.push(`style ${(s.color as { color?: string }).color} ${opacity}`);
  }
  drawn() {
    return this.isDrawn;
  }
  waitingFor() {
    return "fake batch";
  }
  pick(picked: unknown) {
    if ((picked as { layer?: string }).layer !== this.layerId) return undefined;
    this.log.push("pick");
    return { layerId: this.layerId, featureId: "f1", properties: { a: 1 } };
  }
  clearPick() {
    this.log.push("clear");
  }
  onCamera(h: number) {
    this.log.push(`camera ${h}`);
  }
  setMaximumScreenSpaceError(sse: number) {
    this.log.push(`sse ${sse}`);
  }
  destroy() {
    this.destroyed = true;
  }
}

interface Deferred {
  resolve(c: Created): void;
  reject(e: Error): void;
  args: CreateArgs<FakeScene>;
}

/** A scene that also says when a frame begins (Cesium's preRender). */
class FakeSceneWithPre extends FakeScene {
  pre = new Set<() => void>();
  onPreRender(cb: () => void) {
    this.pre.add(cb);
    return () => this.pre.delete(cb);
  }
  /** Render one frame: preRender listeners, then `during` (what changes while it draws), then postRender. */
  frame(during?: () => void) {
    for (const cb of [...this.pre]) cb();
    during?.();
    super.frame();
  }
}

function setup(kinds = ["point", "line", "3dtiles"], scene: FakeScene = new FakeScene()) {
  const made: Record<string, FakeRenderer> = {};
  const pending: Record<string, Deferred> = {};
  const events: string[] = [];
  const registry: RendererRegistry<FakeScene> = Object.fromEntries(
    kinds.map((k) => [
      k,
      (args: CreateArgs<FakeScene>) =>
        new Promise<Created>((resolve, reject) => {
          pending[args.spec.id] = { resolve, reject, args };
        }),
    ]),
  );
  const loader = async (): Promise<ParsedLayer> => {
    throw new Error("not used");
  };
  const m = new LayerManager(
    scene,
    registry,
    loader,
    {
      loading: (id, p) => events.push(p === undefined ? `loading ${id}` : `progress ${id} ${p}`),
      ready: (id, n, s) => events.push(`ready ${id} ${n} ${s}`),
      error: (id, r) => events.push(`error ${id} ${r}`),
    },
    (u) => `http://x/${u}`,
  );
  /** Let the factory for `id` finish with a fresh fake renderer. */
  const finish = async (id: string, count = 3, skipped = 0) => {
    const r = new FakeRenderer(id);
    made[id] = r;
    pending[id].resolve({ renderer: r, featureCount: count, skipped });
    await flush();
    return r;
  };
  return { scene, m, made, pending, events, finish };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("LayerManager.sync with fake renderers", () => {
  let s: AppState;
  beforeEach(() => {
    s = initialState(catalog);
  });

  it("creates a renderer per visible layer through the registry, by kind, once", async () => {
    const t = setup();
    t.m.sync(s);
    t.m.sync(s); // a second sync while loading does not start a second load
    expect(Object.keys(t.pending).sort()).toEqual(["pts", "tiles"]);
    expect(t.pending.tiles.args.resolveUrl("t/tileset.json")).toBe("http://x/t/tileset.json");
    expect(t.events).toEqual(["loading pts", "loading tiles"]);
    const r = await t.finish("pts", 5, 1);
    expect(t.events).toContain("ready pts 5 1");
    // The latest state is applied as soon as the renderer exists: style, then show.
    expect(r.log).toEqual(["camera 5000", "style #fff 1", "show true"]);
  });

  it("passes the progress and the screen-space error to the factory", async () => {
    const t = setup();
    t.m.setTilesSse(24);
    t.m.sync(s);
    expect(t.pending.tiles.args.maximumScreenSpaceError).toBe(24);
    t.pending.tiles.args.onProgress(0.5);
    expect(t.events).toContain("progress tiles 0.5");
    const r = await t.finish("tiles");
    t.m.setTilesSse(8);
    expect(r.log).toContain("sse 8");
  });

  it("hides and shows without restyling; restyles only when style or opacity change", async () => {
    const t = setup();
    t.m.sync(s);
    const r = await t.finish("pts");
    r.log = [];
    t.m.sync(s);
    expect(r.log).toEqual([]); // nothing changed: nothing done
    s = setLayerVisible(s, "pts", false);
    t.m.sync(s);
    expect(r.log).toEqual(["show false"]);
    // Restyling a hidden layer waits until it is shown again.
    s = setLayerOpacity(s, "pts", 0.5);
    t.m.sync(s);
    expect(r.log).toEqual(["show false"]);
    s = setLayerVisible(s, "pts", true);
    t.m.sync(s);
    expect(r.log).toEqual(["show false", "style #fff 0.5", "show true"]);
    // A new style object for the layer restyles it (a view switch or a highlight).
    r.log = [];
    const red: LayerStyle = { color: { type: "constant", color: "#f00" } };
    t.m.sync(s, (spec: LayerSpec) => (spec.id === "pts" ? red : spec.style));
    expect(r.log).toEqual(["style #f00 0.5"]);
  });

  it("a layer shown later is created then; a hidden one never is", async () => {
    const t = setup();
    t.m.sync(s);
    expect(t.pending.lines).toBeUndefined();
    s = setLayerVisible(s, "lines", true);
    t.m.sync(s);
    expect(t.pending.lines).toBeDefined();
  });

  it("a factory that fails reports the error once and retries only after retry()", async () => {
    const t = setup();
    t.m.sync(s);
    t.pending.pts.reject(new Error("HTTP 404"));
    await flush();
    expect(t.events).toContain("error pts HTTP 404");
    delete t.pending.pts;
    t.m.sync(s);
    expect(t.pending.pts).toBeUndefined(); // no retry loop
    t.m.retry("pts");
    expect(t.pending.pts).toBeDefined();
    await t.finish("pts");
    expect(t.events.at(-1)).toBe("ready pts 3 0");
  });

  it("a tileset that is not JSON gets an error naming the file", async () => {
    const t = setup();
    t.m.sync(s);
    t.pending.tiles.reject(new Error("Unexpected token '<', \"<!doctype\" is not valid JSON"));
    await flush();
    expect(t.events).toContain("error tiles cannot load tileset t/tileset.json: file missing or not a tileset (got no JSON)");
  });

  it("a kind with no registered renderer is an error on that layer only", async () => {
    const t = setup(["point"]);
    t.m.sync(s);
    await flush();
    expect(t.events.filter((e) => e.startsWith("error tiles") && e.includes("no renderer for layer kind “3dtiles”"))).toHaveLength(1);
    await t.finish("pts");
    expect(t.events).toContain("ready pts 3 0");
  });

  it("an error after creation (a tile that failed) goes to the row; retry rebuilds the layer", async () => {
    const t = setup();
    t.m.sync(s);
    const r = await t.finish("tiles");
    t.pending.tiles.args.reportError("1 tile(s) failed to load; last: 0_0.glb: bad glb");
    expect(t.events.at(-1)).toBe("error tiles 1 tile(s) failed to load; last: 0_0.glb: bad glb");
    delete t.pending.tiles;
    t.m.retry("tiles");
    expect(r.destroyed).toBe(true);
    expect(t.pending.tiles).toBeDefined();
  });

  it("an error reported while the factory is still loading (a tile failed before it resolved) is said once it is ready", async () => {
    const t = setup();
    t.m.sync(s);
    // Before the fix this threw a ReferenceError (the renderer binding was in its dead zone).
    expect(() => t.pending.tiles.args.reportError("Tile content missing.glb: HTTP 404")).not.toThrow();
    t.pending.tiles.args.reportError("a second failure");
    expect(t.events.some((e) => e.startsWith("error tiles"))).toBe(false);
    await t.finish("tiles");
    expect(t.events.slice(-2)).toEqual(["ready tiles 3 0", "error tiles Tile content missing.glb: HTTP 404"]);
    delete t.pending.tiles;
    t.m.retry("tiles");
    expect(t.pending.tiles).toBeDefined();
  });

  it("picking asks each renderer, clears the previous highlight, returns plain data", async () => {
    const t = setup();
    t.m.sync(s);
    const a = await t.finish("pts");
    const b = await t.finish("tiles");
    a.log = [];
    b.log = [];
    expect(t.m.pick({ layer: "tiles" })).toEqual({ layerId: "tiles", featureId: "f1", properties: { a: 1 } });
    expect(a.log).toEqual(["clear"]);
    expect(b.log).toEqual(["clear", "pick"]);
    expect(t.m.pick(undefined)).toBeUndefined();
  });

  it("destroy destroys every renderer and one that finishes loading afterwards", async () => {
    const t = setup();
    t.m.sync(s);
    const a = await t.finish("pts");
    t.m.destroy();
    expect(a.destroyed).toBe(true);
    const late = await t.finish("tiles");
    expect(late.destroyed).toBe(true);
    expect(t.events.filter((e) => e.startsWith("ready tiles"))).toEqual([]);
  });
});

describe("LayerManager.whenDrawn (postRender-driven, with a timeout)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves on the frame after everything shown is drawn", async () => {
    const t = setup();
    const s = initialState(catalog);
    t.m.sync(s);
    let result: unknown;
    void t.m.whenDrawn(1000).then((r) => (result = r));
    t.scene.frame(); // still loading: no frames are requested for that
    const rendersWhileLoading = t.scene.renders;
    t.scene.frame();
    expect(t.scene.renders).toBe(rendersWhileLoading);
    const a = await t.finish("pts");
    a.isDrawn = false;
    await t.finish("tiles");
    expect(t.scene.renders).toBeGreaterThan(rendersWhileLoading); // loads finishing wake the wait
    const before = t.scene.renders;
    t.scene.frame(); // pts still building on the GPU side: ask for another frame
    expect(t.scene.renders).toBe(before + 1);
    a.isDrawn = true;
    t.scene.frame(); // all drawn: one more frame …
    await flush();
    expect(result).toBeUndefined();
    t.scene.frame(); // … and done
    await flush();
    expect(result).toEqual({ ok: true });
    expect(t.scene.listeners.size).toBe(0);
  });

  it("a hidden layer that is not drawn does not hold the wait", async () => {
    const t = setup();
    let s = initialState(catalog);
    t.m.sync(s);
    const a = await t.finish("pts");
    await t.finish("tiles");
    a.isDrawn = false;
    s = setLayerVisible(s, "pts", false);
    t.m.sync(s);
    const p = t.m.whenDrawn(1000);
    t.scene.frame();
    t.scene.frame();
    expect(await p).toEqual({ ok: true });
  });

  it("with a preRender hook: resolves at the end of the first frame that began and ended with everything drawn", async () => {
    const scene = new FakeSceneWithPre();
    const t = setup(undefined, scene);
    t.m.sync(initialState(catalog));
    await t.finish("pts");
    await t.finish("tiles");
    let result: unknown;
    void t.m.whenDrawn(1000).then((r) => (result = r));
    scene.frame(); // everything was drawn before this frame and after it: this frame shows it all
    await flush();
    expect(result).toEqual({ ok: true });
    expect(scene.listeners.size + scene.pre.size).toBe(0);
  });

  it("with a preRender hook: what became drawn during a frame is waited for one more frame", async () => {
    const scene = new FakeSceneWithPre();
    const t = setup(undefined, scene);
    t.m.sync(initialState(catalog));
    const a = await t.finish("pts");
    await t.finish("tiles");
    a.isDrawn = false;
    let result: unknown;
    void t.m.whenDrawn(1000).then((r) => (result = r));
    scene.frame(() => (a.isDrawn = true)); // the batch became ready while this frame was drawn
    await flush();
    expect(result).toBeUndefined();
    scene.frame(); // the next frame draws it
    await flush();
    expect(result).toEqual({ ok: true });
    expect(scene.listeners.size + scene.pre.size).toBe(0);
  });

  it("gives up after the timeout and says what it was waiting for", async () => {
    vi.useFakeTimers();
    const t = setup();
    t.m.sync(initialState(catalog));
    const p = t.m.whenDrawn(5000);
    vi.advanceTimersByTime(5001);
    expect(await p).toEqual({ ok: false, reason: "scene not drawn after 5 s; waiting for: pts (loading data), tiles (loading data)" });
    expect(t.scene.listeners.size).toBe(0);
  });
});
