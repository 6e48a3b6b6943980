// Small readers over a synthesized template (plain JSON), shared by the infra tests.
import type { Template } from 'aws-cdk-lib/assertions';

export type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> } & Record<
  string,
  unknown
>;
export type Statement = {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
} & Record<string, unknown>;

export const resourcesOf = (template: Template, type: string): [string, Resource][] =>
  Object.entries((template.toJSON() as { Resources: Record<string, Resource> }).Resources).filter(
    ([, r]) => r.Type === type,
  );

export const onlyResource = (template: Template, type: string): [string, Resource] => {
  const all = resourcesOf(template, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as [string, Resource];
};

export const props = (r: Resource): Record<string, unknown> => r.Properties ?? {};

/** EventBridge rules that match events (the operator-events rule), not schedules (the drain's). */
export const eventRules = (template: Template): [string, Resource][] =>
  resourcesOf(template, 'AWS::Events::Rule').filter(([, r]) => props(r).EventPattern !== undefined);

export const onlyEventRule = (template: Template): [string, Resource] => {
  const all = eventRules(template);
  if (all.length !== 1) throw new Error(`expected one event rule, found ${all.length}`);
  return all[0] as [string, Resource];
};

export const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const ref = (logicalId: string) => ({ Ref: logicalId });

/** The logical id of the one resource of `type` whose properties contain `match` (shallow). */
export const idOf = (template: Template, type: string, match: Record<string, unknown>): string => {
  const hits = resourcesOf(template, type).filter(([, r]) =>
    Object.entries(match).every(([k, v]) => JSON.stringify(props(r)[k]) === JSON.stringify(v)),
  );
  if (hits.length !== 1)
    throw new Error(`expected one ${type} matching ${JSON.stringify(match)}, found ${hits.length}`);
  return (hits[0] as [string, Resource])[0];
};

/** Every statement of every AWS::IAM::Policy attached to the role `roleId`. */
export const statementsOfRole = (template: Template, roleId: string): Statement[] =>
  resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, r]) => JSON.stringify(props(r).Roles) === JSON.stringify([ref(roleId)]))
    .flatMap(([, r]) => (props(r).PolicyDocument as { Statement: Statement[] }).Statement);

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOfStatement = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** `action -> resources (as JSON)` over a role's statements, for exact comparison. */
export const grantsOf = (statements: Statement[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const s of statements) {
    if (s.Effect !== 'Allow' || 'NotAction' in s || 'NotResource' in s)
      throw new Error(`unexpected statement shape ${JSON.stringify(s)}`);
    for (const a of actionsOf(s))
      out[a] = [...(out[a] ?? []), ...resourcesOfStatement(s).map((r) => JSON.stringify(r))].sort();
  }
  return out;
};

/** Statements that grant a wildcard action, or a resource with `*` anywhere in it. */
export const wildcards = (statements: Statement[]): { actions: string[]; resources: string[] } => ({
  actions: statements.flatMap(actionsOf).filter((a) => a.includes('*')),
  resources: statements.flatMap((s) =>
    resourcesOfStatement(s)
      .map((r) => JSON.stringify(r))
      .filter((r) => r.includes('*'))
      .map((r) => `${actionsOf(s).join(',')} on ${r}`),
  ),
});
