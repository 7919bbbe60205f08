// Every notice is a zh/en pair: no `addNotice(state, level, "English only")` anywhere in the app.
// (addNotice still accepts a bare string, so a slip shows the same text in both languages —
// this test keeps the slip out of the code.)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

describe("notices are localised", () => {
  it("no addNotice call passes a string literal or template", () => {
    const bad: string[] = [];
    for (const f of files(join(__dirname, "../../src"))) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/addNotice\(\s*[^,()]+,\s*"(?:info|warn|error)",\s*([`"'])/g))
        bad.push(`${f}: ${text.slice(m.index, m.index + 80)}`);
    }
    expect(bad).toEqual([]);
  });
});
