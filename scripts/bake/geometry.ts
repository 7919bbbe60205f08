// Building meshes for one tile: walls + roof + bottom cap, flat-shaded (vertices duplicated per
// face), in the tile's local ENU frame and written y-up for glTF: ENU (e, n, u) → (e, u, −n),
// which Cesium's default Y_UP_TO_Z_UP correction turns back into ENU before the tile transform.
//
// Every vertex is computed from its geodetic position (lon, lat, h) exactly, so walls follow
// the local vertical and heights are exact ellipsoid heights even kilometres from the tile
// centre; only the triangulation is done in a plane (topology does not care about curvature).

import { ShapeUtils, Vector2 } from "three";
import { DEG, EnuFrame } from "./geo";
import { metresPerDegree, type BakeBuilding, type LonLat } from "./input";

export interface GeometryOptions {
  /** Close the underside of each building (visible from underground views). */
  bottomCaps: boolean;
  /** Hip roofs on low-rise (< 7 floors) rectangular residential buildings. */
  pitchedRoofs: boolean;
}

export interface TileMesh {
  positions: Float32Array;
  normals: Float32Array;
  featureIds: Float32Array;
  indices: Uint16Array | Uint32Array;
  vertexCount: number;
  triangleCount: number;
  /** Per-component min/max of the float32 positions (glTF accessor min/max). */
  min: [number, number, number];
  max: [number, number, number];
}

type V3 = [number, number, number];

const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const len = (a: V3) => Math.hypot(a[0], a[1], a[2]);

/** Newell's normal of a planar-ish polygon: robust for quads and many-sided rings. */
function newell(points: V3[]): V3 {
  let x = 0;
  let y = 0;
  let z = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i];
    const b = points[(i + 1) % points.length];
    x += (a[1] - b[1]) * (a[2] + b[2]);
    y += (a[2] - b[2]) * (a[0] + b[0]);
    z += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return [x, y, z];
}

/** Minimum triangle area kept (m²); anything smaller is a sliver of no visual value. */
const MIN_TRIANGLE_AREA = 1e-4;

class MeshBuilder {
  pos: number[] = [];
  nrm: number[] = [];
  fid: number[] = [];
  idx: number[] = [];
  vertexCount = 0;

  /**
   * Adds one flat face: its vertices (local ENU), triangles indexing them, and the outward
   * normal. Triangles are re-wound to agree with the normal and slivers are dropped.
   */
  face(points: V3[], tris: ArrayLike<number>[], normal: V3, featureId: number): void {
    const l = len(normal);
    if (!(l > 0)) return;
    const n: V3 = [normal[0] / l, normal[1] / l, normal[2] / l];
    const kept: number[] = [];
    for (const t of tris) {
      const a = points[t[0]];
      const b = points[t[1]];
      const c = points[t[2]];
      const cr = cross(sub(b, a), sub(c, a));
      if (len(cr) / 2 < MIN_TRIANGLE_AREA) continue;
      if (dot(cr, n) >= 0) kept.push(t[0], t[1], t[2]);
      else kept.push(t[0], t[2], t[1]);
    }
    if (kept.length === 0) return;
    const base = this.vertexCount;
    for (const p of points) {
      // ENU → glTF y-up
      this.pos.push(p[0], p[2], -p[1]);
      this.nrm.push(n[0], n[2], -n[1]);
      this.fid.push(featureId);
    }
    this.vertexCount += points.length;
    for (const k of kept) this.idx.push(base + k);
  }

  finish(): TileMesh {
    const positions = new Float32Array(this.pos);
    const min: [number, number, number] = [Infinity, Infinity, Infinity];
    const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < positions.length; i += 3) {
      for (let c = 0; c < 3; c++) {
        const v = positions[i + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
    // Index 65535 is the primitive-restart value, so uint16 only up to 65535 vertices.
    const indices = this.vertexCount > 65535 ? new Uint32Array(this.idx) : new Uint16Array(this.idx);
    return {
      positions,
      normals: new Float32Array(this.nrm),
      featureIds: new Float32Array(this.fid),
      indices,
      vertexCount: this.vertexCount,
      triangleCount: this.idx.length / 3,
      min,
      max,
    };
  }
}

export function buildTileMesh(buildings: BakeBuilding[], frame: EnuFrame, opts: GeometryOptions): TileMesh {
  const mb = new MeshBuilder();
  buildings.forEach((b, featureId) => emitBuilding(mb, frame, b, featureId, opts));
  return mb.finish();
}

function local(frame: EnuFrame, p: LonLat, h: number): V3 {
  const out: V3 = [0, 0, 0];
  frame.toLocal(p[0] * DEG, p[1] * DEG, h, out);
  return out;
}

function emitBuilding(mb: MeshBuilder, frame: EnuFrame, b: BakeBuilding, fid: number, opts: GeometryOptions): void {
  const hip = opts.pitchedRoofs ? hipRoofPlan(b) : undefined;
  const wallTop = hip ? hip.eaveM : b.props.heightM;
  for (const rings of b.polygons) {
    const base = rings.map((ring) => ring.map((p) => local(frame, p, 0)));
    const top = rings.map((ring) => ring.map((p) => local(frame, p, wallTop)));

    // Walls: one quad per edge; outer rings are CCW and holes CW, so (edge × up) points out.
    rings.forEach((ring, r) => {
      for (let i = 0; i < ring.length; i++) {
        const j = (i + 1) % ring.length;
        const quad: V3[] = [base[r][i], base[r][j], top[r][j], top[r][i]];
        const normal = cross(sub(quad[1], quad[0]), sub(quad[3], quad[0]));
        mb.face(
          quad,
          [
            [0, 1, 2],
            [0, 2, 3],
          ],
          normal,
          fid,
        );
      }
    });

    // Caps: triangulate the footprint once (in the local plane), use it for roof and bottom.
    const contour = base[0].map((p) => new Vector2(p[0], p[1]));
    const holes = base.slice(1).map((ring) => ring.map((p) => new Vector2(p[0], p[1])));
    const tris = ShapeUtils.triangulateShape(contour, holes);
    const flatTop = top.flat();
    const flatBase = base.flat();
    if (!hip) mb.face(flatTop, tris, newell(top[0]), fid);
    if (opts.bottomCaps) {
      const down = newell(base[0]);
      mb.face(flatBase, tris, [-down[0], -down[1], -down[2]], fid);
    }
  }
  if (hip) {
    const e = hip.corners.map((p) => local(frame, p, hip.eaveM));
    const ra = local(frame, hip.ridgeA, b.props.heightM);
    const rb = local(frame, hip.ridgeB, b.props.heightM);
    const faces: V3[][] = hip.pyramid
      ? [
          [e[0], e[1], ra],
          [e[1], e[2], ra],
          [e[2], e[3], ra],
          [e[3], e[0], ra],
        ]
      : [
          [e[0], e[1], rb, ra],
          [e[1], e[2], rb],
          [e[2], e[3], ra, rb],
          [e[3], e[0], ra],
        ];
    for (const f of faces) {
      mb.face(
        f,
        f.length === 4
          ? [
              [0, 1, 2],
              [0, 2, 3],
            ]
          : [[0, 1, 2]],
        newell(f),
        fid,
      );
    }
  }
}

export interface HipRoofPlan {
  /** Footprint corners, CCW, rotated so that edge 0→1 is a long side. */
  corners: LonLat[];
  ridgeA: LonLat;
  ridgeB: LonLat;
  /** Wall-top (eave) height; the ridge is at heightM. */
  eaveM: number;
  /** Square footprint: the ridge collapses to a point. */
  pyramid: boolean;
}

/** Low-rise rectangular residential buildings get a hip roof; anything else stays flat. */
export function hipRoofPlan(b: BakeBuilding): HipRoofPlan | undefined {
  const p = b.props;
  if (p.use !== "residential" || p.floors === undefined || p.floors >= 7) return undefined;
  if (b.polygons.length !== 1 || b.polygons[0].length !== 1 || b.polygons[0][0].length !== 4) return undefined;
  const ring = b.polygons[0][0];
  // local metres, relative to the first corner
  const [kx, ky] = metresPerDegree(ring[0][1]);
  const xy = ring.map(([lon, lat]) => [(lon - ring[0][0]) * kx, (lat - ring[0][1]) * ky]);
  const edge = (i: number) => {
    const a = xy[i];
    const c = xy[(i + 1) % 4];
    return [c[0] - a[0], c[1] - a[1]];
  };
  for (let i = 0; i < 4; i++) {
    const u = edge(i);
    const v = edge((i + 1) % 4);
    const cos = (u[0] * v[0] + u[1] * v[1]) / (Math.hypot(u[0], u[1]) * Math.hypot(v[0], v[1]));
    if (Math.abs(cos) > 0.05) return undefined; // not a rectangle
  }
  const l0 = Math.hypot(...(edge(0) as [number, number]));
  const l1 = Math.hypot(...(edge(1) as [number, number]));
  const start = l0 >= l1 ? 0 : 1;
  const corners = [0, 1, 2, 3].map((k) => ring[(k + start) % 4]);
  const lengthM = Math.max(l0, l1);
  const widthM = Math.min(l0, l1);
  if (widthM < 5 || widthM > 30) return undefined;
  // ~30° pitch, but never more than 4 m nor 40 % of the building.
  const rise = Math.min(widthM * 0.29, 4, p.heightM * 0.4);
  const eaveM = p.heightM - rise;
  if (rise < 1 || eaveM < 2.5) return undefined;
  const mid = (a: LonLat, c: LonLat): LonLat => [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2];
  const [c0, c1, c2, c3] = corners;
  const pyramid = lengthM - widthM < 0.05;
  const t = pyramid ? 0.5 : widthM / 2 / lengthM;
  const dir: LonLat = [c1[0] - c0[0], c1[1] - c0[1]];
  const ma = mid(c3, c0);
  const mbm = mid(c1, c2);
  const ridgeA: LonLat = [ma[0] + dir[0] * t, ma[1] + dir[1] * t];
  const ridgeB: LonLat = pyramid ? ridgeA : [mbm[0] - dir[0] * t, mbm[1] - dir[1] * t];
  return { corners, ridgeA, ridgeB, eaveM, pyramid };
}
