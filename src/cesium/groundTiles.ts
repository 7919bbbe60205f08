// Ground layers baked to 3D Tiles (scripts/bake/ground.ts). Several catalog layers share one
// tileset — one draw per tile — and each keeps its own renderer, layer-panel row, feature
// count, visibility and style: the shared tileset composes the members' rules into ONE
// Cesium3DTileStyle keyed on the `layer` property. Restyling is a style swap: nothing is
// re-fetched or re-triangulated. A translucent overlay (compounds, parking, construction) has
// its outlines baked as extra rows (`part: "outline"`, same id and properties): the style
// colours them with the layer's outlineColor, and filters, highlight and picking see the polygon.
import { Cesium3DTileFeature, Cesium3DTileStyle, Cesium3DTileset } from "cesium";
import type { LayerStyle } from "../domain/catalog";
import type { PickedFeature } from "../domain/state";
import { HIGHLIGHT_COLOR, outlineOpacity, outlineRule, tilesStyleJson } from "../domain/style";
import type { CreateArgs, Created, LayerRenderer } from "./contract";
import { markFirstDrawnTile, TILESET_OPTIONS, type RenderContext } from "./renderers";

interface Member {
  visible: boolean;
  style?: LayerStyle;
  opacity: number;
  /** The tileset holds outline rows for this layer (asset.extras.layers[id].outlines). */
  outlines?: boolean;
  reportError(reason: string): void;
}

const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
/** A baked outline row: `part` is OUTLINE_PART of scripts/bake/ground.ts (its polygon's rows have none). */
const isOutline = "${part} === 'outline'";

/** The style of a shared ground tileset from its members' styles (pure; exported for tests). */
export function composeGroundStyle(
  members: Array<{ id: string; visible: boolean; style?: LayerStyle; opacity: number; outlines?: boolean }>,
  picked?: { layer: string; id: string },
): {
  show: string;
  color: { conditions: [string, string][] };
} {
  const shown = members.filter((m) => m.visible && m.style);
  const conditions: [string, string][] = [];
  // The picked feature is part of the style, so it stays highlighted through restyles.
  if (picked) conditions.push([`\${layer} === ${quote(picked.layer)} && \${id} === ${quote(picked.id)}`, `color('${HIGHLIGHT_COLOR}', 1)`]);
  for (const m of shown) {
    const isLayer = `\${layer} === ${quote(m.id)}`;
    // Outlines first (they share the fill's properties, so the fill's rules would match them).
    const outline = m.outlines ? outlineRule(m.style!) : undefined;
    if (outline) conditions.push([`${isLayer} && ${isOutline}`, tilesStyleJson(outline, outlineOpacity(m.opacity)).color as string]);
    const c = tilesStyleJson(m.style!.color, m.opacity).color;
    if (typeof c === "string") conditions.push([isLayer, c]);
    else for (const [cond, col] of c.conditions) conditions.push([cond === "true" ? isLayer : `${isLayer} && (${cond})`, col]);
  }
  conditions.push(["true", "color('#ffffff', 1)"]);
  // A member's own `show` (the inspector's filter) applies to its features only.
  // A style without an outlineColor (a view may set one without) hides the baked outlines.
  const showOf = (m: (typeof shown)[number]) => {
    const own = [tilesStyleJson(m.style!.color, m.opacity).show, m.outlines && !outlineRule(m.style!) ? "${part} !== 'outline'" : undefined]
      .filter(Boolean)
      .join(" && ");
    return own ? `(\${layer} === ${quote(m.id)} && (${own}))` : `\${layer} === ${quote(m.id)}`;
  };
  return { show: shown.length ? shown.map(showOf).join(" || ") : "false", color: { conditions } };
}

class SharedGround {
  readonly members = new Map<string, Member>();
  picked?: { layer: string; id: string };
  private failures = 0;
  private pending = false;
  constructor(
    private readonly ctx: RenderContext,
    readonly tileset: Cesium3DTileset,
    private readonly onEmpty: () => void,
  ) {
    tileset.tileLoad.addEventListener(() => ctx.requestRender());
    tileset.allTilesLoaded.addEventListener(() => ctx.requestRender());
    // A tile that fails to load or decode: an error on every member layer's row; the other
    // tiles and layers stay drawn.
    tileset.tileFailed.addEventListener((e: { url?: string; message?: string }) => {
      this.failures++;
      const file = String(e.url ?? "?").replace(/^.*\/([^/?]+)(\?.*)?$/, "$1");
      const reason = `${this.failures} tile(s) failed to load; last: ${file}: ${String(e.message ?? "").slice(0, 120)}`;
      for (const m of this.members.values()) m.reportError(reason);
      ctx.requestRender();
    });
  }
  /** Recompose the style once per batch of member changes (one sync touches several layers). */
  changed() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (this.tileset.isDestroyed()) return;
      const list = [...this.members].map(([id, m]) => ({ id, ...m }));
      this.tileset.show = list.some((m) => m.visible);
      this.tileset.style = new Cesium3DTileStyle(composeGroundStyle(list, this.picked));
      this.ctx.requestRender();
    });
  }
  leave(id: string) {
    this.members.delete(id);
    if (this.members.size) return this.changed();
    this.onEmpty();
    if (!this.ctx.scene.isDestroyed()) this.ctx.scene.primitives.remove(this.tileset);
    this.ctx.requestRender();
  }
}

/** One shared tileset per scene and URL. */
const shared = new WeakMap<object, Map<string, Promise<SharedGround>>>();

function sharedGround(ctx: RenderContext, url: string, sse: number): Promise<SharedGround> {
  let perScene = shared.get(ctx.scene);
  if (!perScene) shared.set(ctx.scene, (perScene = new Map()));
  let p = perScene.get(url);
  if (!p) {
    const map = perScene;
    p = Cesium3DTileset.fromUrl(url, { ...TILESET_OPTIONS, maximumScreenSpaceError: sse }).then((tileset) => {
      if (ctx.scene.isDestroyed()) throw new Error("scene destroyed while loading");
      tileset.show = false; // until a member is shown and styled
      ctx.scene.primitives.add(tileset);
      // Named by the tileset's folder (…/tiles/ground/tileset.json → "ground").
      markFirstDrawnTile(ctx, tileset, url.split("/").slice(-2, -1)[0] ?? url);
      return new SharedGround(ctx, tileset, () => map.delete(url));
    });
    // A failed load is not cached: retrying the layer tries again.
    p.catch(() => map.delete(url));
    perScene.set(url, p);
  }
  return p;
}

export class GroundLayerRenderer implements LayerRenderer {
  constructor(
    readonly layerId: string,
    private readonly ground: SharedGround,
    private readonly member: Member,
  ) {}
  setShow(show: boolean) {
    this.member.visible = show;
    this.ground.changed();
  }
  setStyle(style: LayerStyle, opacity: number) {
    this.member.style = style;
    this.member.opacity = opacity;
    this.ground.changed();
  }
  setMaximumScreenSpaceError(sse: number) {
    this.ground.tileset.maximumScreenSpaceError = sse;
  }
  drawn() {
    return this.ground.tileset.tilesLoaded;
  }
  waitingFor() {
    return "ground tiles loading";
  }
  pick(picked: unknown): PickedFeature | undefined {
    if (!(picked instanceof Cesium3DTileFeature) || picked.tileset !== this.ground.tileset) return undefined;
    if (picked.getProperty("layer") !== this.layerId) return undefined;
    const properties: Record<string, unknown> = {};
    for (const name of picked.getPropertyIds()) {
      const v = picked.getProperty(name);
      // `part` tells an outline row from its polygon; the inspector shows the polygon's properties.
      if (name !== "layer" && !(name === "part" && this.member.outlines) && v !== undefined) properties[name] = v;
    }
    const featureId = String(properties.id ?? picked.featureId);
    this.ground.picked = { layer: this.layerId, id: featureId };
    this.ground.changed();
    return { layerId: this.layerId, featureId, properties };
  }
  clearPick() {
    if (this.ground.picked?.layer !== this.layerId) return;
    this.ground.picked = undefined;
    this.ground.changed();
  }
  destroy() {
    this.ground.leave(this.layerId);
  }
}

export async function createGroundLayer(a: CreateArgs<RenderContext>): Promise<Created> {
  const url = a.resolveUrl(a.spec.tiles!);
  const ground = await sharedGround(a.ctx, url, a.maximumScreenSpaceError);
  const layers = (
    ground.tileset.asset as { extras?: { layers?: Record<string, { features: number; skipped: number; outlines?: number }> } }
  ).extras?.layers;
  const counts = layers?.[a.spec.id];
  if (!counts) throw new Error(`tileset ${a.spec.tiles} has no layer “${a.spec.id}” (rebuild with npm run data)`);
  const member: Member = { visible: false, opacity: 1, outlines: !!counts.outlines, reportError: a.reportError };
  if (ground.members.has(a.spec.id)) throw new Error(`layer ${a.spec.id} is already drawn from ${a.spec.tiles}`);
  ground.members.set(a.spec.id, member);
  return { renderer: new GroundLayerRenderer(a.spec.id, ground, member), featureCount: counts.features, skipped: counts.skipped };
}
