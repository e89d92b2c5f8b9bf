/**
 * The tools `@azure-devops/mcp` 2.9.0 registers, per domain (`-d`). Read from microsoft/azure-devops-mcp at
 * tag v2.9.0: the `*_TOOLS` name maps and their `server.tool(...)` registrations in src/tools/core.ts,
 * work.ts, work-items.ts, repositories.ts, pipelines.ts, wiki.ts, search.ts, test-plans.ts,
 * advanced-security.ts and mcp-apps.ts (wired per domain in src/tools.ts); domains in src/shared/domains.ts.
 * Update this list together with the image's package version.
 */
export const AZURE_DEVOPS_MCP_VERSION = '2.9.0';

/** Tool names per domain. */
export const AZURE_DEVOPS_TOOLS = {
  core: ['core_list_project_teams', 'core_list_projects', 'core_get_identity_ids'],
  work: ['work', 'work_iteration_write', 'work_capacity_write'],
  'work-items': [
    'wit_work_item',
    'wit_query',
    'wit_backlog',
    'wit_work_item_attachment',
    'wit_work_item_write',
    'wit_work_item_comment_write',
    'wit_work_item_link_write',
  ],
  repositories: [
    'repo_repository',
    'repo_pull_request',
    'repo_pull_request_thread',
    'repo_branch',
    'repo_file',
    'repo_search_commits',
    'repo_pull_request_write',
    'repo_pull_request_thread_write',
    'repo_create_branch',
  ],
  pipelines: ['pipelines_build', 'pipelines_build_log', 'pipelines_definition', 'pipelines_run', 'pipelines_artifact', 'pipelines_write'],
  wiki: ['wiki', 'wiki_upsert_page'],
  search: ['search_code', 'search_wiki', 'search_workitem'],
  'test-plans': ['testplan', 'testplan_show_test_results_from_build_id', 'testplan_test_plan_write', 'testplan_test_suite_write', 'testplan_test_case_write'],
  'advanced-security': ['advsec_get_alerts', 'advsec_get_alert_details'],
  'mcp-apps': ['mcp_apps_ping'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The tools that change Azure DevOps: every `*_write` tool (each says "Write operations for …" or "Create or
 * assign …"/"Update …" in its registration) and the two named for what they do, `repo_create_branch` and
 * `wiki_upsert_page`. The rest only read (`wit_work_item_attachment` downloads, into the MCP server's own
 * folder at most).
 */
export const AZURE_DEVOPS_WRITE_TOOLS: readonly string[] = Object.values(AZURE_DEVOPS_TOOLS)
  .flat()
  .filter((tool) => tool.endsWith('_write') || tool === 'repo_create_branch' || tool === 'wiki_upsert_page');

export type AzureDevOpsToolDomain = keyof typeof AZURE_DEVOPS_TOOLS;
export type AzureDevOpsTool = (typeof AZURE_DEVOPS_TOOLS)[AzureDevOpsToolDomain][number];

/** Azure DevOps MCP domains (`-d`): `all` plus each tool domain. */
export const AZURE_DEVOPS_DOMAINS = ['all', ...(Object.keys(AZURE_DEVOPS_TOOLS) as AzureDevOpsToolDomain[])] as const;
export type AzureDevOpsDomain = 'all' | AzureDevOpsToolDomain;

/**
 * The domains the server enables for `-d <domains>`, as its DomainsManager does: none given or `all` among
 * them means every domain except `mcp-apps` (which must be named on its own).
 */
export function enabledAzureDevOpsDomains(domains: readonly AzureDevOpsDomain[] | undefined): AzureDevOpsToolDomain[] {
  const all = (Object.keys(AZURE_DEVOPS_TOOLS) as AzureDevOpsToolDomain[]).filter((d) => d !== 'mcp-apps');
  if (!domains || domains.length === 0 || domains.includes('all')) return all;
  return (Object.keys(AZURE_DEVOPS_TOOLS) as AzureDevOpsToolDomain[]).filter((d) => domains.includes(d));
}

/** Every tool the server offers with these domains, in registration order per domain. */
export function azureDevOpsToolsFor(domains: readonly AzureDevOpsDomain[] | undefined): string[] {
  return enabledAzureDevOpsDomains(domains).flatMap((d) => [...AZURE_DEVOPS_TOOLS[d]]);
}

/** The domain that offers a tool, if any. */
export function azureDevOpsDomainOf(tool: string): AzureDevOpsToolDomain | undefined {
  return (Object.keys(AZURE_DEVOPS_TOOLS) as AzureDevOpsToolDomain[]).find((d) => (AZURE_DEVOPS_TOOLS[d] as readonly string[]).includes(tool));
}
