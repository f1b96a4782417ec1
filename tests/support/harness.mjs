// The harness of the JS tests (tests/*.mjs), on node:test. A test file imports it first:
//
//   import { assert, describe, it, test } from "./support/harness.mjs";
//   test("presign() equals the CLI", () => assert.equal(got, want));
//
// Each check is a node:test test (or a subtest: `await t.test(name, fn)`, `describe`/`it`) with a
// name, and a failure is a thrown assertion (node:assert/strict, whose message shows the diff).
//
// Launched as `node tests/x.mjs` (how CI and developers run them), this module runs the file through
// node:test's `run()`: the file itself runs in a child process (NODE_TEST_CONTEXT is set there, and
// this module then does nothing), and this process, whose own evaluation of the test file stops at
// this import (the top-level await below never settles), reads the child's events and prints one
// line per check (`ok   name`, or `FAIL name` and the error), the child's own output as it comes, the
// names of the failed checks, and as its last line `N passed, M failed`: N and M count the checks
// (leaf tests; a test or suite that holds subtests is not a check of its own, but its own error is,
// e.g. a failing `before` hook, or a crash of the file). Exit status 1 when M > 0, when no check
// passed, or when the file itself failed (exited non-zero, threw at the top level).
//
// Under `node --test tests/*.mjs` the node:test runner reports instead (its own summary, not the
// line above). This module and the others in tests/support/ hold no tests: .ci/test-all runs
// tests/*.mjs only, and `node --test` finds no file here by its default patterns.
import { after, run } from "node:test";
import { relative } from "node:path";

export { after, afterEach, before, beforeEach, describe, it, test } from "node:test";
export { default as assert } from "node:assert/strict";

/**
 * For a file whose libraries may leave a handle open (playwright-core, a server's pipes): once all its
 * tests are done, its process exits (a second later) instead of waiting for the event loop to empty,
 * as `process.exit()` at the end of the scripts did before node:test. Call it once, at the top level.
 */
export function exitAfterTests() {
  after(() => {
    setTimeout(() => process.exit(), 1000).unref();
  });
}

/** The error of a failed test, for a FAIL line: the message (an assertion's diff) and where it was thrown. */
function explain(error) {
  const e = error && error.failureType && error.cause !== undefined ? error.cause : error;
  if (!(e instanceof Error) && !(e && typeof e.stack === "string")) return String(e);
  const stack = String(e.stack || "");
  const message = e.message ?? stack.split("\n")[0];
  const frames = stack.split("\n").filter((l) => /^\s+at /.test(l) && !/\(node:|at node:/.test(l)).slice(0, 3);
  const head = e.name && e.name !== "Error" && !message.startsWith(e.name) ? `${e.code || e.name}: ` : "";
  return `${head}${message}${frames.length ? `\n${frames.join("\n")}` : ""}`;
}

function indent(text) {
  return String(text).split("\n").map((l) => `     ${l}`).join("\n");
}

/** Runs `file` through node:test in a child process, prints its checks and the summary line, exits. */
async function runFile(file) {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping ${relative(process.cwd(), file)}`);
      controller.abort();
    });
  }
  let passed = 0, failed = 0, skipped = 0, fileError = null;
  const failures = [];
  const path = []; // names of the tests started, by nesting level
  const hadChild = []; // hadChild[n]: a test at level n + 1 reported since the last one at level n
  for await (const { type, data } of run({ files: [file], signal: controller.signal })) {
    if (type === "test:stdout") process.stdout.write(data.message);
    else if (type === "test:stderr") process.stderr.write(data.message);
    else if (type === "test:start") path.splice(data.nesting, Infinity, data.name);
    else if (type === "test:diagnostic" && data.nesting > 0) console.log(`# ${data.message}`);
    if (type !== "test:pass" && type !== "test:fail") continue;
    const { nesting, name, details } = data;
    if (nesting === 0 && name === file) { // the file as a whole (run's own test)
      if (type === "test:fail" && details.error?.failureType !== "subtestsFailed") fileError = details.error;
      continue;
    }
    const leaf = !hadChild[nesting];
    hadChild[nesting] = false;
    if (nesting > 0) hadChild[nesting - 1] = true;
    const full = [...path.slice(0, nesting), name].join(" › ");
    if (type === "test:pass") {
      if (!leaf) continue;
      if (details.skip !== undefined || details.todo !== undefined) {
        skipped++;
        console.log(`skip ${name}${typeof details.skip === "string" ? `  -- ${details.skip}` : ""}`);
      } else {
        passed++;
        console.log(`ok   ${name}`);
      }
    } else if (leaf || details.error?.failureType !== "subtestsFailed") {
      failed++;
      failures.push(full);
      console.log(`FAIL ${full}\n${indent(explain(details.error))}`);
    }
  }
  if (fileError) {
    failed++;
    failures.push(`${relative(process.cwd(), file)} (the file itself)`);
    console.log(`FAIL ${relative(process.cwd(), file)}: the file failed outside its tests (see its output above)\n${indent(explain(fileError))}`);
  }
  if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  if (skipped) console.log(`${skipped} skipped`);
  if (passed === 0 && failed === 0) console.log("no check ran");
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || passed === 0 || controller.signal.aborted ? 1 : 0);
}

// Last, so that everything above is initialised.
if (process.env.NODE_TEST_CONTEXT === undefined && process.argv[1]) {
  await runFile(process.argv[1]);
  await new Promise(() => {}); // never: runFile exits; the test file's body runs in the child only
}
