import type { AwsError } from '../aws-error.js';
import { isPlainObject } from '../protocols/xml-writer.js';

/** Makes the service's validation error (`ValidationError`, `InvalidParameterException`, …) for a message. */
export type InvalidInput = (message: string) => AwsError;

/**
 * Typed access to a decoded request input, the same for every protocol: Query inputs arrive as
 * strings (`"443"`, `"true"`, `""` for an empty list), JSON inputs as JSON values; both read the same.
 * A missing required member or a value of the wrong type throws the service's validation error,
 * worded as AWS words it (`Value null at 'port' failed to satisfy constraint: Member must not be null`).
 */
export class InputReader {
  private readonly value: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly invalid: InvalidInput,
    private readonly path = '',
  ) {
    this.value = isPlainObject(value) ? value : {};
  }

  /** True when the member is present (not undefined or null). */
  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** A required string member. */
  string(name: string): string {
    return this.required(name, this.optionalString(name));
  }

  optionalString(name: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') throw this.typeError(name, raw, 'be a string');
    return raw;
  }

  /** A required string member that must be one of `allowed`. */
  enumString<T extends string>(name: string, allowed: readonly T[]): T {
    return this.required(name, this.optionalEnumString(name, allowed));
  }

  optionalEnumString<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    const found = allowed.find((a) => a === raw);
    if (found === undefined) throw this.typeError(name, raw, `satisfy enum value set: [${allowed.join(', ')}]`);
    return found;
  }

  /** A required integer member. */
  integer(name: string): number {
    return this.required(name, this.optionalInteger(name));
  }

  optionalInteger(name: string): number | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number(raw);
    throw this.typeError(name, raw, 'be an integer');
  }

  optionalBoolean(name: string): boolean | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw this.typeError(name, raw, 'be a boolean');
  }

  /** A list of strings; absent → `[]`. */
  stringList(name: string): string[] {
    return this.optionalStringList(name) ?? [];
  }

  /** A list of strings, or undefined when absent (an empty list is `[]`). */
  optionalStringList(name: string): string[] | undefined {
    const items = this.listItems(name);
    if (items === undefined) return undefined;
    return items.map((item, index) => {
      if (typeof item !== 'string') throw this.typeError(`${name}.${index + 1}`, item, 'be a string');
      return item;
    });
  }

  /** A map of strings (a JSON object, a Query `entry` map), or undefined when absent. */
  optionalStringMap(name: string): Record<string, string> | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (!isPlainObject(raw)) throw this.typeError(name, raw, 'be a map');
    const map: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value !== 'string') throw this.typeError(`${name}.${key}`, value, 'be a string');
      map[key] = value;
    }
    return map;
  }

  /** A structure member, or undefined when absent. */
  optionalStruct(name: string): InputReader | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (!isPlainObject(raw)) throw this.typeError(name, raw, 'be a structure');
    return new InputReader(raw, this.invalid, this.memberPath(name));
  }

  /** A list of structures; absent → `[]`. */
  structList(name: string): InputReader[] {
    return this.optionalStructList(name) ?? [];
  }

  optionalStructList(name: string): InputReader[] | undefined {
    const items = this.listItems(name);
    if (items === undefined) return undefined;
    return items.map((item, index) => {
      if (!isPlainObject(item)) throw this.typeError(`${name}.${index + 1}`, item, 'be a structure');
      return new InputReader(item, this.invalid, `${this.memberPath(name)}.${index + 1}.member`);
    });
  }

  /** The validation error the service answers for `message` (for checks beyond types). */
  error(message: string): AwsError {
    return this.invalid(message);
  }

  private listItems(name: string): unknown[] | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (raw === '') return []; // Query's empty list
    if (!Array.isArray(raw)) throw this.typeError(name, raw, 'be a list');
    return raw as unknown[];
  }

  private raw(name: string): unknown {
    const raw = Object.hasOwn(this.value, name) ? this.value[name] : undefined;
    return raw === null ? undefined : raw;
  }

  private required<T>(name: string, value: T | undefined): T {
    if (value === undefined) {
      throw this.invalid(
        `1 validation error detected: Value null at '${this.memberPath(name)}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  private typeError(name: string, raw: unknown, constraint: string): AwsError {
    const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
    return this.invalid(
      `1 validation error detected: Value '${shown}' at '${this.memberPath(name)}' failed to satisfy constraint: Member must ${constraint}`,
    );
  }

  private memberPath(name: string): string {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    return this.path === '' ? member : `${this.path}.${member}`;
  }
}
