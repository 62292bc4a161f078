// Writes docs/schemas/<command>.json, the JSON Schema of each `--json` document, from the zod schemas in
// src/cli/documents (built: run `npm run schemas`, which builds first). test/json-schemas.test.ts fails when a
// published file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentJsonSchema, documentSchemas } from '../dist/cli/documents/document-schemas.js';

for (const command of Object.keys(documentSchemas)) {
  const path = fileURLToPath(new URL(`../docs/schemas/${command}.json`, import.meta.url));
  writeFileSync(path, `${JSON.stringify(documentJsonSchema(command), null, 2)}\n`);
  process.stdout.write(`wrote docs/schemas/${command}.json\n`);
}
