import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, type IResolver, type ResolutionContext } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHomelab } from '../../app/main';
import { renderApiObjects } from '../../src/synth/api-object-json';
import { k8s } from '../../src/util/k8s';
import { REFERENCE_CONFIG } from '../support/platform';
import { swarm } from '../support/swarm';

const apiObjectsOf = (app: App) => app.node.findAll().filter(ApiObject.isApiObject);
/** The JSON text cdk8s itself renders, key order included. */
const cdk8sJson = (objects: readonly ApiObject[]) => JSON.stringify(objects.map((o) => o.toJson()));
const baseToJson = ApiObject.prototype.toJson;

describe('renderApiObjects', () => {
  afterEach(() => {
    delete process.env.CDK8S_DISABLE_SORT;
  });

  it('renders every object of the reference platform byte for byte as cdk8s does, and restores toJson', () => {
    const objects = apiObjectsOf(buildHomelab(REFERENCE_CONFIG));
    expect(objects.length).toBeGreaterThan(50);
    expect(JSON.stringify(renderApiObjects(objects))).toBe(cdk8sJson(objects));
    expect(ApiObject.prototype.toJson).toBe(baseToJson);
  });

  it("takes cdk8s's own path for none of the reference platform's objects", () => {
    const objects = apiObjectsOf(buildHomelab(REFERENCE_CONFIG));
    let ownPath = 0;
    ApiObject.prototype.toJson = function (this: ApiObject) {
      ownPath++;
      return baseToJson.call(this);
    };
    try {
      renderApiObjects(objects);
    } finally {
      ApiObject.prototype.toJson = baseToJson;
    }
    expect(ownPath).toBe(0);
  });

  it('renders agents, models and MCP servers (lazies, generated classes) as cdk8s does', () => {
    const { app, agent } = swarm();
    agent('planner');
    agent('coder');
    const objects = apiObjectsOf(app);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Agent', 'ModelConfig', 'RemoteMCPServer', 'StatefulSet']));
    expect(JSON.stringify(renderApiObjects(objects))).toBe(cdk8sJson(objects));
  });

  it('resolves lazies, tokens and number-or-string unions, and drops empty metadata and null fields like cdk8s', () => {
    const chart = new Chart(Testing.app(), 'c');
    const objects = [
      new ApiObject(chart, 'plain', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', labels: {}, annotations: { a: Lazy.any({ produce: () => 'b' }) }, finalizers: [] },
        data: { z: 'last', a: 'first', gone: null, nested: { resolve: () => ({ y: 1, x: [null, Lazy.any({ produce: () => ({}) })] }) } },
      }),
      new k8s.KubeService(chart, 'svc', { metadata: { name: 'svc' }, spec: { ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }, { port: 81, targetPort: k8s.IntOrString.fromString('http') }] } }),
    ];
    const rendered = renderApiObjects(objects);
    expect(JSON.stringify(rendered)).toBe(cdk8sJson(objects));
    expect(rendered[0]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', annotations: { a: 'b' } }, data: { a: 'first', nested: { x: [undefined, {}], y: 1 }, z: 'last' } });
    expect(Object.keys(rendered[0].data as object)).toEqual(['a', 'nested', 'z']);
  });

  it('keeps the written key order when CDK8S_DISABLE_SORT is set, as cdk8s does', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    const chart = new Chart(Testing.app(), 'c');
    const objects = [new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { z: '1', a: '2' } })];
    const rendered = renderApiObjects(objects);
    expect(Object.keys(rendered[0].data as object)).toEqual(['z', 'a']);
    expect(JSON.stringify(rendered)).toBe(cdk8sJson(objects));
  });

  it('leaves objects with JSON patches, and apps with their own resolvers, to cdk8s', () => {
    const patched = new ApiObject(new Chart(Testing.app(), 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'));
    const upperCase: IResolver = { resolve: (context: ResolutionContext) => (typeof context.value === 'string' && context.value !== context.value.toUpperCase() ? context.replaceValue(context.value.toUpperCase()) : undefined) };
    const custom = new ApiObject(new Chart(new App({ resolvers: [upperCase] }), 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'x' } });
    const rendered = renderApiObjects([patched, custom]);
    expect(rendered[0].data).toEqual({ a: '1', b: '2' });
    expect(rendered[1].data).toEqual({ a: 'X' });
    expect(JSON.stringify(rendered)).toBe(cdk8sJson([patched, custom]));
  });

  it("fails with cdk8s's own message on a value it cannot render, and still restores toJson", () => {
    const chart = new Chart(Testing.app(), 'bad');
    const bad = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { when: new Date(0) } });
    expect(() => renderApiObjects([bad])).toThrow("Failed serializing construct at path 'bad/cm' with name 'cm': Error: can't render non-simple object of type 'Date'");
    expect(ApiObject.prototype.toJson).toBe(baseToJson);
  });
});
