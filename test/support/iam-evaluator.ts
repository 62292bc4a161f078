/**
 * A small IAM policy evaluator for tests, after the IAM policy evaluation logic for identity-based policies
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): a request is
 * denied by default and allowed when an Allow statement matches its action (case-insensitive, `*` and `?`
 * wildcards: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html), its
 * resource (`*` and `?` wildcards within the ARN:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html) and every
 * condition (only StringEquals here, a missing context key failing it:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Deny statements, NotAction, NotResource and other operators are not modelled: remediate writes none.
 */
export interface PolicyDocument {
  readonly Statement: readonly {
    readonly Effect: string;
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  }[];
}

/** One authorisation request: an action on a resource, with its request context (`iam:PassedToService`, …). */
export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

function wildcard(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

const list = (v: string | readonly string[]): readonly string[] => (typeof v === 'string' ? [v] : v);

function conditionsHold(condition: PolicyDocument['Statement'][number]['Condition'], context: Readonly<Record<string, string>>): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, keys]) => {
    if (operator !== 'StringEquals') throw new Error(`iam-evaluator: condition operator ${operator} is not modelled`);
    return Object.entries(keys).every(([key, wanted]) => {
      const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      return found !== undefined && list(wanted).includes(found);
    });
  });
}

/** Whether the policy allows the request (deny by default). */
export function isAllowed(policy: PolicyDocument, request: AccessRequest): boolean {
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => wildcard(a, 'i').test(request.action)) &&
      list(s.Resource).some((r) => wildcard(r, '').test(request.resource)) &&
      conditionsHold(s.Condition, request.context ?? {}),
  );
}
