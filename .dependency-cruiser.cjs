/**
 * The layers of src/, bottom to top. A module may import its own layer and the layers below it, never one
 * above; peers on one rank (models, tools) do not import each other. `npm test` runs this (`npm run lint`).
 */
const LAYERS = [
  ['core'],
  ['validation'],
  ['synth'],
  ['namespaces'],
  ['models', 'tools'],
  ['agents'],
  ['chat'],
  ['gitops'],
  ['reports'],
  ['platform'],
  ['verify'],
  ['cli'],
];

const layerRules = LAYERS.flatMap((rank, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return rank.map((layer) => {
    const forbidden = [...above, ...rank.filter((peer) => peer !== layer)];
    return {
      name: `layer-${layer}`,
      comment: `src/${layer} may not import ${forbidden.join(', ')} (a layer above it or a peer): move the shared piece down, or pass it in`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${forbidden.join('|')})/` },
    };
  });
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Import cycles, type-only ones included, make modules impossible to read or change on their own',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'bridge-uses-core-only',
      comment: 'The bridge is a separate program (bundled on its own): it may share src/core, nothing else of the library',
      severity: 'error',
      from: { path: '^bridge/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'library-not-into-bridge',
      comment: 'The library does not import the bridge program; share through src/core',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^bridge/' },
    },
    {
      name: 'no-upward-into-generated',
      comment: 'Generated bindings (imports/) never import the library',
      severity: 'error',
      from: { path: '^imports/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
