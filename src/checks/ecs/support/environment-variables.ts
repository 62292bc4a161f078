import type { TaskDefinition } from '@aws-sdk/client-ecs';

/** A plain environment variable a check singles out: where it is and why, never its value. */
export interface FlaggedVariable<K extends string> {
  readonly container: string;
  readonly name: string;
  readonly kind: K;
}

/** The plain environment variables of every container of a task definition that `classify` gives a kind to. */
export function flaggedVariables<K extends string>(
  definition: TaskDefinition,
  classify: (name: string, value: string | undefined) => K | undefined,
): FlaggedVariable<K>[] {
  return (definition.containerDefinitions ?? []).flatMap((c) =>
    (c.environment ?? []).flatMap((e) => {
      const kind = e.name === undefined ? undefined : classify(e.name, e.value);
      return kind === undefined ? [] : [{ container: c.name ?? '', name: e.name ?? '', kind }];
    }),
  );
}
