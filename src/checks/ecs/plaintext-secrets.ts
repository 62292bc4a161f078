import { defineCheck } from '../check.js';
import { flaggedVariables } from './support/environment-variables.js';
import { placeholderKind, SECRET_NAME } from './placeholder-secrets.js';

/** Names that hold public values by design, whatever else they say. */
const PUBLIC_NAME = /^(?:NEXT_PUBLIC_|VITE_|REACT_APP_|PUBLIC_)|PUBLIC_KEY|_KEY_ID$/i;

/** A URL that carries a password: `scheme://user:password@host`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:[^@\s]+@/i;

/** Why a plain environment variable counts as a secret in the clear (never its value). */
export type PlaintextKind = 'secret-name' | 'url-password';

/** Whether a plain environment variable holds a real secret, judged on its name and the shape of its value. */
export function plaintextKind(name: string, value: string | undefined): PlaintextKind | undefined {
  const v = (value ?? '').trim();
  if (v === '' || placeholderKind(name, value) !== undefined || v.startsWith('arn:')) return undefined;
  if (URL_WITH_PASSWORD.test(v)) return 'url-password';
  return SECRET_NAME.test(name) && !PUBLIC_NAME.test(name) ? 'secret-name' : undefined;
}

/**
 * `ecs.plaintext-secrets`: secrets set in the task definition's plain `environment` (a name that says secret,
 * password, token or key; a URL with a password) instead of `secrets` (Secrets Manager or SSM, read by the
 * execution role): anyone allowed `ecs:DescribeTaskDefinition` reads them, in every revision, for good. The
 * Nexora audit's "Secrets access via IAM policies (not environment variables)". Placeholders and empty values
 * are `ecs.placeholder-secrets`'. The finding names the variables, never a value. No change: the secret has to
 * be created and the execution role allowed to read it, which is a person's call.
 */
export const plaintextSecretsCheck = defineCheck({
  id: 'ecs.plaintext-secrets',
  title: 'No secret is set in the clear in the task definition (secrets come from Secrets Manager or SSM)',
  subject: (o) => o.taskDefinition,
  detect(definition) {
    if (definition.taskDefinitionArn === undefined) return [];
    const found = flaggedVariables(definition, plaintextKind);
    if (found.length === 0) return [];
    const names = found.map((f) => f.name);
    const family = definition.family ?? 'the task definition';
    return [
      {
        finding: {
          severity: 'medium',
          resource: definition.taskDefinitionArn,
          title: `${family} sets ${names.join(', ')} in the clear: anyone who may describe the task definition reads them`,
          evidence: {
            taskDefinition: definition.taskDefinitionArn.split('/').pop() ?? definition.taskDefinitionArn,
            variables: found.map((f) => ({ container: f.container, name: f.name, kind: f.kind })),
          },
          nextStep:
            `store ${names.join(', ')} in AWS Secrets Manager (or SSM Parameter Store), move each from "environment" to "secrets" ` +
            '({ "name": NAME, "valueFrom": SECRET_ARN }) in a new revision, allow the task execution role to read them, then rotate them: the old revision keeps the values readable',
        },
      },
    ];
  },
});
