import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: this file sits one level below it, in src/ or in dist/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundled datasets (see data/SOURCES.md). */
export const DATA_DIR = path.join(ROOT, 'data');

/** The built web app, served at `/`. */
export const WEB_DIR = path.join(ROOT, 'dist', 'web');

/** Corridor's version, from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
