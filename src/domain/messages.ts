// User-facing messages that are made outside React — in the parsing and cockpit workers, the
// layer manager, the updaters — as zh/en pairs, Chinese first. They travel as plain `I18n`
// objects (structured-clone safe) and the UI picks the user's language when it shows them.
// UI labels live in src/ui/i18n.ts; this table is for sentences with parameters.
import { ManifestError, type I18n } from "./catalog";

/** An Error that carries its message in both languages; `.message` is the English one. */
export class MessageError extends Error {
  constructor(readonly i18n: I18n) {
    super(i18n.en);
    this.name = "MessageError";
  }
}

/** A message from anything thrown: our own MessageError keeps both languages; anything else
 *  (a library's English text) gets a Chinese frame around the original. */
export function messageOf(e: unknown, zhFrame = "出错了"): I18n {
  if (e instanceof MessageError) return e.i18n;
  if (isI18n(e)) return e;
  if (e && typeof e === "object" && isI18n((e as { i18n?: unknown }).i18n)) return (e as { i18n: I18n }).i18n;
  const en = e instanceof Error ? e.message : String(e);
  return { zh: `${zhFrame}：${en}`, en };
}

export function isI18n(v: unknown): v is I18n {
  return !!v && typeof v === "object" && typeof (v as I18n).zh === "string" && typeof (v as I18n).en === "string";
}

/** A plain string (from code that predates the tables) shown as is in both languages. */
export const asI18n = (v: string | I18n): I18n => (typeof v === "string" ? { zh: v, en: v } : v);

const mb = (bytes: number) => (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);

export const M = {
  // Fetching a file.
  http: (status: number, path: string): I18n => ({
    zh: `服务器返回 HTTP ${status}${status === 404 ? "（文件不存在）" : status >= 500 ? "（服务器出错）" : ""}：${path}`,
    en: `HTTP ${status}${status === 404 ? " (file not found)" : status >= 500 ? " (server error)" : ""} for ${path}`,
  }),
  network: (path: string): I18n => ({
    zh: `无法获取 ${path}：网络错误，或该地址不允许跨域访问（CORS），或被安全策略拦截`,
    en: `Could not fetch ${path}: network error, or the server does not allow cross-origin requests (CORS), or the security policy blocked it`,
  }),
  timeout: (seconds: number, path: string): I18n => ({
    zh: `${seconds} 秒内没有收到数据，已停止等待：${path}`,
    en: `No data for ${seconds} s, stopped waiting: ${path}`,
  }),
  tooLarge: (bytes: number, limitBytes: number): I18n => ({
    zh: `文件过大（${mb(bytes)} MB，上限 ${mb(limitBytes)} MB），未加载；请切分文件或转成 3D Tiles`,
    en: `File too large (${mb(bytes)} MB, limit ${mb(limitBytes)} MB), not loaded; split it or convert it to 3D Tiles`,
  }),
  analysisMissing: (id: string): I18n => ({
    zh: `分析结果 “${id}” 没有算出来（它需要的某个图层加载失败？）`,
    en: `analysis result "${id}" was not computed (a layer it needs failed?)`,
  }),
  // GeoJSON.
  htmlNotJson: (): I18n => ({
    zh: "收到的是网页（HTML）而不是数据文件（文件路径是否写错？）",
    en: "Got an HTML page instead of the data file (is the path wrong?)",
  }),
  badJson: (detail: string): I18n => ({ zh: `不是有效的 JSON（${detail}）`, en: `Not valid JSON (${detail})` }),
  emptyFile: (): I18n => ({ zh: "文件是空的", en: "The file is empty" }),
  notFeatureCollection: (got: string): I18n => ({
    zh: `不是 GeoJSON 要素集合（FeatureCollection），而是 ${got}`,
    en: `Not a GeoJSON FeatureCollection (got ${got})`,
  }),
  noFeaturesArray: (): I18n => ({ zh: "要素集合缺少 features 数组", en: "The FeatureCollection has no features array" }),
  allUnusable: (n: number, reasons: I18n): I18n => ({
    zh: `全部 ${n} 个要素都无法使用（${reasons.zh}）`,
    en: `All ${n} features are unusable (${reasons.en})`,
  }),
  tooDeep: (depth: number): I18n => ({
    zh: `JSON 嵌套过深（超过 ${depth} 层），未加载`,
    en: `JSON nested too deeply (over ${depth} levels), not loaded`,
  }),
  skippedNotice: (layer: I18n, n: number, reasons: I18n): I18n => ({
    zh: `${layer.zh}：已跳过 ${n} 个无效要素（${reasons.zh}）`,
    en: `${layer.en}: ${n} invalid feature(s) skipped (${reasons.en})`,
  }),
  emptyLayer: (layer: I18n): I18n => ({ zh: `${layer.zh}：文件里没有要素`, en: `${layer.en}: the file has no features` }),
  caveatNotice: (layer: I18n, what: I18n): I18n => ({ zh: `${layer.zh}：${what.zh}`, en: `${layer.en}: ${what.en}` }),
  // 3D Tiles.
  tilesetVersion: (v: string): I18n => ({
    zh: `3D Tiles 版本 “${v}” 不受支持（支持 1.0 和 1.1）`,
    en: `3D Tiles version “${v}” is not supported (1.0 and 1.1 are)`,
  }),
  tilesetInvalid: (why: I18n): I18n => ({ zh: `tileset.json 无效：${why.zh}`, en: `Invalid tileset.json: ${why.en}` }),
  tileContent: (file: string, why: I18n): I18n => ({
    zh: `瓦片内容 ${file} 无法显示：${why.zh}`,
    en: `Tile content ${file} cannot be shown: ${why.en}`,
  }),
  glbMagic: (magic: string): I18n => ({
    zh: `不是 glb 文件（文件头是 “${magic}”，应为 “glTF”）`,
    en: `Not a glb file (header “${magic}”, expected “glTF”)`,
  }),
  glbTruncated: (declared: number, actual: number): I18n => ({
    zh: `glb 文件不完整（声明 ${declared} 字节，实际只有 ${actual} 字节）`,
    en: `Truncated glb (declares ${declared} bytes, has ${actual})`,
  }),
  // Cockpit (computed in the cockpit worker, shown on the KPI and chart cards).
  kpiLayerFailed: (layer: string, detail: I18n): I18n => ({ zh: `图层 ${layer} 读取失败（${detail.zh}）`, en: `${layer}: ${detail.en}` }),
  kpiNotComputable: (): I18n => ({ zh: "无法从数据计算出结果", en: "the calculator could not compute it from the data" }),
  analysisFailed: (detail: I18n): I18n => ({ zh: `分析计算失败：${detail.zh}`, en: `The analysis failed: ${detail.en}` }),
  cockpitFailed: (detail: I18n): I18n => ({
    zh: `驾驶舱指标计算失败：${detail.zh}`,
    en: `The cockpit could not be computed: ${detail.en}`,
  }),
  httpStatus: (status: number): I18n => ({ zh: `服务器返回 HTTP ${status}`, en: `HTTP ${status}` }),
  // Notices.
  urlParam: (param: string, value: string, reason: string): I18n => ({
    zh: `网址参数 “${param}=${value}” 无效（${reason}），已使用默认值`,
    en: `URL parameter “${param}=${value}”: ${reason}. Using the default.`,
  }),
  noSuchView: (id: string): I18n => ({
    zh: `网址参数 “view=${id}”：没有这个专题视图，显示默认视图`,
    en: `URL parameter “view=${id}”: no view with this id. Showing the default view.`,
  }),
  unknownView: (id: string): I18n => ({ zh: `没有 id 为 “${id}” 的专题视图`, en: `no view with id “${id}”` }),
  viewProblem: (view: string, problem: string): I18n => ({
    zh: `专题视图 ${view} 的配置有问题：${problem}`,
    en: `View ${view}: ${problem}`,
  }),
  contextLost: (): I18n => ({
    zh: "三维画面的图形上下文丢失（显卡驱动重置或显存不足），正在恢复，图层和视角会保留…",
    en: "The 3D view lost its graphics context (GPU reset or out of memory); restoring it with your layers and camera…",
  }),
  contextRestored: (seconds: number): I18n => ({
    zh: `三维画面已恢复（用时 ${seconds.toFixed(1)} 秒）`,
    en: `The 3D view is back (${seconds.toFixed(1)} s)`,
  }),
  contextReloading: (): I18n => ({
    zh: "三维画面的图形上下文丢失，正在重新加载到同一状态…",
    en: "The 3D view lost its graphics context; reloading to the same state…",
  }),
  manifestField: (file: string, field: string): I18n => ({
    zh: `配置文件 ${file} 中的 ${field} 有误`,
    en: `${file}: ${field} is invalid`,
  }),
  manifestFile: (file: string): I18n => ({ zh: `配置文件 ${file} 无法读取`, en: `The manifest ${file} cannot be read` }),
} as const;

/** What the error screen says about a manifest that stops the app: the file and field in both languages, the reason as the validator gave it. */
export function explainFatal(e: unknown): { explain: I18n; detail: string } {
  if (e instanceof ManifestError)
    return { explain: e.field === "(file)" ? M.manifestFile(e.file) : M.manifestField(e.file, e.field), detail: e.message };
  const m = messageOf(e, "启动失败");
  return { explain: m, detail: m.en };
}
