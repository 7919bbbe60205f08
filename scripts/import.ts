// npm run import -- <file> --as <role|layer id> [--crs <crs>] [--encoding gbk|utf-8] [--dry-run]
//
// Build-time import: the same parsers and CRS conversion as the browser (src/domain/import),
// written into the project's data so the built app (and every user of it) shows real data in
// place of the demo layer, with no browser storage and no size limit:
//   - the converted WGS84 GeoJSON goes to public/imported/<layer>.geojson;
//   - data/catalog.json's layer (found by id or by role) points at it and credits the file;
//   - for the buildings (a 3D Tiles layer) the footprints are baked into 3D Tiles 1.1 under
//     public/imported/tiles/<layer>/ (heights from height / building:levels × 3 m), and the
//     GeoJSON is the layer's `features` (what the cockpit's KPIs read);
//   - for a ground layer baked to tiles (catalog `tiles`: land use, parks, roads, water …) its
//     ground tileset is baked again, now from the imported data (scripts/bake/ground.ts);
//   - if the baked tiles were up to date before, their stamp is renewed, so `npm start` does
//     not bake everything again (otherwise it does: the stamp hashes the catalog and imported data).
// A file whose geometry does not fit the layer, or that cannot be read, stops with the same
// message the browser shows (Chinese and English).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Feature } from "geojson";
import { validateCatalog, type LayerSpec } from "../src/domain/catalog";
import { normalise, openBundle } from "../src/domain/bundle";
import { ImportError, importData } from "../src/domain/import/parse";
import { heightOfProps, MY_DATA_GROUP } from "../src/domain/imports";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface ImportCliOptions {
  file: string;
  /** The file's bytes when they do not come from `file` (a data file inside an export bundle). */
  bytes?: Uint8Array;
  as: string;
  crs?: string;
  encoding?: string;
  root?: string;
  dryRun?: boolean;
  log?: (s: string) => void;
}

export async function importIntoProject(o: ImportCliOptions): Promise<{ layerId: string; features: number; url: string }> {
  const root = o.root ?? ROOT;
  const log = o.log ?? console.log;
  const catalogPath = join(root, "data", "catalog.json");
  const raw = readFileSync(catalogPath, "utf8");
  const json = JSON.parse(raw) as { layers: Array<Record<string, unknown>> };
  const catalog = validateCatalog(json, "data/catalog.json");
  const spec = catalog.layers.find((l) => l.id === o.as) ?? catalog.layers.find((l) => l.role === o.as);
  if (!spec)
    throw new Error(
      `--as ${o.as}: no layer with that id or role in data/catalog.json (ids: ${catalog.layers.map((l) => l.id).join(", ")})`,
    );
  const name = basename(o.file);
  const r = importData({
    name,
    bytes: o.bytes ?? new Uint8Array(readFileSync(o.file)),
    crs: o.crs,
    encoding: o.encoding,
    budgetBytes: Number.MAX_SAFE_INTEGER,
  });
  const want = spec.kind === "3dtiles" ? "polygon" : spec.kind;
  const layer = r.layers.find((l) => l.kind === want);
  if (!layer)
    throw new ImportError({
      zh: `${name}：图层“${spec.title.zh}”需要${want === "point" ? "点" : want === "line" ? "线" : "面"}要素，文件中只有 ${r.layers.map((l) => l.kind).join("、")}`,
      en: `${name}: layer "${spec.title.en}" needs ${want} features; the file has ${r.layers.map((l) => l.kind).join(", ")}`,
    });
  const others = r.layers.filter((l) => l !== layer).reduce((s, l) => s + l.fc.features.length, 0);
  log(
    `${name}: ${r.format}, ${r.crsLabel.en} (${r.crsSource}), ${layer.fc.features.length} ${want} feature(s)${others ? `, ${others} of other kinds left out` : ""}${r.skipped ? `, ${r.skipped} skipped` : ""}`,
  );
  for (const w of r.warnings) log(`  warning: ${w.en}`);
  const outDir = join(root, "public", "imported");
  const geojsonRel = `imported/${spec.id}.geojson`;
  const entry = json.layers.find((l) => l.id === spec.id)!;
  entry.source = { zh: `导入：${name}（${r.crsLabel.zh}）`, en: `Imported: ${name} (${r.crsLabel.en})` };
  if (o.dryRun) return { layerId: spec.id, features: layer.fc.features.length, url: geojsonRel };
  // Only the real project has the bake stamp (tests import into a temp copy).
  const tilesWereFresh = root === ROOT && (await import("./prepare")).bakedTilesFresh();
  mkdirSync(outDir, { recursive: true });
  if (spec.kind === "3dtiles") {
    // The baker wants heightM and an id on every footprint.
    let noHeight = 0;
    layer.fc.features = layer.fc.features.map((f: Feature, i) => {
      const p = { ...(f.properties ?? {}) } as Record<string, unknown>;
      const h = heightOfProps(p);
      if (h === undefined) noHeight++;
      return { ...f, properties: { ...p, id: String(p.id ?? `b${i + 1}`), heightM: h ?? 10 } };
    });
    if (noHeight) log(`  ${noHeight} footprint(s) without height or building:levels drawn 10 m high`);
    writeFileSync(join(outDir, `${spec.id}.geojson`), JSON.stringify(layer.fc));
    const { bakeBuildings } = (await import("./bake/index")) as {
      bakeBuildings: (i: string, o: string, opts?: object) => Promise<{ tiles: number; buildings: number; bytes: number }>;
    };
    const tilesDir = join(outDir, "tiles", spec.id);
    const b = await bakeBuildings(join(outDir, `${spec.id}.geojson`), tilesDir, { log: (s: string) => log(`  bake: ${s}`) });
    log(
      `  baked ${b.buildings} buildings into ${b.tiles} tiles (${(b.bytes / 1048576).toFixed(1)} MB) in public/imported/tiles/${spec.id}/`,
    );
    entry.url = `imported/tiles/${spec.id}/tileset.json`;
    entry.features = geojsonRel;
  } else {
    writeFileSync(join(outDir, `${spec.id}.geojson`), JSON.stringify(layer.fc));
    entry.url = geojsonRel;
    if (spec.tiles) {
      // Baked ground: the tileset this layer shares is baked again, reading the imported file.
      const { bakeGround, groundTilesets } = await import("./bake/ground");
      const set = groundTilesets(json as unknown as Parameters<typeof groundTilesets>[0], join(root, "public")).find(
        (t) => t.url === spec.tiles,
      )!;
      const g = await bakeGround(set.layers, set.outDir);
      log(
        `  baked ground tiles (${set.layers.map((l) => l.id).join(", ")}) → public/${dirname(spec.tiles)}: ${g.layers[spec.id]?.features ?? 0} ${spec.id} feature(s), ${g.contentTiles} tiles, ${(g.bytes / 1e6).toFixed(1)} MB`,
      );
    }
  }
  // Keep the manifest's own indentation, and validate what we write.
  const indent = /\n(\s+)"/.exec(raw)?.[1] ?? " ";
  validateCatalog(json, "data/catalog.json");
  writeFileSync(catalogPath, JSON.stringify(json, null, indent) + "\n");
  if (tilesWereFresh) (await import("./prepare")).stampBakedTiles();
  log(`data/catalog.json: layer "${spec.id}" now reads ${entry.url}`);
  return { layerId: spec.id, features: layer.fc.features.length, url: String(entry.url) };
}

/** Whether a file is an export bundle (a zip holding a catalog.json), not a zipped Shapefile or KMZ. */
export function isBundle(file: string): boolean {
  if (!/\.zip$/i.test(file)) return false;
  try {
    return Object.keys(unzipSync(new Uint8Array(readFileSync(file)))).some((p) => /(^|\/)catalog\.json$/.test(p));
  } catch {
    return false;
  }
}

/**
 * `npm run import -- bundle.zip`: an export bundle (我的数据 → 导出数据包, or any zipped city
 * folder), opened and validated like catalog=<zip> does. A layer with a role the project has
 * replaces that layer's data (as `--as <role>` does, ground re-bake included); any other layer is
 * added to the project's catalog under 我的数据 with its settings, its data in public/imported/,
 * and shown in the default view if it was visible in the bundle.
 */
export async function importBundle(o: {
  file: string;
  root?: string;
  log?: (s: string) => void;
}): Promise<{ replaced: string[]; added: string[] }> {
  const root = o.root ?? ROOT;
  const log = o.log ?? console.log;
  const zipName = basename(o.file);
  const { manifests, files } = openBundle(new Uint8Array(readFileSync(o.file)), zipName);
  const catalogPath = join(root, "data", "catalog.json");
  const project = validateCatalog(JSON.parse(readFileSync(catalogPath, "utf8")), "data/catalog.json");
  const replaced: string[] = [];
  const toAdd: LayerSpec[] = [];
  for (const l of manifests.catalog.layers) {
    const target = l.role ? project.layers.find((p) => p.role === l.role) : undefined;
    if (target) {
      const path = normalise(l.url);
      await importIntoProject({ file: `${zipName}/${path}`, bytes: files[path], as: l.role!, root, log });
      replaced.push(target.id);
    } else toAdd.push(l);
  }
  if (toAdd.length) {
    const raw = readFileSync(catalogPath, "utf8");
    const json = JSON.parse(raw) as { groups: Array<{ id: string }>; layers: Array<Record<string, unknown>> };
    if (!json.groups.some((g) => g.id === MY_DATA_GROUP.id)) json.groups.push(MY_DATA_GROUP);
    mkdirSync(join(root, "public", "imported"), { recursive: true });
    for (const l of toAdd) {
      const clash = json.layers.find((x) => x.id === l.id);
      if (clash && clash.group !== MY_DATA_GROUP.id)
        throw new Error(
          `${zipName}: layer id "${l.id}" is already a project layer outside 我的数据 / My data; rename it in the bundle's catalog.json`,
        );
      let url = l.url;
      if (l.kind !== "3dtiles") {
        writeFileSync(join(root, "public", "imported", `${l.id}.geojson`), files[normalise(l.url)]);
        url = `imported/${l.id}.geojson`;
      }
      const entry = {
        ...JSON.parse(JSON.stringify(l)),
        group: MY_DATA_GROUP.id,
        url,
        source: { zh: `导入：${zipName}（导出包）`, en: `Imported: ${zipName} (bundle)` },
      };
      if (clash) json.layers[json.layers.indexOf(clash)] = entry;
      else json.layers.push(entry);
      log(`${zipName}: layer "${l.id}" (${l.title.en}) added under 我的数据 / My data → ${url}`);
    }
    const indent = /\n(\s+)"/.exec(raw)?.[1] ?? " ";
    validateCatalog(json, "data/catalog.json");
    writeFileSync(catalogPath, JSON.stringify(json, null, indent) + "\n");
    // Shown at start if the bundle showed it: the default view lists it.
    const visible = toAdd.filter((l) => l.visible).map((l) => l.id);
    const viewsPath = join(root, "data", "views.json");
    if (visible.length && existsSync(viewsPath)) {
      const vraw = readFileSync(viewsPath, "utf8");
      const views = JSON.parse(vraw) as { defaultView: string; views: Array<{ id: string; layers?: string[] }> };
      const def = views.views.find((v) => v.id === views.defaultView);
      if (def) {
        def.layers = [...new Set([...(def.layers ?? []), ...visible])];
        writeFileSync(viewsPath, JSON.stringify(views, null, /\n(\s+)"/.exec(vraw)?.[1] ?? " ") + "\n");
        log(`data/views.json: the default view "${def.id}" shows ${visible.join(", ")}`);
      }
    }
  }
  return { replaced, added: toAdd.map((l) => l.id) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (k: string) => {
    const i = args.indexOf(k);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const as = opt("--as");
  const crs = opt("--crs");
  const encoding = opt("--encoding");
  const dryRun = args.includes("--dry-run");
  const file = args.find((a) => !a.startsWith("--"));
  if (file && isBundle(file)) {
    if (as) {
      console.error(`${file} is an export bundle: its layers carry their own roles; leave out --as`);
      process.exit(2);
    }
    importBundle({ file }).catch((e) => {
      if (e instanceof ImportError) console.error(`${e.msg.zh}\n${e.msg.en}`);
      else console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
  } else if (!file || !as) {
    console.error(
      "usage: npm run import -- <file> --as <role|layer id> [--crs EPSG:4546|gk3z:37|gcj02|bd09|…] [--encoding gbk] [--dry-run]\n" +
        "       npm run import -- <bundle.zip>   (an export bundle from 我的数据 / My data, or a zipped city folder)",
    );
    process.exit(2);
  } else
    importIntoProject({ file, as, crs, encoding, dryRun }).catch((e) => {
      if (e instanceof ImportError) console.error(`${e.msg.zh}\n${e.msg.en}`);
      else console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
