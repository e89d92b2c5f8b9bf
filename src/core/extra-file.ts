import { Construct } from 'constructs';
import { brand, isBranded } from './brand';

export interface ExtraFileProps {
  /** Path inside `dist/`, e.g. `TOPOLOGY.md` or `openwebui/a2a_pipe.py`. */
  readonly path: string;
  /** Produces the content at synth time, after every construct has been added. */
  readonly content: () => string;
}

/** A non-manifest file (a diagram, a script, an inventory) written into the synthesized tree. */
export class ExtraFile extends Construct {
  /** Returns true if `x` is an ExtraFile. */
  public static isExtraFile(x: unknown): x is ExtraFile {
    return isBranded(x, 'ExtraFile');
  }

  /** Path inside `dist/`. */
  public readonly path: string;
  private readonly produce: () => string;

  constructor(scope: Construct, id: string, props: ExtraFileProps) {
    super(scope, id);
    brand(this, 'ExtraFile');
    if (!/^([a-z0-9][-a-z0-9]*\/)*[A-Za-z0-9][A-Za-z0-9._-]*$/.test(props.path)) {
      throw new Error(`${this.node.path}: path "${props.path}" must be "<file>" or "<folder>/…/<file>" with lowercase folder names`);
    }
    this.path = props.path;
    this.produce = props.content;
  }

  /** The file content. */
  public render(): string {
    return this.produce();
  }
}
