// Export as files a spreadsheet or a GIS opens: CSV (UTF-8 with a BOM, so Excel reads Chinese;
// RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with ') and
// GeoJSON rebuilt from the parsed layer arrays.
import type { Lang } from "../catalog";
import type { ParsedLayer } from "../geojson";
import type { HitRow } from "./excavation";
import { fieldLabel, formatFieldValue, type FieldSpec } from "./fields";

export const BOM = "\uFEFF";

function cell(v: unknown): string {
  let s = v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  // CSV injection: a cell starting with = + - @ would be a formula in Excel.
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Features of a layer as CSV: id, then the dictionary's fields (labels in the header), then other keys. */
export function featuresCsv(fields: FieldSpec[] | undefined, props: Array<Record<string, unknown>>, lang: Lang): string {
  const keys: string[] = [];
  const seen = new Set<string>();
  const add = (k: string) => {
    keys.push(k);
    seen.add(k);
  };
  for (const f of fields ?? []) if (props.some((p) => f.name in p)) add(f.name);
  for (const p of props) for (const k of Object.keys(p)) if (!seen.has(k)) add(k);
  return toCsv(
    keys.map((k) => fieldLabel(fields, k, lang)),
    props.map((p) => keys.map((k) => p[k])),
  );
}

/** The excavation hit list as CSV, headers in the user's language. */
export function hitListCsv(rows: HitRow[], pipeFields: FieldSpec[] | undefined, lang: Lang): string {
  const zh = lang === "zh";
  const header = [
    zh ? "图层" : "Layer",
    zh ? "类型" : "Kind",
    fieldLabel(pipeFields, "network", lang),
    zh ? "编号" : "ID",
    fieldLabel(pipeFields, "material", lang),
    `${fieldLabel(pipeFields, "diameterMm", lang)} (mm)`,
    `${fieldLabel(pipeFields, "depthM", lang)} (m)`,
    fieldLabel(pipeFields, "installYear", lang),
    zh ? "已改造" : "Renewed",
    zh ? "坑内长度 (m)" : "Length in pit (m)",
  ];
  const f = (n: string) => pipeFields?.find((x) => x.name === n);
  return toCsv(
    header,
    rows.map((r) => [
      r.layerId,
      r.kind === "pipe" ? (zh ? "管段" : "pipe") : (r.nodeType ?? (zh ? "节点" : "node")),
      r.network ? formatFieldValue(f("network"), r.network, lang) : "",
      r.featureId,
      r.material ? formatFieldValue(f("material"), r.material, lang) : "",
      r.diameterMm,
      r.depthM,
      r.installYear,
      r.renewed ? (zh ? "是" : "yes") + (r.renewalYear ? ` (${r.renewalYear})` : "") : zh ? "否" : "no",
      r.lengthInPitM,
    ]),
  );
}

/** GeoJSON of some features of a parsed layer (geometry rebuilt from its flat arrays). */
export function featuresGeoJson(data: ParsedLayer, indices: number[]): string {
  const want = new Set(indices);
  const geoms = new Map<number, number[][][] | number[][] | number[]>();
  const { coords, parts } = data;
  const pt = (i: number) => [coords[2 * i], coords[2 * i + 1]];
  if (data.kind === "point") for (const i of want) geoms.set(i, pt(i));
  else if (data.kind === "line") {
    for (let k = 0; k < parts.length; k += 3) {
      const f = parts[k];
      if (!want.has(f)) continue;
      const line: number[][] = [];
      for (let i = parts[k + 1]; i < parts[k + 1] + parts[k + 2]; i++) line.push(pt(i));
      const g = (geoms.get(f) as number[][][] | undefined) ?? [];
      g.push(line);
      geoms.set(f, g);
    }
  } else {
    let r = 0;
    for (let k = 0; k < parts.length; k += 3) {
      const f = parts[k];
      const nRings = parts[k + 2];
      let start = parts[k + 1];
      const poly: number[][][] = [];
      for (let j = 0; j < nRings; j++) {
        const len = data.rings![r + j];
        const ring: number[][] = [];
        for (let i = start; i < start + len; i++) ring.push(pt(i));
        poly.push(ring);
        start += len;
      }
      r += nRings;
      if (!want.has(f)) continue;
      const g = (geoms.get(f) as unknown as number[][][][] | undefined) ?? [];
      g.push(poly);
      geoms.set(f, g as unknown as number[][][]);
    }
  }
  const features = indices.map((i) => {
    const g = geoms.get(i);
    let geometry: unknown = null;
    if (data.kind === "point") geometry = { type: "Point", coordinates: g };
    else if (data.kind === "line")
      geometry =
        (g as number[][][]).length === 1
          ? { type: "LineString", coordinates: (g as number[][][])[0] }
          : { type: "MultiLineString", coordinates: g };
    else if (g)
      geometry =
        (g as unknown as number[][][][]).length === 1
          ? { type: "Polygon", coordinates: (g as unknown as number[][][][])[0] }
          : { type: "MultiPolygon", coordinates: g };
    return { type: "Feature", id: data.ids[i], properties: data.props[i], geometry };
  });
  return JSON.stringify({ type: "FeatureCollection", features });
}

/** Hit rows as GeoJSON points (where each crosses the pit) plus the pit outline. */
export function hitListGeoJson(rows: HitRow[], ring: Array<[number, number]>, depthM: number): string {
  const features: unknown[] = [
    { type: "Feature", properties: { kind: "pit", depthM }, geometry: { type: "Polygon", coordinates: [[...ring, ring[0]]] } },
  ];
  for (const r of rows) {
    const { at, ...props } = r;
    features.push({ type: "Feature", id: r.featureId, properties: props, geometry: { type: "Point", coordinates: at } });
  }
  return JSON.stringify({ type: "FeatureCollection", features });
}
