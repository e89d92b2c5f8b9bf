import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { isDnsLabel } from './names';
import { brand, isBranded } from './brand';

export interface PlatformChartProps extends ChartProps {
  /**
   * Folder under `dist/` this chart is written to; one folder is one Argo CD Application. Nested folders
   * (`clusters/homelab/agents`) are allowed: each segment is a DNS-1123 label.
   */
  readonly folder: string;
}

/**
 * A chart that is one Argo CD application: human names (no hash suffixes) and a fixed output folder.
 */
export class PlatformChart extends Chart {
  /** Returns true if `x` is a PlatformChart. */
  public static isPlatformChart(x: unknown): x is PlatformChart {
    return isBranded(x, 'PlatformChart');
  }

  /** Folder under `dist/`. */
  public readonly folder: string;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    brand(this, 'PlatformChart');
    if (!props.folder.split('/').every(isDnsLabel)) {
      throw new Error(`${this.node.path}: folder "${props.folder}" must be lowercase DNS-1123 labels joined by "/", e.g. "kagent" or "clusters/lab/kagent"`);
    }
    this.folder = props.folder;
  }
}
