import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';

/** Two installed copies of the package are two module instances: each has its own classes. */
async function freshCopy() {
  vi.resetModules();
  return {
    chart: await import('../../src/core/platform-chart.js'),
    remote: await import('../../src/tools/remote-mcp-server.js'),
  };
}

describe('isX checks across two copies of the package', () => {
  it('recognise a construct made by the other copy, where instanceof does not', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(a.remote.RemoteMcpServer).not.toBe(b.remote.RemoteMcpServer);
    const chart = new a.chart.PlatformChart(Testing.app(), 'lab', { folder: 'lab', namespace: 'kagent' });
    const server = new a.remote.RemoteMcpServer(chart, 'search', { name: 'search', description: 'Web search', url: 'http://search.tools:8080/mcp' });
    expect(server instanceof b.remote.RemoteMcpServer).toBe(false);
    expect(b.remote.RemoteMcpServer.isRemoteMcpServer(server)).toBe(true);
    expect(b.chart.PlatformChart.isPlatformChart(chart)).toBe(true);
    expect(b.remote.RemoteMcpServer.isRemoteMcpServer(chart)).toBe(false);
    expect(b.remote.RemoteMcpServer.isRemoteMcpServer({ name: 'search' })).toBe(false);
  });
});
