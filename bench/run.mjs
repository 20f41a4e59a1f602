// `npm run bench [-- name ...]`: each benchmark measures the product beside a baseline in the same run and
// prints ratios; none of them asserts a time. Results are recorded in docs/performance.md.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const BENCHMARKS = ['oauth-start', 'webhook', 'import', 'frontend', 'automations'];
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = requested.length ? requested : BENCHMARKS;

let failed = false;
for (const name of names) {
  if (!BENCHMARKS.includes(name)) throw new Error(`Unknown benchmark "${name}" (known: ${BENCHMARKS.join(', ')})`);
  console.log(`\n=== bench/${name} ===`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bench', name, 'bench.mjs')], { cwd: root, stdio: 'inherit' });
    child.once('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
