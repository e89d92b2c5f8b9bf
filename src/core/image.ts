import type { IConstruct } from 'constructs';

/** True if the reference names an exact tag (not `latest`) or a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag.length > 0 && tag !== 'latest' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

/** Throws a construct-scoped error unless the image is pinned. */
export function assertPinnedImage(scope: IConstruct, field: string, image: string): void {
  if (!isPinnedImage(image)) {
    throw new Error(
      `${scope.node.path}: ${field} "${image}" is not pinned; use an exact tag or digest ` +
        `(e.g. "${image.replace(/:latest$/, '')}:1.2.3"), never "latest" or no tag, so every sync deploys the same bits`,
    );
  }
}

/** Exact semantic version, e.g. `0.7.23` (no ranges, no `latest`). */
export function isExactVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version);
}
