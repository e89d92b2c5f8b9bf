import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Lazy } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import type { Agent } from '../agents/agent';
import type { KagentInstall } from '../agents/kagent-install';
import { PIPE_DIR } from '../core/paths';
import { ExtraFile } from '../core/extra-file';
import { PlatformChart } from '../core/platform-chart';
import { assertPinnedImage } from '../core/image';
import { RequiredSecret } from '../core/required-secret';
import type { SecretKeyRef } from '../core/secret-ref';
import type { OpenWebUi } from './open-webui';
import { resolveChatIdentity, withIdentityDefaults, type ChatIdentity } from './chat-identity';
import { chatModelId } from './chat-model-id';
import { allowListOf, type ChatAccess } from '../core/chat-access';
import { openWebUiAdminJob } from './open-webui-admin-job';

export interface OpenWebUiPipeProps {
  /** The Open WebUI to register into. */
  readonly openWebUi: OpenWebUi;
  /** kagent, for the A2A base URL valve. */
  readonly kagent: KagentInstall;
  /** Agents offered as models of the manifold, in menu order; read at synth time, so agents pushed onto the list later count. */
  readonly agents: readonly Agent[];
  /**
   * Function id in Open WebUI (a Python identifier).
   * @default 'kagent_agents'
   */
  readonly functionId?: string;
  /**
   * Default of the timeout valve, in seconds.
   * @default 300
   */
  readonly timeoutSeconds?: number;
  /**
   * Register the function through Open WebUI's API on every sync, with an admin API key from a Secret.
   * @default - no Job; paste the function by hand (README)
   */
  readonly register?: { readonly adminApiKeySecret: SecretKeyRef };
  /**
   * Image for the registration Job (any image with Python 3; Open WebUI's is already on the node).
   * @default - the Open WebUI image
   */
  readonly image: string;
  /**
   * Extra labels on the registration Job's pod, for network policies.
   * @default {}
   */
  readonly registrationPodLabels?: Readonly<Record<string, string>>;
  /**
   * Whom kagent sees as the user (the valve defaults): the signed-in user from `__user__`, else the service identity.
   * @default - the user's e-mail, else 'open-webui-service'
   */
  readonly identity?: ChatIdentity;
  /**
   * Who may use each agent; read at synth time. The users and roles become the agent's `allow` in the Pipe
   * (it refuses anyone else); groups are Open WebUI's to enforce (see `OpenWebUiAccess`).
   * @default - every agent open to every user who sees it
   */
  readonly access?: ReadonlyMap<Agent, ChatAccess>;
}

/**
 * The Open WebUI Pipe route to the agents, for those who prefer a Function to the bridge: a manifold
 * generated from the same typed agent list, written to `dist/openwebui/a2a_pipe.py` and a ConfigMap, and
 * optionally registered by a PostSync Job.
 */
export class OpenWebUiPipe extends Construct {
  public readonly functionId: string;
  /** Labels of the registration Job's pod (it calls Open WebUI), when `register` is set. */
  public readonly registrationPodLabels?: Record<string, string>;

  constructor(scope: Construct, id: string, props: OpenWebUiPipeProps) {
    super(scope, id);
    this.functionId = props.functionId ?? 'kagent_agents';
    if (props.register) this.registrationPodLabels = { ...props.registrationPodLabels, 'app.kubernetes.io/name': 'register-a2a-pipe' };
    if (!/^[a-z_][a-z0-9_]*$/.test(this.functionId)) {
      throw new Error(`${this.node.path}: functionId "${this.functionId}" must be a lowercase Python identifier, e.g. "kagent_agents"`);
    }
    const timeout = props.timeoutSeconds ?? 300;
    if (!(timeout > 0)) throw new Error(`${this.node.path}: timeoutSeconds must be positive, got ${timeout}`);
    assertPinnedImage(this, 'image', props.image);
    let rendered: string | undefined;
    const identity = resolveChatIdentity(this, props.identity);
    const source = () => (rendered ??= renderPipe(props.agents, props.kagent.a2aUrl, timeout, props.kagent.namespace, identity, props.access));
    // Next to the chart's manifests, so each tree of a fleet has its own.
    const chart = Chart.of(this);
    const folder = PlatformChart.isPlatformChart(chart) ? chart.folder : 'openwebui';
    new ExtraFile(this, 'File', { path: `${folder}/a2a_pipe.py`, content: source });
    const namespace = props.openWebUi.namespace;
    new k8s.KubeConfigMap(this, 'Source', {
      metadata: { name: 'a2a-pipe-function', namespace },
      data: { 'a2a_pipe.py': Lazy.any({ produce: source }), 'register_pipe.py': readFileSync(join(PIPE_DIR, 'register_pipe.py'), 'utf8') },
    });
    if (props.register) this.registrationJob(props, namespace);
  }

  private registrationJob(props: OpenWebUiPipeProps, namespace: string): void {
    const key = props.register!.adminApiKeySecret;
    new RequiredSecret(this, 'AdminKey', { namespace, ref: key, purpose: 'Open WebUI admin API key (registers the Pipe function)' });
    openWebUiAdminJob(this, 'Register', {
      name: 'register-a2a-pipe',
      namespace,
      podLabels: this.registrationPodLabels!,
      image: props.image,
      container: 'register',
      configMap: 'a2a-pipe-function',
      mountPath: '/pipe',
      script: 'register_pipe.py',
      openWebUiUrl: props.openWebUi.url,
      adminApiKeySecret: key,
      env: [
        { name: 'FUNCTION_ID', value: this.functionId },
        { name: 'FUNCTION_NAME', value: 'kagent agents' },
        { name: 'PIPE_FILE', value: '/pipe/a2a_pipe.py' },
      ],
    });
  }
}

/** The Pipe source with the agent list and valve defaults filled in. */
export function renderPipe(
  agents: readonly Agent[],
  a2aBaseUrl: string,
  timeoutSeconds: number,
  homeNamespace = 'kagent',
  identity: ChatIdentity = {},
  access?: ReadonlyMap<Agent, ChatAccess>,
): string {
  const { userIdFrom, serviceUserId } = withIdentityDefaults(identity);
  const list = agents.map((a) => {
    const allow = allowListOf(access?.get(a));
    return { id: chatModelId(a, homeNamespace), name: a.name, namespace: a.namespace, title: chatModelId(a, homeNamespace), ...(allow && { allow }) };
  });
  return readFileSync(join(PIPE_DIR, 'a2a_pipe.py'), 'utf8')
    .replace('__AGENTS_JSON__', JSON.stringify(list))
    .replace('__A2A_BASE_URL__', a2aBaseUrl)
    .replace('__TIMEOUT_SECONDS__', timeoutSeconds.toFixed(1))
    .replace('__USER_ID_FROM__', userIdFrom)
    .replace('__SERVICE_USER_ID__', serviceUserId);
}
