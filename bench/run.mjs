// Runs the named benchmark (or all of them) against the build in dist/. Each prints JSON.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.replace(/\.mjs$/, ''));
const [name, ...rest] = process.argv.slice(2);
const chosen = name && !name.startsWith('--') ? [name] : all;
for (const b of chosen) {
  if (!all.includes(b)) {
    console.error(`bench: no benchmark "${b}"; available: ${all.join(', ')}`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [`${dir}${b}.mjs`, ...(name === b ? rest : process.argv.slice(2))], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
