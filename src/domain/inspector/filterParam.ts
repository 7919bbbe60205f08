// Filters in a URL (`filter=` in a share link): one parameter per filtered layer,
//   filter=<layerId>:<field>:<condition>,<field>:<condition>
// where a condition is a range `min..max` (either end may be left out: `2008..`, `..2012`),
// category values joined by `~` (`PE~steel`; nothing after the colon keeps nothing), `*` for
// "has a value" and `!` for "has none". In values, `% , : ~ . * !` are percent-escaped, so a
// value can never read as a range or a presence test. Pure; bad parts become notices.
import type { LayerFilter } from "./filter";

const ESC = /[%,:~.*!]/g;
const esc = (v: string) => v.replace(ESC, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
const NUM = "-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?";
const RANGE = new RegExp(`^(${NUM})?\\.\\.(${NUM})?$`, "i");
const LAYER = /^[a-z][a-z0-9_-]*$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `filter=` value per filtered layer (layers and fields in a stable order). */
export function formatFilterParams(filters: Record<string, LayerFilter>): string[] {
  const out: string[] = [];
  for (const layerId of Object.keys(filters).sort()) {
    const f = filters[layerId];
    const parts = Object.keys(f)
      .sort()
      .map((name) => {
        const c = f[name];
        if ("present" in c) return `${name}:${c.present ? "*" : "!"}`;
        if ("values" in c) return `${name}:${c.values.map(esc).join("~")}`;
        return `${name}:${c.min ?? ""}..${c.max ?? ""}`;
      });
    if (parts.length) out.push(`${layerId}:${parts.join(",")}`);
  }
  return out;
}

export interface ParsedFilters {
  filters: Record<string, LayerFilter>;
  notices: Array<{ param: string; value: string; reason: string }>;
}

/** The `filter=` values of a URL back to filters (not yet checked against the layers' fields). */
export function parseFilterParams(values: readonly string[], knownLayerIds?: ReadonlySet<string>): ParsedFilters {
  const out: ParsedFilters = { filters: {}, notices: [] };
  const note = (value: string, reason: string) => out.notices.push({ param: "filter", value, reason });
  for (const v of values) {
    const i = v.indexOf(":");
    const layerId = v.slice(0, i);
    if (i < 1 || !LAYER.test(layerId)) {
      note(v, "expected <layerId>:<field>:<condition>,…");
      continue;
    }
    if (knownLayerIds && !knownLayerIds.has(layerId)) {
      note(v, "unknown layer id, ignored");
      continue;
    }
    const filter: LayerFilter = {};
    for (const part of v.slice(i + 1).split(",")) {
      const j = part.indexOf(":");
      const name = part.slice(0, j);
      const cond = part.slice(j + 1);
      if (j < 1 || !FIELD.test(name)) {
        note(part, "expected <field>:<condition>");
        continue;
      }
      const r = RANGE.exec(cond);
      if (cond === "*" || cond === "!") filter[name] = { present: cond === "*" };
      else if (r && (r[1] !== undefined || r[2] !== undefined))
        filter[name] = { ...(r[1] !== undefined ? { min: Number(r[1]) } : {}), ...(r[2] !== undefined ? { max: Number(r[2]) } : {}) };
      else if (/[.*!]/.test(cond)) {
        note(part, "expected min..max, values joined by ~, * or !");
      } else {
        try {
          filter[name] = { values: cond === "" ? [] : cond.split("~").map((x) => decodeURIComponent(x)) };
        } catch {
          note(part, "badly escaped value");
        }
      }
    }
    // The well-formed conditions apply; each bad one has its notice.
    if (Object.keys(filter).length) out.filters[layerId] = filter;
  }
  return out;
}
