import * as z from 'zod';
import { jsonObject } from './document-parts.js';

/**
 * What any command prints on stdout with `--json` when it fails: the error's code (src/model/errors.ts), the exit
 * code, the one-line message and hint also on stderr, and the details, if any. It has no `command` member.
 */
export const errorDocument = z.strictObject({
  formatVersion: z.literal(1),
  error: z.strictObject({
    code: z.string(),
    exitCode: z.number().int(),
    message: z.string(),
    hint: z.string().nullable(),
    details: jsonObject.nullable(),
  }),
});
