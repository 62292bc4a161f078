// The load hook of record-modules.mjs: appends the URL of every ES module loaded to the file it is given.
import { appendFileSync } from 'node:fs';

let out;
export function initialize(data) {
  out = data.out;
}
export async function load(url, context, next) {
  const result = await next(url, context);
  appendFileSync(out, `${url}\n`);
  return result;
}
