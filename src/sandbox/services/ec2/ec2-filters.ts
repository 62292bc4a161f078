import type { InputReader } from '../input-reader.js';
import { ec2Errors } from './ec2-errors.js';
import type { Ec2Tag } from './ec2-state.js';

/**
 * EC2's `Filter.N.Name` / `Filter.N.Value.M` filters. A resource passes when, for every filter, one
 * of its values for that filter's name matches one of the filter's values; values may use `*` (any
 * characters) and `?` (one character), case-sensitively. `tag:KEY` and `tag-key` work on every
 * resource type; an unknown filter name is `InvalidParameterValue`.
 */

/** One filter of a request. */
export interface Ec2Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** The filterable fields of a resource type: filter name → the resource's values for it. */
export type FilterFields<T> = Readonly<Record<string, (resource: T) => readonly (string | undefined)[]>>;

/** The filters of a request (`member` is `Filter` for every EC2 Describe operation). */
export function readFilters(input: InputReader, member = 'Filter'): Ec2Filter[] {
  return input.structList(member).map((filter) => ({ name: filter.string('Name'), values: filter.stringList('Value') }));
}

/** The resources passing every filter. */
export function applyFilters<T>(
  resources: readonly T[],
  filters: readonly Ec2Filter[],
  fields: FilterFields<T>,
  tagsOf: (resource: T) => readonly Ec2Tag[],
): T[] {
  const tests = filters.map((filter) => {
    const patterns = filter.values.map(wildcard);
    const valuesOf = fieldOf(filter.name, fields, tagsOf);
    return (resource: T): boolean => valuesOf(resource).some((value) => value !== undefined && patterns.some((p) => p.test(value)));
  });
  return resources.filter((resource) => tests.every((test) => test(resource)));
}

function fieldOf<T>(
  name: string,
  fields: FilterFields<T>,
  tagsOf: (resource: T) => readonly Ec2Tag[],
): (resource: T) => readonly (string | undefined)[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (resource) =>
      tagsOf(resource)
        .filter((t) => t.key === key)
        .map((t) => t.value);
  }
  if (name === 'tag-key') return (resource) => tagsOf(resource).map((t) => t.key);
  if (name === 'tag-value') return (resource) => tagsOf(resource).map((t) => t.value);
  const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (field === undefined) throw ec2Errors.invalidFilter(name);
  return field;
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's');
}
