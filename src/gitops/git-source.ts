/** Where Argo CD reads the synthesized tree from. */
export interface GitSource {
  /** Git repository URL, e.g. `https://github.com/me/homelab.git`. */
  readonly repoUrl: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Path of `dist/` inside the repository, e.g. `dist` or `clusters/lab/dist`. */
  readonly basePath: string;
}
