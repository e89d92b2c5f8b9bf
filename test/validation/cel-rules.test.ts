import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../../src/core/paths';
import { compileRule, ruleTreeOf, rulesOf, ruleViolations } from '../../src/validation/cel-rules';
import { ManifestValidator } from '../../src/validation/manifest-validator';

const v0912 = new ManifestValidator(SCHEMA_DIR, { kagentVersion: '0.9.12' });
const v0723 = new ManifestValidator(SCHEMA_DIR, { kagentVersion: '0.7.23' });

const agent = (declarative: Record<string, unknown>) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'foo', namespace: 'kagent' },
  spec: { type: 'Declarative', declarative: { modelConfig: 'm', ...declarative } },
});
const remote = (spec: Record<string, unknown>) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'RemoteMCPServer',
  metadata: { name: 'r', namespace: 'kagent' },
  spec: { description: 'd', url: 'https://tools.example/mcp', ...spec },
});
const mcpTool = (mcpServer: Record<string, unknown>) => ({
  type: 'McpServer',
  mcpServer: { apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'tools', ...mcpServer },
});

describe('CEL rules of the pinned CRDs', () => {
  it.each([v0912, v0723])('rejects mutually exclusive systemMessage and systemMessageFrom (kagent $kagentVersion)', (validator) => {
    const object = agent({ systemMessage: 'hi', systemMessageFrom: { type: 'ConfigMap', name: 'prompts', key: 'foo.md' } });
    expect(validator.validate(object, 'dist/x.yaml')).toEqual([
      'dist/x.yaml: Agent kagent/foo: /spec/declarative: systemMessage and systemMessageFrom are mutually exclusive',
    ]);
  });

  it('rejects a requireApproval entry outside toolNames, at the array item', () => {
    const object = agent({
      systemMessage: 'hi',
      tools: [mcpTool({ toolNames: ['read'], requireApproval: ['read'] }), mcpTool({ toolNames: ['read'], requireApproval: ['write'] })],
    });
    expect(v0912.validate(object, 'dist/x.yaml')).toEqual([
      'dist/x.yaml: Agent kagent/foo: /spec/declarative/tools/1/mcpServer: each RequireApproval entry must also appear in ToolNames',
    ]);
  });

  it('rejects a RemoteMCPServer tls block with an http:// url on 0.9.12 and accepts it with https://', () => {
    const tls = { disableVerify: true };
    expect(v0912.validate(remote({ url: 'http://tools.example/mcp', tls }), 'f.yaml')).toEqual([
      'f.yaml: RemoteMCPServer kagent/r: /spec: spec.tls must be unset when spec.url has http:// scheme: a TLS opinion contradicts a plaintext URL. Either drop spec.tls, or use https:// / a scheme-less URL.',
    ]);
    expect(v0912.validate(remote({ url: 'https://tools.example/mcp', tls }), 'f.yaml')).toEqual([]);
  });

  it('rejects a provider block that does not match the provider', () => {
    const modelConfig = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: 'm', namespace: 'kagent' },
      spec: { model: 'llama3', provider: 'OpenAI', ollama: { host: 'http://ollama:11434' } },
    };
    expect(v0912.validate(modelConfig, 'f.yaml')).toEqual(['f.yaml: ModelConfig kagent/m: /spec: provider.ollama must be nil if the provider is not Ollama']);
  });

  it('produces no errors for valid objects', () => {
    const valid = [
      agent({
        systemMessage: 'hi',
        tools: [mcpTool({ toolNames: ['read', 'write'], requireApproval: ['write'] }), { type: 'Agent', agent: { name: 'other' } }],
      }),
      { ...agent({ systemMessageFrom: { type: 'ConfigMap', name: 'prompts', key: 'foo.md' } }) },
      remote({ headersFrom: [{ name: 'Authorization', valueFrom: { type: 'Secret', name: 's', key: 'k' } }] }),
      {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'ModelConfig',
        metadata: { name: 'm', namespace: 'kagent' },
        spec: { model: 'kimi-k2.6:cloud', provider: 'Ollama', ollama: { host: 'http://ollama:11434' } },
      },
    ];
    for (const object of valid) expect(v0912.validate(object, 'f.yaml')).toEqual([]);
  });

  it('applies schema defaults before the rules, as the API server does (spec.type defaults to Declarative)', () => {
    const object = agent({ systemMessage: 'hi' });
    delete (object.spec as { type?: string }).type;
    expect(v0912.validate(object, 'f.yaml')).toEqual([]);
  });

  it('compiles every CEL rule of every pinned CRD with the offline environment', () => {
    const dirs = [join(SCHEMA_DIR, 'crds'), ...ManifestValidator.kagentVersions().map((v) => join(SCHEMA_DIR, 'kagent', v))];
    const rules = dirs.flatMap((dir) =>
      readdirSync(dir).flatMap((file) => rulesOf(ruleTreeOf(JSON.parse(readFileSync(join(dir, file), 'utf8')))).map((r) => ({ file, ...r }))),
    );
    expect(rules.length).toBeGreaterThan(50);
    const problems = rules
      .map(({ file, path, rule }) => ({ file, path, rule: rule.rule, compiled: compileRule(rule.rule) }))
      .filter(({ compiled }) => compiled.syntaxError || compiled.unsupported.length > 0 || (!compiled.transition && !compiled.evaluate));
    expect(problems).toEqual([]);
  });

  it('notices a function the offline environment lacks', () => {
    expect(compileRule("quantity(self.limit).isGreaterThan(quantity('1'))").unsupported).toEqual(['isGreaterThan', 'quantity']);
    expect(ruleViolations({ rules: [{ rule: 'isURL(self.url)', message: 'url' }] }, { url: 'x' })).toEqual([
      { path: '/', message: 'rule "isURL(self.url)" uses CEL functions this offline check lacks (isURL); add them in src/validation/cel-rules.ts' },
    ]);
  });
});

describe('ruleViolations', () => {
  it('skips transition rules that read oldSelf and still evaluates the others', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [
            { rule: 'self.name == oldSelf.name', message: 'name is immutable' },
            { rule: "self.name.startsWith('x')", message: 'name must start with x' },
          ],
          properties: { name: { type: 'string' } },
        },
      },
    };
    const tree = ruleTreeOf(schema);
    expect(compileRule('self.name == oldSelf.name').transition).toBe(true);
    expect(ruleViolations(tree, { spec: { name: 'y' } })).toEqual([{ path: '/spec', message: 'name must start with x' }]);
    expect(ruleViolations(tree, { spec: { name: 'x' } })).toEqual([]);
  });

  it('evaluates rules on map values and array items, with messageExpression and fieldPath', () => {
    const schema = {
      type: 'object',
      properties: {
        limits: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { max: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.max % 2 == 0', messageExpression: "'max must be even, got ' + string(self.max)" }],
          },
        },
        ports: {
          type: 'array',
          items: {
            type: 'object',
            properties: { port: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.port > 1024', message: 'unprivileged ports only', fieldPath: '.port' }],
          },
        },
      },
    };
    expect(ruleViolations(ruleTreeOf(schema), { limits: { 'a/b': { max: 3 }, c: { max: 4 } }, ports: [{ port: 8080 }, { port: 80 }] })).toEqual([
      { path: '/limits/a~1b', message: 'max must be even, got 3' },
      { path: '/ports/1/port', message: 'unprivileged ports only' },
    ]);
  });

  it('reports a rule that cannot be evaluated, and uses the rule text when there is no message', () => {
    const tree = { rules: [{ rule: "self.mode == 'a'" }, { rule: 'size(self.items) < 2' }] };
    expect(ruleViolations(tree, { items: [1, 2] })).toEqual([
      { path: '/', message: expect.stringMatching(/^rule "self\.mode == 'a'" could not be evaluated: .*mode/) },
      { path: '/', message: 'failed rule: size(self.items) < 2' },
    ]);
  });

  it('compiles each rule once', () => {
    expect(compileRule('self.a == 1')).toBe(compileRule('self.a == 1'));
  });
});
