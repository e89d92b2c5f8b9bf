export { runSynth, synthesize, type SynthesizeOptions } from './synthesize';
export { SynthesisError, publish, type PublishOptions, type PublishSummary } from './publish';
export { renderTree, type RenderedFile } from './render-tree';
export { toYaml } from './manifest-file';
