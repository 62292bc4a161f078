/**
 * The AZ id of an AZ name (`me-central-1a` → `mec1-az1`): the region's short code and the AZ's
 * letter as a number. Real AZ ids are shuffled per account; the sandbox's are stable.
 */
export function availabilityZoneId(availabilityZone: string): string {
  const match = /^([a-z]+)-([a-z]+)-(\d+)([a-z])$/.exec(availabilityZone);
  if (match === null) return availabilityZone;
  const [, area = '', direction = '', number = '', letter = 'a'] = match;
  return `${area}${direction.charAt(0)}${number}-az${letter.charCodeAt(0) - 96}`;
}
