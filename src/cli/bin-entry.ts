import { renderedHelp } from './rendered-help.js';

// The bundle's entry (scripts/bundle.mjs; bin/remediate.js imports it): `--help` alone is the help the build rendered,
// written before anything else of the CLI loads; every other command line is main.ts's (a lazy chunk).
const help = renderedHelp(process.argv.slice(2), process.stdout.columns);
if (help !== undefined) process.stdout.write(help);
else await import('./main.js');
