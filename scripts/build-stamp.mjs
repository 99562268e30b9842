#!/usr/bin/env node
// Builds only when the sources changed (`npm start`), by a stamp the build writes.
//
//   node scripts/build-stamp.mjs begin    the build starts: note the hash of its inputs (dist/.build-stamp.pending)
//   node scripts/build-stamp.mjs commit   the build succeeded: that hash becomes dist/.build-stamp
//   node scripts/build-stamp.mjs check    exit 0 when dist is up to date with the sources, 1 when not
//   node scripts/build-stamp.mjs ensure   build (npm run build) unless dist is up to date
//
// Options: --root <dir> (default: the repository), --build <command> (ensure's build command).
// The hash covers the contents (not the times) of every file of the build's inputs, so a checkout
// that only touches files does not rebuild, and an edit always does. The hash is taken before the
// build starts, so an edit made while it runs makes the next start build again.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build reads: directories (walked) and files, relative to the root. */
export const INPUTS = [
  'src',
  'web',
  'scripts/api-types.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.build.json',
  'vite.config.ts',
];
/** What the build makes; a missing one means a build is needed whatever the stamp says. */
export const OUTPUTS = ['dist/cli/main.js', 'dist/web/index.html'];
const STAMP = 'dist/.build-stamp';
const PENDING = 'dist/.build-stamp.pending';
// web/src/generated is made by the build from src/ (the API types), so it is not an input.
const SKIP = new Set(['node_modules', '.git', 'dist', 'generated']);
/** Files in those directories that the build does not read: documentation and unit tests. */
const NOT_BUILT = /(\.md|\.test\.tsx?)$/;

/** The SHA-256 of the inputs: every file's path and bytes, in a fixed order. */
export function inputHash(root) {
  const hash = createHash('sha256');
  const add = (rel) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) {
      hash.update(`missing ${rel}\n`);
      return;
    }
    const entries = readdirSync(path.dirname(abs), { withFileTypes: true }).filter((e) => e.name === path.basename(abs));
    if (entries[0]?.isDirectory()) {
      for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (SKIP.has(e.name) || (!e.isDirectory() && NOT_BUILT.test(e.name))) continue;
        add(path.posix.join(rel, e.name));
      }
      return;
    }
    const bytes = readFileSync(abs);
    hash.update(`file ${rel} ${bytes.length}\n`).update(bytes);
  };
  for (const input of INPUTS) add(input);
  return hash.digest('hex');
}

/** True when every output exists and the stamp holds the inputs' hash. */
export function upToDate(root) {
  if (!OUTPUTS.every((o) => existsSync(path.join(root, o)))) return false;
  const stamp = path.join(root, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputHash(root);
}

function write(root, file, text) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), `${text}\n`);
}

function main(argv) {
  const [command, ...rest] = argv;
  const option = (name, fallback) => {
    const i = rest.indexOf(name);
    return i >= 0 && rest[i + 1] !== undefined ? rest[i + 1] : fallback;
  };
  const root = path.resolve(option('--root', path.join(path.dirname(fileURLToPath(import.meta.url)), '..')));
  switch (command) {
    case 'begin':
      write(root, PENDING, inputHash(root));
      return 0;
    case 'commit': {
      const pending = path.join(root, PENDING);
      if (!existsSync(pending)) {
        console.error('build-stamp: no build began (run "begin" first)');
        return 1;
      }
      renameSync(pending, path.join(root, STAMP));
      return 0;
    }
    case 'check': {
      const fresh = upToDate(root);
      console.log(fresh ? 'up to date' : 'stale');
      return fresh ? 0 : 1;
    }
    case 'ensure': {
      if (upToDate(root)) {
        console.error('corridor: the build is up to date with the sources; not rebuilding');
        return 0;
      }
      const hash = inputHash(root);
      console.error('corridor: the sources changed since the last build; building');
      const build = spawnSync(option('--build', 'npm run build --silent'), { cwd: root, stdio: 'inherit', shell: true });
      if (build.status !== 0) return build.status ?? 1;
      write(root, STAMP, hash);
      return 0;
    }
    default:
      console.error('usage: node scripts/build-stamp.mjs begin|commit|check|ensure [--root <dir>] [--build <command>]');
      return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
