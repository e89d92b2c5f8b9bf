import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSIONS } from '../../src/core/versions';
import { REPO_ROOT, readTree } from '../support/platform';

const work = mkdtempSync(join(tmpdir(), 'api-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One page per module: the typedoc entry points. */
const ENTRY_POINTS: string[] = (JSON.parse(readFileSync(join(REPO_ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] }).entryPoints;

/** Constructs whose JSDoc has no `@example` yet (their files belong to other work); new constructs come with one. */
const AWAITING_EXAMPLES = [
  'A2aBridge',
  'AgentPlatform',
  'AgentTeam',
  'AnthropicModelConfig',
  'AppOfApps',
  'ApplicationSet',
  'ArgoApplication',
  'ArgoProject',
  'AzureDevOpsMcpServer',
  'ExtraFile',
  'Fleet',
  'GrafanaMcpServer',
  'KagentInstall',
  'KagentPostgres',
  'McpServer',
  'ModelConfig',
  'NamespaceFirewall',
  'OpenAiModelConfig',
  'OpenWebUi',
  'OpenWebUiPipe',
  'OpenWebUiToolServerSync',
  'PlatformChart',
  'RemoteMcpServer',
  'Searxng',
  'SearxngMcpServer',
  'SecurityReport',
  'TalosNamespace',
  'ToolHiveOperator',
  'Topology',
];

/** The package's exports and each docs module's, by name, from the TypeScript program of the sources. */
function exportsOf(files: readonly string[]): { program: ts.Program; names: (file: string) => ts.Symbol[] } {
  const program = ts.createProgram(
    files.map((f) => join(REPO_ROOT, f)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true },
  );
  const checker = program.getTypeChecker();
  return { program, names: (file) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(REPO_ROOT, file))!)!) };
}

/** True if the class derives from constructs' Construct (a cdk8s Chart does too). */
function isConstruct(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (type.getBaseTypes() ?? []).some((base) => base.symbol?.name === 'Construct' || isConstruct(checker, base));
}

describe('API reference (docs/api, generated from the JSDoc by typedoc)', () => {
  let generated: Map<string, string>;
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', work], { cwd: REPO_ROOT, stdio: 'pipe' });
    generated = readTree(work);
  }, 120_000);

  it('matches the public API (run `npm run docs` and commit if this fails)', () => {
    const committed = readTree(join(REPO_ROOT, 'docs', 'api'));
    expect([...committed.keys()]).toEqual([...generated.keys()]);
    for (const [path, content] of generated) expect(committed.get(path), `docs/api/${path} is stale`).toBe(content);
  });

  it('has a page per module, listed on the index page', () => {
    const modules = ['agents', 'chat', 'config', 'core', 'gitops', 'models', 'namespaces', 'platform', 'reports', 'synth', 'tools', 'validation'];
    expect([...generated.keys()].sort()).toEqual(['README.md', ...modules.map((m) => `${m}.md`)]);
    for (const module of modules) expect(generated.get('README.md')).toContain(`- [${module}](${module}.md)`);
    expect(generated.get('platform.md')).toContain('### AgentPlatform');
  });

  it('documents the platform config field by field, with defaults as values', () => {
    const config = generated.get('config.md')!;
    expect(config).toContain('### PlatformConfigInput');
    expect(config).toMatch(
      /##### numParallel\?\n\n> `readonly` `optional` \*\*numParallel\*\*: `number`\n\nParallel requests per loaded model(?:[^\n]*\n(?!#))+\n###### Default\n\n```ts\n4\n```\n\n###### Example\n\n```ts\n8\n```/,
    );
    expect(config).toContain(`\`\`\`ts\n'${VERSIONS.images.ollama}' // VERSIONS.images.ollama\n\`\`\``);
    // What zod's inferred types rendered: defaults as `...`, the schema's type on one line.
    for (const [path, page] of generated) expect(page, path).not.toContain('= `...`');
    expect(config).toContain(
      '> `const` **PlatformConfigSchema**: `z.ZodType`\\<[`PlatformConfig`](#platformconfig), [`PlatformConfigInput`](#platformconfiginput)\\>',
    );
  });

  it('documents every export of the package on one of its module pages', () => {
    const { names } = exportsOf(['src/index.ts', ...ENTRY_POINTS]);
    const documented = new Set(ENTRY_POINTS.flatMap((entry) => names(entry).map((s) => s.name)));
    expect(
      names('src/index.ts')
        .map((s) => s.name)
        .filter((name) => !documented.has(name)),
    ).toEqual([]);
  });

  it('shows each construct with an example', () => {
    const { program, names } = exportsOf(['src/index.ts']);
    const checker = program.getTypeChecker();
    const withoutExample = names('src/index.ts')
      .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
      .filter((symbol) => symbol.flags & ts.SymbolFlags.Class && isConstruct(checker, checker.getDeclaredTypeOfSymbol(symbol)))
      .filter((symbol) => !symbol.getJsDocTags(checker).some((tag) => tag.name === 'example'))
      .map((symbol) => symbol.name);
    expect(withoutExample.sort()).toEqual([...AWAITING_EXAMPLES].sort());
  });
});
