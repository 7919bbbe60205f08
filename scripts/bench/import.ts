// Import throughput benchmark (features/s): the app's import pipeline (src/domain/import, the
// same code the import worker runs) on generated files, side by side in the same run with what
// a user would otherwise write:
//   geojson-100k      100,000 building footprints as GeoJSON (WGS84)    vs JSON.parse alone
//   geojson-100k-gk   the same in CGCS2000 3° GK zone 37 (crs member)   vs JSON.parse alone
//   shapefile-50mb    a ~50 MB zipped Shapefile, GK zone 37, GBK .dbf    vs shpjs parseZip (no CRS help)
// The files are made by scripts/import/shapefileWriter.ts and a seeded generator, in memory.
//
//   npx tsx scripts/bench/import.ts [--features 100000] [--shp-mb 50] [--repeats 3] [--out bench-results/import.json]
//
// `runImportBench(opts)` is what `npm run bench` calls.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { strToU8, zipSync } from "fflate";
import { parseZip } from "shpjs";
import { fromWgs84, parseCrs } from "../../src/domain/crs";
import { importData } from "../../src/domain/import/parse";
import { cgcs2000GkPrj, gbkEncoder, writeShapefile, type ShpFeature } from "../import/shapefileWriter";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ImportBenchOptions {
  features?: number;
  shpMb?: number;
  repeats?: number;
  out?: string;
  log?: (s: string) => void;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Seeded footprints around Kangbashi: small rectangles with 5–9 vertices, heights, GBK names. */
function footprints(n: number, seed = 1): Array<{ ring: number[][]; height: number; use: string; name: string }> {
  const r = rng(seed);
  const uses = ["住宅", "商业", "办公", "学校", "医院", "工业"];
  const out = [];
  for (let i = 0; i < n; i++) {
    const x = 109.7 + r() * 0.25;
    const y = 39.55 + r() * 0.12;
    const w = 0.0002 + r() * 0.0004;
    const h = 0.00015 + r() * 0.0003;
    const ring = [
      [x, y],
      [x, y + h],
      [x + w * 0.5, y + h * 1.1],
      [x + w, y + h],
      [x + w, y],
      [x, y],
    ];
    out.push({ ring, height: Math.round(6 + r() * 90), use: uses[i % uses.length], name: `康巴什${uses[i % uses.length]}楼${i}` });
  }
  return out;
}

function geojsonText(fp: ReturnType<typeof footprints>, gk: boolean): string {
  const tf = fromWgs84(parseCrs("gk3z:37")!);
  return JSON.stringify({
    type: "FeatureCollection",
    ...(gk ? { crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4525" } } } : {}),
    features: fp.map((f, i) => ({
      type: "Feature",
      properties: { id: `b${i}`, name: f.name, use: f.use, height: f.height },
      geometry: { type: "Polygon", coordinates: [gk ? f.ring.map(([x, y]) => tf(x, y).map((v) => +v.toFixed(3))) : f.ring] },
    })),
  });
}

function shapefileZip(targetMb: number): { zip: Uint8Array; features: number } {
  // ~6 vertices × 16 B + 56 B header per record ≈ 152 B in .shp, + ~60 B in .dbf, + .shx.
  const n = Math.round((targetMb * 1048576) / 215);
  const tf = fromWgs84(parseCrs("gk3z:37")!);
  const fp = footprints(n, 7);
  const feats: ShpFeature[] = fp.map((f) => ({
    coords: [
      f.ring
        .slice()
        .reverse()
        .map(([x, y]) => tf(x, y)),
    ],
    props: { NAME: f.name, USE: f.use, HEIGHT: f.height },
  }));
  const { shp, shx, dbf } = writeShapefile(
    "polygon",
    feats,
    [
      { name: "NAME", type: "C", size: 40 },
      { name: "USE", type: "C", size: 8 },
      { name: "HEIGHT", type: "N", size: 6 },
    ],
    { encode: gbkEncoder(), ldid: 0x4d },
  );
  // level 0: stored, like most exports; the bench measures parsing, not inflate.
  const zip = zipSync({
    "buildings.shp": [shp, { level: 0 }],
    "buildings.shx": [shx, { level: 0 }],
    "buildings.dbf": [dbf, { level: 0 }],
    "buildings.prj": strToU8(cgcs2000GkPrj(111, true)),
    "buildings.cpg": strToU8("GBK"),
  });
  return { zip, features: n };
}

function timeIt(repeats: number, fn: () => unknown): number {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}
async function timeAsync(repeats: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

export interface ImportBenchRow {
  case: string;
  features: number;
  mb: number;
  ms: number;
  featuresPerS: number;
  baseline: string;
  baselineMs: number;
  /** app time ÷ baseline time (>1: the app does more work than the baseline). */
  ratio: number;
}

export async function runImportBench(opts: ImportBenchOptions = {}): Promise<{ rows: ImportBenchRow[]; date: string; machine: object }> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const n = opts.features ?? 100_000;
  const repeats = opts.repeats ?? 3;
  const rows: ImportBenchRow[] = [];
  log(`import bench: ${n.toLocaleString("en-US")} footprints, shapefile ≈ ${opts.shpMb ?? 50} MB, median of ${repeats}`);
  const fp = footprints(n);
  for (const gk of [false, true]) {
    const text = geojsonText(fp, gk);
    const bytes = new TextEncoder().encode(text);
    const k = n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);
    const name = gk ? `geojson-${k}-gk` : `geojson-${k}`;
    let count = 0;
    const ms = timeIt(repeats, () => (count = importData({ name: "b.geojson", bytes }).featureCount));
    const base = timeIt(repeats, () => JSON.parse(new TextDecoder().decode(bytes)));
    rows.push({
      case: name,
      features: count,
      mb: bytes.length / 1048576,
      ms,
      featuresPerS: (count / ms) * 1000,
      baseline: "JSON.parse",
      baselineMs: base,
      ratio: ms / base,
    });
    log(
      `  ${name}: ${(bytes.length / 1048576).toFixed(1)} MB, ${ms.toFixed(0)} ms, ${Math.round((count / ms) * 1000).toLocaleString("en-US")} features/s (JSON.parse alone ${base.toFixed(0)} ms)`,
    );
  }
  const shp = shapefileZip(opts.shpMb ?? 50);
  let count = 0;
  const ms = timeIt(repeats, () => (count = importData({ name: "b.zip", bytes: shp.zip }).featureCount));
  const base = await timeAsync(repeats, () => parseZip(shp.zip));
  rows.push({
    case: `shapefile-${Math.round(shp.zip.length / 1048576)}mb`,
    features: count,
    mb: shp.zip.length / 1048576,
    ms,
    featuresPerS: (count / ms) * 1000,
    baseline: "shpjs parseZip",
    baselineMs: base,
    ratio: ms / base,
  });
  log(
    `  shapefile: ${(shp.zip.length / 1048576).toFixed(1)} MB zip, ${count.toLocaleString("en-US")} features, ${ms.toFixed(0)} ms, ${Math.round((count / ms) * 1000).toLocaleString("en-US")} features/s (shpjs parseZip ${base.toFixed(0)} ms)`,
  );
  log("");
  log("| case | MB | features | app ms | features/s | baseline | baseline ms | app ÷ baseline |");
  log("|---|---|---|---|---|---|---|---|");
  for (const r of rows)
    log(
      `| ${r.case} | ${r.mb.toFixed(1)} | ${r.features.toLocaleString("en-US")} | ${r.ms.toFixed(0)} | ${Math.round(r.featuresPerS).toLocaleString("en-US")} | ${r.baseline} | ${r.baselineMs.toFixed(0)} | ${r.ratio.toFixed(2)} |`,
    );
  const result = { rows, date: new Date().toISOString(), machine: { cpus: cpus().length, loadavg: loadavg(), node: process.version } };
  const out = opts.out ?? join(ROOT, "bench-results", "import.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2));
  log(`wrote ${out}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (k: string) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  runImportBench({
    features: arg("--features") ? Number(arg("--features")) : undefined,
    shpMb: arg("--shp-mb") ? Number(arg("--shp-mb")) : undefined,
    repeats: arg("--repeats") ? Number(arg("--repeats")) : undefined,
    out: arg("--out"),
  }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
