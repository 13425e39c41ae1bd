#!/usr/bin/env node
// The installed `panelist` command: the built CLI (run `npm run build` first in a checkout).
import '../out/main/cli.js';
