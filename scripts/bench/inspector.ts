// npm run bench:inspector — the inspector toolkit's speed, on the generated demo city, in node
// (the same pure code the browser runs):
//   search    latency per keystroke while typing Chinese names, pinyin initials and ids
//             (median and worst of several rounds), vs a plain scan with String.includes
//   excavate  hit-list time for pits of 30–80 m over the pipe networks, indexed (Flatbush) vs
//             every segment tested (same algorithm without the index); results must agree
// Writes bench-results/inspector.json. Run `npm run data` first.
//
// Not measured here (left for the render bench): the pipe layers' time to ready and frame time
// in 3D vs PolylineVolume entities.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flattenFeatures } from "../../src/domain/geojson";
import { buildPitIndex, excavate, type PitIndex } from "../../src/domain/inspector/excavation";
import { SearchIndex, type SearchDoc } from "../../src/domain/inspector/search";
import { Rng } from "../generate/rng";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CITY = join(ROOT, "public/generated/city");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

export async function runInspectorBench(log: (s: string) => void = console.log) {
  // ------------------------------------------------------------------ search
  const doc = JSON.parse(readFileSync(join(CITY, "search-index.json"), "utf8")) as SearchDoc;
  const buildMs = time(() => new SearchIndex(doc));
  const index = new SearchIndex(doc);
  const names = doc.rows.filter((r) => r[4] && doc.layers[Number(r[0])] === "compounds").map((r) => String(r[4]));
  const typed = [names[0], names[Math.floor(names.length / 2)], "kbs", "dyxq", "pipe-gas-kbs-0012", "康巴什"];
  const perKey: number[] = [];
  const naivePerKey: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const word of typed)
      for (let k = 1; k <= word.length; k++) {
        const q = word.slice(0, k);
        perKey.push(time(() => index.search(q)));
        naivePerKey.push(time(() => doc.rows.filter((r) => String(r[4] ?? "").includes(q) || String(r[1]).includes(q)).slice(0, 50)));
      }
  const search = {
    entries: index.size,
    buildMs: +buildMs.toFixed(1),
    keystrokes: perKey.length,
    medianMs: +median(perKey).toFixed(2),
    maxMs: +Math.max(...perKey).toFixed(2),
    naiveIncludesMedianMs: +median(naivePerKey).toFixed(2),
    targetMs: 50,
    pass: Math.max(...perKey) <= 50,
  };
  log(
    `search: ${search.entries.toLocaleString("en")} entries (index ${search.buildMs} ms); per keystroke median ${search.medianMs} ms, worst ${search.maxMs} ms over ${search.keystrokes} keystrokes (target ≤ 50 ms: ${search.pass ? "PASS" : "MISS"}); plain includes() scan ${search.naiveIncludesMedianMs} ms`,
  );

  // ------------------------------------------------------------------ excavation
  const layers = ["pipes-gas", "pipes-water", "pipes-drainage", "pipes-heating", "pipes-reclaimed", "pipe-nodes"];
  const t0 = performance.now();
  const sources = layers.map((l) => ({
    layerId: l,
    data: flattenFeatures(JSON.parse(readFileSync(join(CITY, `${l}.geojson`), "utf8")).features, l === "pipe-nodes" ? "point" : "line"),
  }));
  const parseMs = performance.now() - t0;
  let idx!: PitIndex;
  const indexMs = time(() => (idx = buildPitIndex(sources)));
  const all = Array.from({ length: idx.items.length }, (_, i) => i);
  const naive: PitIndex = { ...idx, index: { search: () => all } as unknown as PitIndex["index"] };
  const rng = new Rng(8);
  // pits centred on random pipe vertices, so they hit something
  const gas = sources[0].data;
  const pits: Array<Array<[number, number]>> = [];
  for (let i = 0; i < 40; i++) {
    const v = rng.int(0, gas.coords.length / 2 - 1);
    const [x, y] = [gas.coords[2 * v], gas.coords[2 * v + 1]];
    const hx = rng.range(15, 40) / 85_000;
    const hy = rng.range(15, 40) / 111_000;
    pits.push([
      [x - hx, y - hy],
      [x + hx, y - hy],
      [x + hx, y + hy],
      [x - hx, y + hy],
    ]);
  }
  const fast: number[] = [];
  const slow: number[] = [];
  let rows = 0;
  for (const p of pits) {
    let a: ReturnType<typeof excavate>["rows"] = [];
    let b: ReturnType<typeof excavate>["rows"] = [];
    fast.push(time(() => (a = excavate(idx, p, 3).rows)));
    slow.push(time(() => (b = excavate(naive, p, 3).rows)));
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("indexed and unindexed hit lists differ");
    rows += a.length;
  }
  const exc = {
    items: idx.items.length,
    parseMs: +parseMs.toFixed(0),
    indexMs: +indexMs.toFixed(1),
    pits: pits.length,
    meanRows: +(rows / pits.length).toFixed(1),
    indexedMedianMs: +median(fast).toFixed(3),
    unindexedMedianMs: +median(slow).toFixed(2),
    ratio: +(median(slow) / median(fast)).toFixed(0),
  };
  log(
    `excavation: ${exc.items.toLocaleString("en")} segments + nodes (parse ${exc.parseMs} ms, index ${exc.indexMs} ms); ${exc.pits} pits, ${exc.meanRows} rows each; indexed ${exc.indexedMedianMs} ms vs every segment ${exc.unindexedMedianMs} ms (${exc.ratio}×), identical lists`,
  );
  const out = { date: new Date().toISOString(), search, excavation: exc };
  mkdirSync(join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(join(ROOT, "bench-results/inspector.json"), JSON.stringify(out, null, 2) + "\n");
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runInspectorBench().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
