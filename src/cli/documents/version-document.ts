import * as z from 'zod';
import { header } from './document-parts.js';

/** `remediate version --json`: the package version, the git commit it was built from (null when not known), Node's version. */
export const versionDocument = z.strictObject({
  ...header('version'),
  version: z.string(),
  commit: z.string().nullable(),
  node: z.string().describe('process.version, e.g. v22.11.0'),
});
