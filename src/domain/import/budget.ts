// The browser's memory budget for one imported file (kept apart from the parsers so the main
// bundle can refuse a big file without loading them).
import type { I18n } from "../catalog";

/** The memory budget for one file parsed in the browser; larger files go through `npm run import`. */
export const IMPORT_BUDGET_BYTES = 200 * 1024 * 1024;

const mb = (n: number) => (n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0);
/** The message for a file over the browser's memory budget: the limit, and what to do. */
export function overBudget(size: number, budget: number): I18n {
  return {
    zh: `文件 ${mb(size)} MB，超过浏览器导入上限 ${mb(budget)} MB：请用 npm run import 在构建时导入（不受浏览器内存限制），或先拆分文件`,
    en: `is ${mb(size)} MB, over the browser import limit of ${mb(budget)} MB: import it at build time with npm run import (no browser memory limit), or split the file`,
  };
}
