// Prints one plain closing line, "<project>: N passed, N failed, N skipped", after each vitest
// run, so CI can count the tests (vitest's own summary is not a format CI reads).
import type { Reporter, TestModule } from "vitest/node";

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const projects = new Set<string>();
    for (const m of testModules) {
      projects.add(m.project.name || "tests");
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === "passed") passed++;
        else if (s === "failed") failed++;
        else skipped++;
      }
      // A module that failed to load has no tests but is a failure.
      if (m.state() === "failed" && ![...m.children.allTests()].length) failed++;
    }
    const name = [...projects].join("+") || "tests";
    process.stdout.write(`\n${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
