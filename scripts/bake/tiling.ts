// Quadtree over the footprints' bbox. Each building goes to exactly one leaf, by centroid;
// leaves hold at most maxPerTile buildings (unless maxDepth stops the split, e.g. many
// buildings sharing a centroid). Regions are computed afterwards from the real footprints.

import type { BakeBuilding } from "./input";

export interface QuadNode {
  /** "t" for the root, then one digit per level: 0 SW, 1 SE, 2 NW, 3 NE. */
  key: string;
  depth: number;
  buildings: BakeBuilding[];
  children: QuadNode[];
}

export function buildQuadtree(buildings: BakeBuilding[], maxPerTile: number, maxDepth: number): QuadNode {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const b of buildings) {
    w = Math.min(w, b.bbox[0]);
    s = Math.min(s, b.bbox[1]);
    e = Math.max(e, b.bbox[2]);
    n = Math.max(n, b.bbox[3]);
  }
  const root = split("t", 0, buildings, [w, s, e, n], maxPerTile, maxDepth);
  return collapse(root);
}

function split(key: string, depth: number, buildings: BakeBuilding[], box: number[], maxPerTile: number, maxDepth: number): QuadNode {
  if (buildings.length <= maxPerTile || depth >= maxDepth) return { key, depth, buildings, children: [] };
  const mx = (box[0] + box[2]) / 2;
  const my = (box[1] + box[3]) / 2;
  const quads: BakeBuilding[][] = [[], [], [], []];
  // input order is kept inside each quadrant, so feature ids are stable
  for (const b of buildings) quads[(b.centroid[0] >= mx ? 1 : 0) + (b.centroid[1] >= my ? 2 : 0)].push(b);
  const boxes = [
    [box[0], box[1], mx, my],
    [mx, box[1], box[2], my],
    [box[0], my, mx, box[3]],
    [mx, my, box[2], box[3]],
  ];
  const children: QuadNode[] = [];
  quads.forEach((q, i) => {
    if (q.length) children.push(split(key + i, depth + 1, q, boxes[i], maxPerTile, maxDepth));
  });
  return { key, depth, buildings: [], children };
}

/** Replaces chains of single-child internal nodes by their child, and renumbers depths. */
function collapse(node: QuadNode, depth = 0): QuadNode {
  let n = node;
  while (n.children.length === 1) n = n.children[0];
  return { key: depth === 0 ? "t" : n.key, depth, buildings: n.buildings, children: n.children.map((c) => collapse(c, depth + 1)) };
}

export function leaves(node: QuadNode): QuadNode[] {
  return node.children.length ? node.children.flatMap(leaves) : [node];
}
