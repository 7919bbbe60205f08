// Facts the demo city is laid out on (public sources; WGS84). KPI targets are NOT here: they
// live in data/kpis.json and the generator reads them from there.

export const FACTS = {
  kangbashi: {
    /** The central axis runs north–south along this meridian (Genghis Khan Square). */
    axisLon: 109.785,
    /** District centre latitude (39.597 N); the local frame's origin. */
    centreLat: 39.597,
    /** Resident population, 2020 census. */
    population: 118_796,
    genghisKhanSquare: [109.785, 39.604] as const,
    ordosMuseum: [109.778, 39.6] as const,
  },
  dongsheng: {
    centreLon: 109.96,
    centreLat: 39.81,
  },
  /** The city's elevation (m) — not used for heights (the viewer has no terrain model). */
  elevationM: 1305,
} as const;

/** The names of the districts in the boundary file, with English names. */
export const DISTRICT_NAMES: Record<number, { zh: string; en: string }> = {
  150600: { zh: "鄂尔多斯市", en: "Ordos" },
  150602: { zh: "东胜区", en: "Dongsheng" },
  150603: { zh: "康巴什区", en: "Kangbashi" },
  150621: { zh: "达拉特旗", en: "Dalad Banner" },
  150622: { zh: "准格尔旗", en: "Jungar Banner" },
  150623: { zh: "鄂托克前旗", en: "Otog Front Banner" },
  150624: { zh: "鄂托克旗", en: "Otog Banner" },
  150625: { zh: "杭锦旗", en: "Hanggin Banner" },
  150626: { zh: "乌审旗", en: "Uxin Banner" },
  150627: { zh: "伊金霍洛旗", en: "Ejin Horo Banner" },
};
