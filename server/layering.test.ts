import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without types (scripts/folder-graph.mjs)
import { folderCycles, folderGraph } from '../scripts/folder-graph.mjs';

// The folders of server/ form layers: a cycle between two folders means the shared piece belongs one
// floor down (store/, http/, common/). This fails listing every cycle found.
const serverRoot = import.meta.dirname;

describe('server/ layering', () => {
  const graph = folderGraph(serverRoot) as Map<string, Set<string>>;

  it('reads a non-empty folder graph', () => {
    expect(graph.size).toBeGreaterThan(5);
    expect([...(graph.get('auth') ?? [])]).toContain('users');
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  // The CLI sits at the top: it imports the features' command modules, and no feature imports it.
  it('keeps cli/ at the top', () => {
    expect([...graph].filter(([, to]) => to.has('cli')).map(([from]) => from)).toEqual([]);
  });
});
