/**
 * What `ask deploy` creates agrees with what the skill does: the runtime the bundle is built for, the
 * table's key schema the DynamoDB store and the tests use, the role's table actions the store needs,
 * the Alexa trigger's skill-id check, and IoT Core policies that need no change to add a home.
 * (cfn-lint checks the template itself, in CI.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

interface YamlType {
  new (tag: string, options: { kind: 'scalar' | 'sequence' | 'mapping'; construct: (data: unknown) => unknown }): unknown;
}
interface JsYaml {
  Type: YamlType;
  DEFAULT_SCHEMA: { extend(types: unknown[]): unknown };
  load(text: string, options: { schema: unknown }): unknown;
}

/** The template as data, CloudFormation's short tags read as their long forms (`!Ref X` → `{Ref: X}`). */
function loadTemplate(): Record<string, Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as JsYaml;
  const tags = ['Ref', 'Sub', 'GetAtt', 'If', 'Not', 'Equals', 'And', 'Or', 'Join', 'Select', 'Split'];
  const types = tags.flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${name}`, { kind, construct: (data) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: name === 'GetAtt' && typeof data === 'string' ? data.split('.') : data }) }),
    ),
  );
  const text = readFileSync(join(ROOT, 'infrastructure/cfn-deployer/skill-stack.yaml'), 'utf8');
  return yaml.load(text, { schema: yaml.DEFAULT_SCHEMA.extend(types) }) as Record<string, Record<string, unknown>>;
}

const template = loadTemplate();
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resourcesOf = (type: string) => Object.values(resources).filter((r) => r.Type === type);

describe('ask-resources.json', () => {
  const resourcesJson = JSON.parse(readFileSync(join(ROOT, 'ask-resources.json'), 'utf8')) as {
    profiles: { default: { code: { default: { src: string } }; skillInfrastructure: { type: string; userConfig: Record<string, unknown> & { cfn: { parameters: Record<string, string> } } } } };
  };
  const infra = resourcesJson.profiles.default.skillInfrastructure;

  it('deploys with the CloudFormation deployer, the built bundle, on a supported Node.js runtime that the build targets', () => {
    expect(infra.type).toBe('@ask-cli/cfn-deployer');
    expect(infra.userConfig.templatePath).toBe('./infrastructure/cfn-deployer/skill-stack.yaml');
    expect(infra.userConfig.handler).toBe('index.handler');
    expect(resourcesJson.profiles.default.code.default.src).toBe('./dist/lambda');
    const runtime = String(infra.userConfig.runtime);
    expect(['nodejs22.x', 'nodejs24.x']).toContain(runtime);
    const major = /^nodejs(\d+)\.x$/.exec(runtime)![1];
    expect(readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8')).toContain(`const lambdaTarget = 'node${major}';`);
  });

  it('passes exactly the parameters the template declares beyond the six the ASK CLI fills in', () => {
    const declared = Object.keys(template.Parameters!);
    const fromCli = ['SkillId', 'LambdaRuntime', 'LambdaHandler', 'CodeBucket', 'CodeKey', 'CodeVersion'];
    expect(declared.slice(0, 6)).toEqual(fromCli);
    expect(Object.keys(infra.userConfig.cfn.parameters).sort()).toEqual(declared.slice(6).sort());
  });
});

describe('the skill stack', () => {
  it('makes the table the skill and the tests use: partition key id (string), on demand, TTL for pairing offers', () => {
    const [table, ...others] = resourcesOf('AWS::DynamoDB::Table');
    expect(others).toEqual([]);
    expect(table!.Properties).toEqual(
      expect.objectContaining({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    // test/support/dynalite.ts creates the same key schema.
    expect(readFileSync(join(ROOT, 'test/support/dynalite.ts'), 'utf8')).toContain("KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }]");
  });

  it("gives the function's role only its log group and its table's item actions", () => {
    const [role] = resourcesOf('AWS::IAM::Role');
    const statements = (role!.Properties.Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['SkillLogGroup', 'Arn'] } },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] } },
    ]);
  });

  it('lets only this skill invoke the function, and tells the skill its table and skill id', () => {
    const [permission] = resourcesOf('AWS::Lambda::Permission');
    expect(permission!.Properties).toEqual(expect.objectContaining({ Principal: 'alexa-appkit.amazon.com', EventSourceToken: { Ref: 'SkillId' }, Action: 'lambda:InvokeFunction' }));
    const [fn] = resourcesOf('AWS::Lambda::Function');
    expect(fn!.Properties).toEqual(expect.objectContaining({ Runtime: { Ref: 'LambdaRuntime' }, Handler: { Ref: 'LambdaHandler' }, Timeout: 8 }));
    const variables = (fn!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toEqual(expect.objectContaining({ WINDDOWN_SKILL_ID: { Ref: 'SkillId' }, WINDDOWN_DYNAMODB_TABLE: { Ref: 'StateTable' } }));
    expect((template.Outputs as Record<string, { Value: unknown }>).SkillEndpoint!.Value).toEqual({ 'Fn::GetAtt': ['SkillFunction', 'Arn'] });
  });

  it("limits every home to its own topics through the thing-name policy variable, with no home named in any policy", () => {
    const home = JSON.stringify(resources.HomeIotPolicy!.Properties.PolicyDocument);
    expect(home).toContain('client/${!iot:Connection.Thing.ThingName}');
    expect(home).toContain('"iot:Connection.Thing.IsAttached":"true"');
    const topics = [...home.matchAll(/topic(?:filter)?\/winddown\/([^"/]+)/g)].map((m) => m[1]);
    expect(new Set(topics)).toEqual(new Set(['${!iot:Connection.Thing.ThingName}', 'pairing']));
  });
});
