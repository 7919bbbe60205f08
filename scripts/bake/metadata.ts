// EXT_structural_metadata for buildings: one class, one property table per tile (one row per
// building, row = feature id). Binary layout per the 3D Metadata spec: little-endian arrays,
// strings as UTF-8 bytes + UINT32 offsets (count + 1), booleans bit-packed LSB first.

import type { BakeProps } from "./input";
import { BUILDING_USES, OTHER_USE } from "./input";

export const SCHEMA_ID = "warm_city_buildings";
export const CLASS_ID = "building";
export const USE_ENUM_ID = "BuildingUse";

// "No data" sentinels: Cesium returns undefined for them, so optional properties read back
// as undefined (the project's convention), not as 0 or "".
export const NO_DATA = {
  floors: 0xffff,
  yearBuilt: 0,
  residents: 0xffffffff,
  floorAreaM2: -1,
  string: "",
} as const;

export const USE_ENUM_VALUES: ReadonlyArray<{ name: string; value: number }> = [
  ...BUILDING_USES.map((name, value) => ({ name, value })),
  { name: OTHER_USE, value: 255 },
];

type ScalarComponent = "UINT8" | "UINT16" | "UINT32" | "FLOAT32";
export interface ClassProperty {
  type: "SCALAR" | "STRING" | "BOOLEAN" | "ENUM";
  componentType?: ScalarComponent;
  enumType?: string;
  required?: boolean;
  noData?: number | string;
  semantic?: string;
  description?: string;
}

export const BUILDING_CLASS: { name: string; description: string; properties: Record<keyof BakeProps, ClassProperty> } = {
  name: "Building",
  description: "A building footprint extruded to its height (citySchema.ts BuildingProps).",
  properties: {
    id: { type: "STRING", required: true, semantic: "ID", description: "Stable building id." },
    use: { type: "ENUM", enumType: USE_ENUM_ID, required: true, description: "Main use." },
    floors: { type: "SCALAR", componentType: "UINT16", noData: NO_DATA.floors, description: "Floors above ground." },
    heightM: { type: "SCALAR", componentType: "FLOAT32", required: true, description: "Height above ground, metres." },
    yearBuilt: { type: "SCALAR", componentType: "UINT16", noData: NO_DATA.yearBuilt },
    residents: { type: "SCALAR", componentType: "UINT32", noData: NO_DATA.residents },
    heatMetered: { type: "BOOLEAN", description: "Heat metering installed (热计量)." },
    floorAreaM2: { type: "SCALAR", componentType: "FLOAT32", noData: NO_DATA.floorAreaM2, description: "Heated floor area, m²." },
    name: { type: "STRING", noData: NO_DATA.string, semantic: "NAME" },
    compoundId: { type: "STRING", noData: NO_DATA.string, description: "Residential compound id." },
    district: { type: "STRING", noData: NO_DATA.string },
    landmark: { type: "BOOLEAN" },
    source: { type: "STRING", noData: NO_DATA.string, description: "synthetic | real" },
  },
};

export const PROPERTY_NAMES = Object.keys(BUILDING_CLASS.properties) as Array<keyof BakeProps>;

export function buildingSchema(): object {
  return {
    id: SCHEMA_ID,
    name: "Warm City Twin buildings",
    version: "1.0.0",
    enums: {
      [USE_ENUM_ID]: { valueType: "UINT8", values: USE_ENUM_VALUES.map((v) => ({ name: v.name, value: v.value })) },
    },
    classes: { [CLASS_ID]: BUILDING_CLASS },
  };
}

/** One property-table column: its JSON (with placeholder bufferView slots) and its buffers. */
export interface EncodedColumn {
  name: string;
  values: Uint8Array;
  stringOffsets?: Uint8Array;
}

const utf8 = new TextEncoder();

export function encodePropertyTable(rows: BakeProps[]): EncodedColumn[] {
  const n = rows.length;
  const cols: EncodedColumn[] = [];
  for (const name of PROPERTY_NAMES) {
    const def = BUILDING_CLASS.properties[name];
    const get = (r: BakeProps) => r[name];
    if (def.type === "STRING") {
      const parts = rows.map((r) => utf8.encode((get(r) as string | undefined) ?? NO_DATA.string));
      const total = parts.reduce((a, b) => a + b.length, 0);
      const values = new Uint8Array(total);
      const offsets = new Uint32Array(n + 1);
      let o = 0;
      parts.forEach((b, i) => {
        offsets[i] = o;
        values.set(b, o);
        o += b.length;
      });
      offsets[n] = o;
      // glTF forbids empty bufferViews: an optional column with no data at all is left out
      // of the table (readers then return the class default, i.e. undefined).
      if (total === 0 && !def.required) continue;
      cols.push({ name, values, stringOffsets: new Uint8Array(offsets.buffer) });
    } else if (def.type === "BOOLEAN") {
      const bits = new Uint8Array(Math.ceil(n / 8));
      rows.forEach((r, i) => {
        if (get(r) === true) bits[i >> 3] |= 1 << (i & 7);
      });
      cols.push({ name, values: bits });
    } else if (def.type === "ENUM") {
      const codes = new Uint8Array(n);
      rows.forEach((r, i) => {
        const v = USE_ENUM_VALUES.find((e) => e.name === get(r));
        codes[i] = v ? v.value : 255;
      });
      cols.push({ name, values: codes });
    } else {
      const noData = def.noData as number | undefined;
      const arr =
        def.componentType === "UINT16"
          ? new Uint16Array(n)
          : def.componentType === "UINT32"
            ? new Uint32Array(n)
            : def.componentType === "UINT8"
              ? new Uint8Array(n)
              : new Float32Array(n);
      rows.forEach((r, i) => {
        const v = get(r) as number | undefined;
        arr[i] = v === undefined ? (noData ?? 0) : v;
      });
      cols.push({ name, values: new Uint8Array(arr.buffer) });
    }
  }
  return cols;
}
