import { defineCheck } from '../check.js';
import { flaggedVariables } from './support/environment-variables.js';

/** Values that are placeholders, not real settings. */
const PLACEHOLDER =
  /replace[_-]?me|change[_-]?me|^(?:todo|tbd|fixme|placeholder|dummy|xxx+|secret|password|your[_-].*|<[^>]*>|\$\{[^}]*\})$|(?:sk|pk|rk)_(?:test|live)_.*(?:replace|change|xxx|placeholder)/i;

/** Names of variables that hold secrets (`…SECRET…`, `…PASSWORD…`, `…TOKEN…`, `…API_KEY…`, `…_KEY`). */
export const SECRET_NAME = /secret|passw(?:or)?d|passwd|token|api[_-]?key|private[_-]?key|credential|(?:^|_)key$/i;

/** Why a variable counts as a placeholder (never its value). */
export type PlaceholderKind = 'placeholder' | 'empty-secret';

/** Whether an environment variable's value is a placeholder, judged on the value and its name; undefined when it is not. */
export function placeholderKind(name: string, value: string | undefined): PlaceholderKind | undefined {
  const v = (value ?? '').trim();
  if (v === '') return SECRET_NAME.test(name) ? 'empty-secret' : undefined;
  return PLACEHOLDER.test(v) ? 'placeholder' : undefined;
}

/**
 * `ecs.placeholder-secrets`: environment variables of the task definition whose values are placeholders
 * (`REPLACE_ME`, `changeme`, `sk_test_…REPLACE…`), or empty for a name that holds a secret (the Nexora
 * audit's hardcoded Stripe key). The finding names the variables, never a value; no change: the value has
 * to come from Secrets Manager, which only a person can fill in.
 */
export const placeholderSecretsCheck = defineCheck({
  id: 'ecs.placeholder-secrets',
  title: 'No environment variable of the task definition holds a placeholder or an empty secret',
  subject: (o) => o.taskDefinition,
  detect(definition) {
    if (definition.taskDefinitionArn === undefined) return [];
    const found = flaggedVariables(definition, placeholderKind);
    if (found.length === 0) return [];
    const names = found.map((f) => f.name);
    const family = definition.family ?? 'the task definition';
    return [
      {
        finding: {
          severity: 'high',
          resource: definition.taskDefinitionArn,
          title: `${family} sets ${names.join(', ')} to a placeholder or an empty value`,
          evidence: {
            taskDefinition: definition.taskDefinitionArn.split('/').pop() ?? definition.taskDefinitionArn,
            variables: found.map((f) => ({ container: f.container, name: f.name, kind: f.kind })),
          },
          nextStep:
            `store the real value of ${names.join(', ')} in AWS Secrets Manager, move each from "environment" to "secrets" ` +
            '({ "name": NAME, "valueFrom": SECRET_ARN }) in a new revision, and allow the task execution role secretsmanager:GetSecretValue on it',
        },
      },
    ];
  },
});
