// A minimal ESRI Shapefile writer (points and polygons, C/N attribute fields) used to make
// test fixtures with GBK attribute text and the benchmark's 50 MB file. Written from the ESRI
// Shapefile Technical Description (1998) and the dBASE III table layout. Not app code: the app
// only reads shapefiles, through shpjs.

export interface ShpField {
  name: string;
  type: "C" | "N";
  size: number;
  decimals?: number;
}
export interface ShpFeature {
  /** Point: [x, y]; polygon: rings of [x, y] (outer clockwise, as the spec wants). */
  coords: number[] | number[][][];
  props: Record<string, string | number>;
}

/** Encoder for Chinese text in GBK built from the platform's GBK decoder (no extra package). */
export function gbkEncoder(): (s: string) => Uint8Array {
  const dec = new TextDecoder("gbk");
  const table = new Map<string, [number, number]>();
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== "\ufffd" && !table.has(ch)) table.set(ch, [a, b]);
    }
  return (s) => {
    const out: number[] = [];
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) out.push(c);
      else {
        const t = table.get(ch);
        if (!t) throw new Error(`no GBK code for ${ch}`);
        out.push(t[0], t[1]);
      }
    }
    return Uint8Array.from(out);
  };
}

export function writeShapefile(
  kind: "point" | "polygon",
  features: ShpFeature[],
  fields: ShpField[],
  opts: { encode?: (s: string) => Uint8Array; ldid?: number } = {},
): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const encode = opts.encode ?? ((s: string) => new TextEncoder().encode(s));
  const shapeType = kind === "point" ? 1 : 5;
  const contentLens = features.map((f) => {
    if (kind === "point") return 20;
    const rings = f.coords as number[][][];
    const nPts = rings.reduce((s, r) => s + r.length, 0);
    return 44 + 4 * rings.length + 16 * nPts;
  });
  const shpLen = 100 + contentLens.reduce((s, l) => s + 8 + l, 0);
  const shp = new DataView(new ArrayBuffer(shpLen));
  const shx = new DataView(new ArrayBuffer(100 + 8 * features.length));
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const grow = (x: number, y: number) => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  let o = 100;
  features.forEach((f, i) => {
    shx.setInt32(100 + 8 * i, o / 2);
    shx.setInt32(104 + 8 * i, contentLens[i] / 2);
    shp.setInt32(o, i + 1);
    shp.setInt32(o + 4, contentLens[i] / 2);
    shp.setInt32(o + 8, shapeType, true);
    if (kind === "point") {
      const [x, y] = f.coords as number[];
      shp.setFloat64(o + 12, x, true);
      shp.setFloat64(o + 20, y, true);
      grow(x, y);
    } else {
      const rings = f.coords as number[][][];
      let bx0 = Infinity,
        by0 = Infinity,
        bx1 = -Infinity,
        by1 = -Infinity;
      for (const r of rings)
        for (const [x, y] of r) {
          bx0 = Math.min(bx0, x);
          by0 = Math.min(by0, y);
          bx1 = Math.max(bx1, x);
          by1 = Math.max(by1, y);
          grow(x, y);
        }
      shp.setFloat64(o + 12, bx0, true);
      shp.setFloat64(o + 20, by0, true);
      shp.setFloat64(o + 28, bx1, true);
      shp.setFloat64(o + 36, by1, true);
      const nPts = rings.reduce((s, r) => s + r.length, 0);
      shp.setInt32(o + 44, rings.length, true);
      shp.setInt32(o + 48, nPts, true);
      let p = o + 52;
      let start = 0;
      for (const r of rings) {
        shp.setInt32(p, start, true);
        p += 4;
        start += r.length;
      }
      for (const r of rings)
        for (const [x, y] of r) {
          shp.setFloat64(p, x, true);
          shp.setFloat64(p + 8, y, true);
          p += 16;
        }
    }
    o += 8 + contentLens[i];
  });
  for (const [dv, len] of [
    [shp, shpLen],
    [shx, 100 + 8 * features.length],
  ] as const) {
    dv.setInt32(0, 9994);
    dv.setInt32(24, len / 2);
    dv.setInt32(28, 1000, true);
    dv.setInt32(32, shapeType, true);
    dv.setFloat64(36, minX, true);
    dv.setFloat64(44, minY, true);
    dv.setFloat64(52, maxX, true);
    dv.setFloat64(60, maxY, true);
  }

  const recLen = 1 + fields.reduce((s, f) => s + f.size, 0);
  const headerLen = 32 + 32 * fields.length + 1;
  const dbf = new Uint8Array(headerLen + recLen * features.length + 1);
  const dv = new DataView(dbf.buffer);
  dbf[0] = 0x03;
  dbf[1] = 126;
  dbf[2] = 1;
  dbf[3] = 1;
  dv.setUint32(4, features.length, true);
  dv.setUint16(8, headerLen, true);
  dv.setUint16(10, recLen, true);
  dbf[29] = opts.ldid ?? 0;
  fields.forEach((f, i) => {
    const b = 32 + 32 * i;
    dbf.set(new TextEncoder().encode(f.name.slice(0, 10)), b);
    dbf[b + 11] = f.type.charCodeAt(0);
    dbf[b + 16] = f.size;
    dbf[b + 17] = f.decimals ?? 0;
  });
  dbf[headerLen - 1] = 0x0d;
  features.forEach((feat, r) => {
    let p = headerLen + r * recLen;
    dbf[p++] = 0x20;
    for (const f of fields) {
      const v = feat.props[f.name];
      let bytes: Uint8Array;
      if (f.type === "N") {
        const s = v === undefined ? "" : typeof v === "number" ? v.toFixed(f.decimals ?? 0) : String(v);
        bytes = new TextEncoder().encode(s.padStart(f.size).slice(-f.size));
      } else bytes = encode(v === undefined ? "" : String(v)).subarray(0, f.size);
      dbf.fill(0x20, p, p + f.size);
      dbf.set(bytes, p);
      p += f.size;
    }
  });
  dbf[dbf.length - 1] = 0x1a;
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer), dbf };
}

/** ESRI WKT for CGCS2000 3° Gauss-Krüger, as ArcGIS writes it (zone-prefixed or not). */
export function cgcs2000GkPrj(cmDeg: number, zonePrefix: boolean): string {
  const zone = cmDeg / 3;
  const name = zonePrefix ? `CGCS2000_3_Degree_GK_Zone_${zone}` : `CGCS2000_3_Degree_GK_CM_${cmDeg}E`;
  const fe = zonePrefix ? zone * 1_000_000 + 500_000 : 500_000;
  return `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe.toFixed(1)}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cmDeg.toFixed(1)}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
}
