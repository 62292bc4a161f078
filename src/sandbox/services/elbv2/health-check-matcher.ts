/**
 * A target group's success codes (`Matcher.HttpCode`): `200`, `200,302`, `200-399`, or a mix
 * (`200,300-399`).
 */

/** The inclusive code ranges of a matcher; undefined when it is malformed. */
export function parseHttpCodeMatcher(matcher: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const part of matcher.split(',')) {
    const match = /^\s*(\d{3})(?:-(\d{3}))?\s*$/.exec(part);
    if (match === null) return undefined;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (high < low) return undefined;
    ranges.push([low, high]);
  }
  return ranges;
}

/** True when `status` is one of the matcher's codes (a malformed matcher matches nothing). */
export function matchesHttpCode(matcher: string, status: number): boolean {
  return (parseHttpCodeMatcher(matcher) ?? []).some(([low, high]) => status >= low && status <= high);
}
