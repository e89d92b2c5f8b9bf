import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lazy } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import type { Agent } from '../agents/agent';
import type { KagentInstall } from '../agents/kagent-install';
import { assertChatAccess, type ChatAccess } from '../core/chat-access';
import { assertPinnedImage } from '../core/image';
import { PIPE_DIR } from '../core/paths';
import { RequiredSecret } from '../core/required-secret';
import type { SecretKeyRef } from '../core/secret-ref';
import { chatModelId } from './chat-model-id';
import type { OpenWebUi } from './open-webui';
import { openWebUiAdminJob } from './open-webui-admin-job';

export interface OpenWebUiAccessProps {
  /** The Open WebUI whose groups and model access are kept in step. */
  readonly openWebUi: OpenWebUi;
  /** kagent, whose namespace decides the model ids (`<name>` there, `<namespace>/<name>` elsewhere). */
  readonly kagent: KagentInstall;
  /** The agents offered in the chat, in menu order; read at synth time, so agents added later count. */
  readonly agents: readonly Agent[];
  /**
   * Who may see each agent; read at synth time. Agents without groups here are readable by every user.
   * @default - every agent readable by every user
   */
  readonly access?: ReadonlyMap<Agent, ChatAccess>;
  /**
   * The bridge route is on: its model ids (the agents' chat ids) get the access.
   * @default true
   */
  readonly bridge?: boolean;
  /**
   * The Pipe's function id, when the Pipe route is on: its model ids `<functionId>.<chat id>` get the access too.
   * @default - no Pipe
   */
  readonly pipeFunctionId?: string;
  /** Secret with an Open WebUI admin API key (read by reference). */
  readonly adminApiKeySecret: SecretKeyRef;
  /** Image with Python 3 (Open WebUI's own is already on the node). */
  readonly image: string;
  /**
   * Extra labels on the Job's pod, for network policies.
   * @default {}
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** What `sync_access.py` reads: the groups to create and the read groups of each model id. */
export interface AccessFile {
  readonly groups: string[];
  readonly models: Array<{ id: string; name: string; groups: string[] }>;
}

const NAME = 'sync-open-webui-access';

/**
 * Per-team access in Git: a PostSync Job that creates the configured Open WebUI groups and sets each agent's
 * model access (bridge and Pipe model ids) so that only its groups can read it, or every user when it names
 * none. Idempotent: a run that finds everything in place writes nothing. Group membership is not managed; it
 * stays Open WebUI's (or its SSO's).
 * @example
 * ```ts
 * new OpenWebUiAccess(chart, 'access', {
 *   openWebUi, kagent, agents: [scout, lead],
 *   access: new Map([[scout, { groups: ['research'] }]]), // lead: every user
 *   pipeFunctionId: pipe.functionId,
 *   adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' },
 *   image: VERSIONS.images.openWebUi,
 * });
 * ```
 */
export class OpenWebUiAccess extends Construct {
  /** Labels of the Job's pod (`app.kubernetes.io/name` plus `podLabels`). */
  public readonly podLabels: Record<string, string>;
  private readonly props: OpenWebUiAccessProps;

  constructor(scope: Construct, id: string, props: OpenWebUiAccessProps) {
    super(scope, id);
    this.props = props;
    assertPinnedImage(this, 'image', props.image);
    const functionId = props.pipeFunctionId;
    if (functionId !== undefined && !/^[a-z_][a-z0-9_]*$/.test(functionId))
      throw new Error(`${this.node.path}: pipeFunctionId "${functionId}" must be a lowercase Python identifier, e.g. "kagent_agents"`);
    if (props.bridge === false && functionId === undefined)
      throw new Error(`${this.node.path}: neither the bridge nor the Pipe is on, so no model would get access; set bridge or pipeFunctionId`);
    this.podLabels = { ...props.podLabels, 'app.kubernetes.io/name': NAME };
    this.node.addValidation({ validate: () => this.problems() });
    const namespace = props.openWebUi.namespace;
    const key = props.adminApiKeySecret;
    new RequiredSecret(this, 'AdminKey', { namespace, ref: key, purpose: 'Open WebUI admin API key (keeps groups and agent access in step with Git)' });
    new k8s.KubeConfigMap(this, 'Source', {
      metadata: { name: NAME, namespace },
      data: {
        'access.json': Lazy.any({ produce: () => `${JSON.stringify(this.accessFile(), null, 2)}\n` }),
        'sync_access.py': readFileSync(join(PIPE_DIR, 'sync_access.py'), 'utf8'),
      },
    });
    openWebUiAdminJob(this, 'Resource', {
      name: NAME,
      namespace,
      podLabels: this.podLabels,
      image: props.image,
      container: 'sync',
      configMap: NAME,
      mountPath: '/access',
      script: 'sync_access.py',
      openWebUiUrl: props.openWebUi.url,
      adminApiKeySecret: key,
      env: [{ name: 'ACCESS_FILE', value: '/access/access.json' }],
    });
  }

  /** The groups and model access the Job applies, as they are now. */
  public accessFile(): AccessFile {
    const { agents, access, kagent, pipeFunctionId } = this.props;
    const groups: string[] = [];
    const models: AccessFile['models'] = [];
    for (const agent of agents) {
      const id = chatModelId(agent, kagent.namespace);
      const own = [...(access?.get(agent)?.groups ?? [])];
      for (const g of own) if (!groups.includes(g)) groups.push(g);
      if (this.props.bridge ?? true) models.push({ id, name: id, groups: own });
      if (pipeFunctionId !== undefined) models.push({ id: `${pipeFunctionId}.${id}`, name: id, groups: own });
    }
    return { groups, models };
  }

  private problems(): string[] {
    if (this.props.agents.length === 0) return [`${this.node.path}: agents is empty; there is no access to keep in step`];
    const problems: string[] = [];
    for (const agent of this.props.agents) {
      try {
        assertChatAccess(this, `access of agent "${agent.namespace}/${agent.name}"`, this.props.access?.get(agent));
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return problems;
  }
}
