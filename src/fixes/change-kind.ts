import * as z from 'zod';
import type { AwsPorts } from '../aws/ports.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { Change } from '../model/plan.js';
import type { Executor, Live } from './executor.js';
import type { MutatingCall } from './mutating-call.js';
import type { WrittenScope } from './written-scope.js';

/** Any JSON value (what a member of a value that remediate does not look into may hold). */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/** Any JSON object. */
export const jsonObjectSchema: z.ZodType<JsonObject> = z.record(z.string(), jsonValueSchema);

/**
 * A JSON object with at least these members (others are kept, not checked): the schema of a value whose shape
 * remediate reads only in part, typed so that it is still a JSON object (and so may be a change's value).
 */
export function jsonObjectWith<S extends z.ZodRawShape>(shape: S): z.ZodIntersection<z.ZodType<JsonObject>, z.ZodObject<S>> {
  return z.intersection(jsonObjectSchema, z.object(shape));
}

/** A type guard from a schema: whether a value has its shape. The value itself is kept as it is (never the parse's copy). */
export function guard<T>(schema: z.ZodType<T>): (value: unknown) => value is T {
  return (value: unknown): value is T => schema.safeParse(value).success;
}

/** What is wrong with a value, in one line, or undefined when it has the schema's shape. */
export function schemaProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(value)'}: ${i.message}`).join('; ');
}

/**
 * One kind of change, in one place: the shape of its value (a zod schema, which is also how a plan read back from
 * the journal is validated), how to read it live, the calls that move it to another value, and the IAM actions
 * that takes. Its functions see changes and values of their own kind, typed; the engine sees the erased
 * {@link Executor} that {@link defineChangeKind} wraps around them, which narrows (and refuses) what it is given.
 * The builders of the changes checks propose live in the same module, typed `ProposedChange<K, V>`.
 */
export interface ChangeKindDefinition<K extends string, V extends JsonValue> {
  readonly kind: K;
  /** The shape of a value of this kind (`before`/`after` are this or null: null is "does not exist"). */
  readonly value: z.ZodType<V>;
  readonly iam: Executor['iam'];
  // NoInfer: the value type is the schema's, never widened by a shared helper (`objectFieldsScope` takes any change).
  read(aws: AwsPorts, change: Change<NoInfer<K>, NoInfer<V>>): Promise<Live<NoInfer<V>>>;
  calls(change: Change<NoInfer<K>, NoInfer<V>>, to: NoInfer<V> | null, live: Live<NoInfer<V>>, recorded: JsonObject | null): MutatingCall[];
  identityConflict?(recorded: JsonObject | null, live: Live<NoInfer<V>>): string | undefined;
  /** Given JSON, not values of the kind: the engine compares the written part of values too (`writtenScope`'s projection). */
  matches?(live: JsonValue, wanted: JsonValue): boolean;
  writtenScope?(change: Change<NoInfer<K>, NoInfer<V>>): WrittenScope | undefined;
  /** Given JSON: whether `live` is what the change's calls leave when only the first landed ({@link Executor.partlyWritten}). */
  partlyWritten?(change: Change<NoInfer<K>, NoInfer<V>>, live: JsonValue): boolean;
  /** Several checks' `after` of one resource, merged (undefined: they conflict); default: field by field. */
  mergeAfters?(before: NoInfer<V> | null, afters: readonly (NoInfer<V> | null)[]): NoInfer<V> | undefined;
}

/** A change kind as the registry holds it: the engine's {@link Executor}, with the kind's schema and typed guards. */
export interface ChangeKindModule<K extends string, V extends JsonValue> extends Executor {
  readonly kind: K;
  readonly value: z.ZodType<V>;
  /** Whether a JSON value is one of this kind's, or null. */
  isValue(value: JsonValue): value is V | null;
  /** Whether a change is one of this kind with values of its shape. */
  isChange(change: Change): change is Change<K, V>;
  /** What is wrong with a change of this kind's values (`before: …`), or undefined. */
  problem(change: Change): string | undefined;
}

/** The value type of a change kind module. */
export type ValueOfModule<M> = M extends ChangeKindModule<string, infer V> ? V : never;

/** Defines a change kind: its typed functions, and the engine's executor that narrows a stored change to them. */
export function defineChangeKind<K extends string, V extends JsonValue>(def: ChangeKindDefinition<K, V>): ChangeKindModule<K, V> {
  const nullable = def.value.nullable();
  const isValue = (value: JsonValue): value is V | null => nullable.safeParse(value).success;
  const problem = (change: Change): string | undefined => {
    if (change.kind !== def.kind) return `kind ${change.kind} is not ${def.kind}`;
    for (const side of ['before', 'after'] as const) {
      const wrong = schemaProblem(nullable, change[side]);
      if (wrong !== undefined) return `its ${side} is not a value of kind ${def.kind} (${wrong})`;
    }
    return undefined;
  };
  const isChange = (change: Change): change is Change<K, V> => problem(change) === undefined;
  const typed = (change: Change): Change<K, V> => {
    if (isChange(change)) return change;
    throw new TypeError(`change ${change.id} (${change.kind}): ${problem(change) ?? ''}`);
  };
  const valueOf = (where: string, value: JsonValue, what: string): V | null => {
    if (isValue(value)) return value;
    throw new TypeError(
      `${where}: ${what} ${JSON.stringify(value)} is not a value of kind ${def.kind} (${schemaProblem(nullable, value) ?? ''})`,
    );
  };
  const liveOf = (live: Live, what: string): Live<V> => {
    if (isValue(live.value)) return { value: live.value, memo: live.memo };
    throw new TypeError(`${what}: the live value ${JSON.stringify(live.value)} is not a value of kind ${def.kind}`);
  };
  const { identityConflict, matches, writtenScope, partlyWritten, mergeAfters } = def;
  return {
    kind: def.kind,
    value: def.value,
    iam: def.iam,
    isValue,
    isChange,
    problem,
    read: (aws, change) => def.read(aws, typed(change)),
    calls: (change, to, live, recorded) =>
      def.calls(typed(change), valueOf(`change ${change.id}`, to, 'the target'), liveOf(live, `change ${change.id}`), recorded),
    ...(identityConflict === undefined
      ? {}
      : { identityConflict: (recorded: JsonObject | null, live: Live) => identityConflict(recorded, liveOf(live, def.kind)) }),
    ...(matches === undefined ? {} : { matches }),
    ...(writtenScope === undefined ? {} : { writtenScope: (change: Change) => writtenScope(typed(change)) }),
    ...(partlyWritten === undefined ? {} : { partlyWritten: (change: Change, live: JsonValue) => partlyWritten(typed(change), live) }),
    ...(mergeAfters === undefined
      ? {}
      : {
          mergeAfters: (before: JsonValue, afters: readonly JsonValue[]) =>
            mergeAfters(
              valueOf(`merging changes of kind ${def.kind}`, before, 'the before'),
              afters.map((a) => valueOf(`merging changes of kind ${def.kind}`, a, 'an after')),
            ),
        }),
  };
}
