import { describe, expect, it } from 'vitest';
import { isEmptySelector, selectorMatches, selectorViolations } from '../../src/validation/label-selectors';

describe('label selectors', () => {
  const labels = { app: 'ollama', tier: 'model' };

  it('matches labels term by term', () => {
    expect(selectorMatches({ matchLabels: { app: 'ollama' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'ollama', tier: 'web' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['model', 'web'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['model'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  it('knows an empty selector', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector({ matchLabels: { a: 'b' } })).toBe(false);
  });

  it('validates operators, their values and keys', () => {
    expect(
      selectorViolations(
        {
          matchExpressions: [
            { key: 'a', operator: 'In', values: [] },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Equals', values: ['x'] },
            { key: 'bad key', operator: 'In', values: ['has space'] },
          ],
        },
        '/spec/selector',
      ),
    ).toEqual([
      { path: '/spec/selector/matchExpressions/0/values', message: 'operator In needs at least one value' },
      { path: '/spec/selector/matchExpressions/1/values', message: 'operator Exists takes no values: remove them' },
      { path: '/spec/selector/matchExpressions/2/operator', message: '"Equals" is not a selector operator: use In, NotIn, Exists or DoesNotExist' },
      { path: '/spec/selector/matchExpressions/3/key', message: expect.stringMatching(/^key "bad key" is not a valid label key/) },
      { path: '/spec/selector/matchExpressions/3/values/0', message: expect.stringMatching(/^value "has space" is not a valid label value/) },
    ]);
  });
});
