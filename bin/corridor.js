#!/usr/bin/env node
// Entry point of the `corridor` command. The TypeScript sources are compiled to dist/ by
// `npm install` (the prepare script) and `npm start`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
