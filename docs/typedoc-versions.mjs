// @ts-check
/**
 * A TypeDoc plugin: `@default VERSIONS.images.ollama` is shown with the pinned value it stands for, read from the
 * documented `VERSIONS` constant. The docs give every default as a value, and src/config/versions.ts stays the
 * one place each pin is written (Renovate updates it there).
 */
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const versions = context.project.getReflectionsByKind(ReflectionKind.Variable).find((r) => r.name === 'VERSIONS');
    const pins = versions ? pinsOf(versions, 'VERSIONS') : new Map();
    for (const reflection of Object.values(context.project.reflections)) {
      for (const tag of reflection.comment?.blockTags ?? []) {
        if (tag.tag !== '@default') continue;
        const expression = tag.content.map((part) => part.text).join('').replace(/^```\w*\n?|\n?```$/g, '').trim();
        const pin = pins.get(expression);
        if (pin !== undefined) tag.content = [{ kind: 'code', text: `\`\`\`ts\n'${pin}' // ${expression}\n\`\`\`` }];
      }
    }
  });
}

/**
 * Every string of a constant by its dotted name, e.g. `VERSIONS.images.ollama` → `ollama/ollama:0.32.15`.
 * @param {import('typedoc').Reflection} reflection
 * @param {string} path
 * @returns {Map<string, string>}
 */
function pinsOf(reflection, path) {
  const type = /** @type {any} */ (reflection).type;
  if (type?.type === 'literal' && typeof type.value === 'string') return new Map([[path, type.value]]);
  const children = type?.type === 'reflection' ? type.declaration.children ?? [] : [];
  return new Map(children.flatMap((/** @type {import('typedoc').Reflection} */ child) => [...pinsOf(child, `${path}.${child.name}`)]));
}
