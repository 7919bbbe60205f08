// UI strings: Chinese first, English by the language switch.
import type { Lang } from "../domain/catalog";

const STRINGS = {
  appTitle: { zh: "暖城孪生 · 鄂尔多斯城市信息模型沙盘", en: "Warm City Twin · Ordos CIM sandbox" },
  appSubtitle: { zh: "康巴什 · 东胜 中心城区", en: "Kangbashi · Dongsheng central city" },
  layers: { zh: "图层", en: "Layers" },
  offline: { zh: "离线运行", en: "Offline" },
  synthetic: { zh: "示范城市为合成数据", en: "Demo city data is synthetic" },
  home: { zh: "回到首页视角", en: "Home view" },
  night: { zh: "夜间", en: "Night" },
  day: { zh: "白天", en: "Day" },
  quality: { zh: "画质", en: "Quality" },
  qAuto: { zh: "自动", en: "Auto" },
  qLow: { zh: "流畅", en: "Low" },
  qHigh: { zh: "高清", en: "High" },
  loading: { zh: "加载中", en: "Loading" },
  failed: { zh: "加载失败", en: "Failed" },
  features: { zh: "要素", en: "features" },
  skipped: { zh: "条无效已跳过", en: "invalid skipped" },
  opacity: { zh: "透明度", en: "Opacity" },
  legend: { zh: "图例", en: "Legend" },
  inspector: { zh: "要素属性", en: "Feature" },
  close: { zh: "关闭", en: "Close" },
  retry: { zh: "重试", en: "Retry" },
  collapse: { zh: "收起", en: "Collapse" },
  expand: { zh: "展开", en: "Expand" },
  manifestError: { zh: "配置文件有误，无法启动", en: "A manifest is invalid; the viewer cannot start" },
  dismiss: { zh: "知道了", en: "Dismiss" },
  layer: { zh: "图层", en: "Layer" },
  notLoaded: { zh: "未加载", en: "not loaded" },
  credits: { zh: "数据来源", en: "Data sources" },
  // Import (我的数据 / My data)
  importTitle: { zh: "导入数据", en: "Import data" },
  importDrop: { zh: "把文件拖到这里，或", en: "Drop files here, or" },
  importChoose: { zh: "选择文件", en: "choose files" },
  importFormats: { zh: "GeoJSON · CSV · KML/KMZ · GPX · Shapefile(zip) · CZML · OSM", en: "GeoJSON · CSV · KML/KMZ · GPX · Shapefile (zip) · CZML · OSM" },
  importUrl: { zh: "数据网址或 3D Tiles tileset.json", en: "Data URL or a 3D Tiles tileset.json" },
  importAdd: { zh: "添加", en: "Add" },
  importCrs: { zh: "坐标系", en: "Coordinates" },
  importEncoding: { zh: "编码", en: "Encoding" },
  importEncAuto: { zh: "自动识别", en: "Detect" },
  importCancel: { zh: "取消", en: "Cancel" },
  importRemove: { zh: "移除", en: "Remove" },
  importStyle: { zh: "着色", en: "Colour" },
  importStyleSingle: { zh: "单一颜色", en: "Single colour" },
  importStyleHeight: { zh: "按高度", en: "By height" },
  importUseAs: { zh: "用作", en: "Use as" },
  importUseDemo: { zh: "不替换（保留演示数据）", en: "Nothing (keep demo data)" },
  importBadge: { zh: "导入数据", en: "Imported" },
  importBadgeTip: { zh: "此指标由导入的数据计算", en: "Computed from imported data" },
  importDropHere: { zh: "松开鼠标即导入", en: "Release to import" },
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof STRINGS;
export function t(lang: Lang, key: StringKey): string {
  return STRINGS[key][lang];
}

export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return n.toLocaleString(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
