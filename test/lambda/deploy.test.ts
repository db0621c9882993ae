/**
 * What `ask deploy` creates agrees with what the skill does: the runtime the bundle is built for, the
 * table's key schema the DynamoDB store and the tests use, the role's table actions the store needs,
 * the Alexa trigger's skill-id check, and IoT Core policies that need no change to add a home.
 * (cfn-lint checks the template itself, in CI.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESERVED_HOME_IDS } from '../../src/protocol/topics';

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
  it('makes the table the skill and the tests use: partition key id (string), on demand, TTL for the pairing ledger', () => {
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
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] } },
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
    const allowed = (resources.HomeIotPolicy!.Properties.PolicyDocument as { Statement: { Effect: string }[] }).Statement.filter((s) => s.Effect === 'Allow');
    const topics = [...JSON.stringify(allowed).matchAll(/topic(?:filter)?\/winddown\/([^"]+)"/g)].map((m) => m[1]);
    // Its own subtree, and its own offers under the pairing topics: nothing of another home's.
    expect(new Set(topics)).toEqual(
      new Set(['${!iot:Connection.Thing.ThingName}/*', '${!iot:Connection.Thing.ThingName}/availability', '${!iot:Connection.Thing.ThingName}/state/*', 'pairing/${!iot:Connection.Thing.ThingName}/*']),
    );
  });

  it('denies every reserved name outright, as a client and as the owner of offers, and lets no home read offers', () => {
    const statements = (resources.HomeIotPolicy!.Properties.PolicyDocument as { Statement: { Effect: string; Action: string[]; Resource: string[] }[] }).Statement;
    const deny = statements.find((s) => s.Effect === 'Deny')!;
    expect(deny.Action).toEqual(expect.arrayContaining(['iot:Connect', 'iot:Publish', 'iot:RetainPublish', 'iot:Subscribe', 'iot:Receive']));
    const denied = JSON.stringify(deny.Resource);
    for (const name of RESERVED_HOME_IDS) expect(denied).toContain(`:client/${name}"`);
    expect(denied).toContain('topic/winddown/pairing/pairing/*');
    expect(denied).toContain('topicfilter/winddown/pairing/*');
  });
});

/**
 * scripts/add-home.sh against a stand-in for the AWS CLI (AWS itself cannot be reached from a test):
 * it records every call and answers what the real CLI would, so the script's own work (the key, the
 * order of calls, the bridge's settings) runs for real.
 */
const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].some((p) => existsSync(p));

(OPENSSL ? describe : describe.skip)('scripts/add-home.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'winddown-add-home-'));
    mkdirSync(join(dir, 'bin'));
    const aws = [
      '#!/usr/bin/env bash',
      'echo "$*" >> "$AWS_CALLS"',
      'case "$*" in',
      '  *describe-endpoint*) echo abc123example-ats.iot.us-east-1.amazonaws.com ;;',
      "  *list-policies*) echo ask-winddown-default-skillStack-1-HomeIotPolicy-ABC ;;",
      '  *create-certificate-from-csr*) echo arn:aws:iot:us-east-1:123456789012:cert/c0ffee ;;',
      "  *describe-certificate*) printf -- '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n' ;;",
      'esac',
    ].join('\n');
    writeFileSync(join(dir, 'bin/aws'), `${aws}\n`, { mode: 0o755 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync('bash', [join(ROOT, 'scripts/add-home.sh'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, AWS_CALLS: join(dir, 'calls.log'), HOME: dir },
    });
  const calls = (): string[] => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : []);

  it('makes the thing, a certificate for a key made here, attaches both to the one home policy, and prints the bridge settings', () => {
    const result = run('--home-id', 'my-home');
    expect(result.stderr).not.toMatch(/add-home:/);
    expect(result.status).toBe(0);
    const home = join(dir, 'winddown-home-my-home');
    expect(calls()).toEqual([
      'iot describe-endpoint --endpoint-type iot:Data-ATS --query endpointAddress --output text',
      "iot list-policies --query policies[?contains(policyName, 'HomeIotPolicy')].policyName --output text",
      'iot create-thing --thing-name my-home',
      `iot create-certificate-from-csr --set-as-active --certificate-signing-request file://./winddown-home-my-home/request.csr --query certificateArn --output text`,
      'iot describe-certificate --certificate-id c0ffee --query certificateDescription.certificatePem --output text',
      'iot attach-thing-principal --thing-name my-home --principal arn:aws:iot:us-east-1:123456789012:cert/c0ffee',
      'iot attach-policy --policy-name ask-winddown-default-skillStack-1-HomeIotPolicy-ABC --target arn:aws:iot:us-east-1:123456789012:cert/c0ffee',
    ]);
    const key = readFileSync(join(home, 'key.pem'), 'utf8');
    expect(key).toContain('BEGIN EC PRIVATE KEY');
    expect(statSync(join(home, 'key.pem')).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).not.toContain(key.split('\n')[1]);
    const env = readFileSync(join(home, 'bridge.env'), 'utf8');
    expect(env).toBe(
      [
        'WINDDOWN_MQTT_URL=mqtts://abc123example-ats.iot.us-east-1.amazonaws.com:8883',
        `WINDDOWN_MQTT_CERT=${realpathSync(home)}/cert.pem`,
        `WINDDOWN_MQTT_KEY=${realpathSync(home)}/key.pem`,
        // The home policy allows a connection only when the client id is the thing name.
        'WINDDOWN_MQTT_CLIENT_ID=my-home',
        'WINDDOWN_HOME_ID=my-home',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toContain(env);
  });

  it('without --home-id, gives the home 128 random bits, URL-safe', () => {
    expect(run().status).toBe(0);
    const thing = calls().find((c) => c.startsWith('iot create-thing'))!.split(' ').pop()!;
    expect(thing).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("--skill makes the skill's certificate and prints the stack parameters for it as JSON, and no thing", () => {
    const result = run('--skill');
    expect(result.status).toBe(0);
    expect(calls().some((c) => c.startsWith('iot create-thing') || c.startsWith('iot attach-policy'))).toBe(false);
    const json = JSON.parse(`{${result.stdout.split('\n').filter((l) => l.startsWith('  "')).join('')}}`) as Record<string, string>;
    expect(json.IotEndpoint).toBe('abc123example-ats.iot.us-east-1.amazonaws.com');
    expect(json.SkillCertificateArn).toBe('arn:aws:iot:us-east-1:123456789012:cert/c0ffee');
    // Pasted into ask-resources.json, the JSON strings are the PEM files exactly; the stack puts them in
    // WINDDOWN_MQTT_CERT and WINDDOWN_MQTT_KEY, which take PEM text.
    expect(json.SkillCertificatePem).toBe(readFileSync(join(dir, 'winddown-skill/cert.pem'), 'utf8'));
    expect(json.SkillPrivateKeyPem).toBe(readFileSync(join(dir, 'winddown-skill/key.pem'), 'utf8'));
    expect(json.SkillPrivateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[^]+\n-----END EC PRIVATE KEY-----\n$/);
  });

  it('refuses a home id that is not one, before calling AWS at all', () => {
    const result = run('--home-id', 'my home!');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--home-id must be 1-64 letters, digits');
    expect(calls()).toEqual([]);
  });

  it('refuses every name the topics use, in any case, before calling AWS at all', () => {
    for (const name of [...RESERVED_HOME_IDS, 'Pairing']) {
      const result = run('--home-id', name);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('is a name the topics use');
    }
    expect(calls()).toEqual([]);
  });
});
