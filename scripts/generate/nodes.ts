// Network nodes (管网附属设施) on the generated pipes: valves on gas and water, manholes
// (检查井) on drainage, heat exchange stations (换热站) on heating. They are drawn from their
// own random stream after everything else is generated, so adding them changes no other
// feature: the calibrated figures stay exactly as they were.
import type { Feature, LineString, Point } from "geojson";
import type { District, PipeNetwork, PipeProps } from "../../src/domain/citySchema";
import { Rng } from "./rng";

export type NodeType = "valve" | "manhole" | "heat-exchange-station";
export interface PipeNodeProps {
  id: string;
  district?: District;
  source: "synthetic";
  network: PipeNetwork;
  nodeType: NodeType;
  /** Depth of the node's bottom (the pipe's centre line), m. */
  depthM: number;
  /** Depth of its top: 0 for wells and stations that open at the surface (a cover on the ground). */
  topDepthM: number;
  installYear: number;
  /** The pipe segment it sits on. */
  pipeId: string;
}

interface Rec {
  props: PipeProps;
  geometry: LineString;
}

const SHARE: Partial<Record<PipeNetwork, number>> = { gas: 0.3, water: 0.35, drainage: 1, heating: 0.12 };
const TYPE: Partial<Record<PipeNetwork, NodeType>> = {
  gas: "valve",
  water: "valve",
  drainage: "manhole",
  heating: "heat-exchange-station",
};
/** Manholes also stand along long sewers, about every 50 m (CJJ/GB 50014 spacing for 600–1500 mm). */
const MANHOLE_SPACING_M = 50;
const M_PER_DEG = 111_195;

const short: Record<District, string> = { kangbashi: "kbs", dongsheng: "ds" };

export function pipeNodes(pipes: Record<PipeNetwork, Rec[]>, seed: number): Feature<Point, PipeNodeProps>[] {
  const rng = new Rng(seed).fork("pipe-nodes");
  const out: Feature<Point, PipeNodeProps>[] = [];
  const seq = new Map<string, number>();
  const nextId = (network: string, d: District | undefined) => {
    const key = `${network}-${d ? short[d] : "x"}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    return `node-${key}-${String(n).padStart(6, "0")}`;
  };
  const add = (p: PipeProps, network: PipeNetwork, lon: number, lat: number) => {
    const nodeType = TYPE[network]!;
    const id = nextId(network, p.district);
    out.push({
      type: "Feature",
      id,
      properties: {
        id,
        ...(p.district ? { district: p.district } : {}),
        source: "synthetic",
        network,
        nodeType,
        depthM: p.depthM,
        topDepthM: nodeType === "valve" ? Math.max(0, Math.round((p.depthM - 0.6) * 10) / 10) : 0,
        installYear: p.installYear,
        pipeId: p.id,
      },
      geometry: { type: "Point", coordinates: [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7] },
    });
  };
  for (const network of ["gas", "water", "drainage", "heating"] as const) {
    const seen = new Set<string>();
    for (const r of pipes[network]) {
      const c = r.geometry.coordinates;
      for (const [lon, lat] of [c[0], c[c.length - 1]]) {
        const key = `${lon.toFixed(6)},${lat.toFixed(6)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (rng.random() < SHARE[network]!) add(r.props, network, lon, lat);
      }
      if (network === "drainage") {
        for (let k = 0; k + 1 < c.length; k++) {
          const [x0, y0] = c[k];
          const [x1, y1] = c[k + 1];
          const len = Math.hypot((x1 - x0) * M_PER_DEG * Math.cos((y0 * Math.PI) / 180), (y1 - y0) * M_PER_DEG);
          const n = Math.floor(len / MANHOLE_SPACING_M);
          for (let i = 1; i < n; i++) add(r.props, network, x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n);
        }
      }
    }
  }
  return out;
}
