import { portActions, type AwsPorts, type IamAction } from '../aws/ports.js';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** The port methods a walker calls, by port: what it declares, and all it may call. */
export type PortUse = { readonly [P in keyof AwsPorts]?: readonly (keyof AwsPorts[P])[] };

/** The ports narrowed to the methods `U` names: a walker typed with it cannot call a method it did not declare. */
export type PortsFor<U extends PortUse> = {
  readonly [P in keyof U & keyof AwsPorts]: Pick<AwsPorts[P], (U[P] extends readonly (infer M)[] ? M : never) & keyof AwsPorts[P]>;
};

/** The IAM actions of the port methods the uses name (from `portActions`), each once, in their order. */
export function actionsOf(uses: readonly PortUse[]): IamAction[] {
  const actions = uses.flatMap((use) =>
    (Object.keys(use) as (keyof AwsPorts)[]).flatMap((port) => {
      const table: Readonly<Record<string, IamAction>> = portActions[port];
      return (use[port] ?? []).map((method) => {
        const action = table[String(method)];
        if (action === undefined)
          throw new RemediateError(ErrorCode.Internal, `port method ${port}.${String(method)} declares no IAM action`);
        return action;
      });
    }),
  );
  return [...new Set(actions)];
}
