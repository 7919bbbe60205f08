// formatNumber keeps one Intl.NumberFormat per language and digits; the text must not change.
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../src/ui/i18n";

describe("formatNumber", () => {
  it("groups thousands and rounds to the digits asked for, per language", () => {
    expect(formatNumber(12345.678, "en", 1)).toBe("12,345.7");
    expect(formatNumber(12345.678, "zh", 1)).toBe("12,345.7");
    expect(formatNumber(2.5, "en")).toBe("3");
    expect(formatNumber(0.1, "zh", 2)).toBe("0.10");
    expect(formatNumber(-1234, "en")).toBe("-1,234");
  });
  it("a cached formatter for one language/digits does not leak into another", () => {
    expect(formatNumber(1, "en", 2)).toBe("1.00");
    expect(formatNumber(1, "en", 0)).toBe("1");
    expect(formatNumber(1, "zh", 2)).toBe("1.00");
  });
  it("gives what Number#toLocaleString gave before the cache", () => {
    for (const n of [0, 7, 999.5, 1e6 + 0.25, 3.14159])
      for (const d of [0, 1, 2])
        for (const lang of ["zh", "en"] as const)
          expect(formatNumber(n, lang, d)).toBe(
            n.toLocaleString(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: d, minimumFractionDigits: d }),
          );
  });
});
