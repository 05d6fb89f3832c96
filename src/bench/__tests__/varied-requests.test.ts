import { buildDataset } from '../../store/__tests__/fixtures/dataset';
import { throughputOperations } from '../operations';
import { variedOperations } from '../varied-requests';

describe('variedOperations', () => {
  const dataset = buildDataset();

  it('gives each operation distinct bodies over its own document, the same for the same seed', () => {
    const ops = variedOperations(dataset, 30);
    expect(ops.map((op) => op.name)).toEqual(throughputOperations().map((op) => op.name));
    for (const [i, op] of ops.entries()) {
      expect(new Set(op.bodies).size).toBe(op.bodies.length);
      expect(op.bodies.length).toBeGreaterThan(1);
      for (const body of op.bodies) expect(JSON.parse(body).query).toBe(throughputOperations()[i].body.query);
    }
    expect(variedOperations(dataset, 30)).toEqual(ops);
    expect(variedOperations(dataset, 30, 8)).not.toEqual(ops);
  });

  it('asks for node IDs of events that exist and windows inside the data span', () => {
    const [timeline, , node] = variedOperations(dataset, 8);
    const slugs = new Set(dataset.events.map((e) => e.slug));
    for (const body of node.bodies) {
      const id = JSON.parse(body).variables.id as string;
      expect(slugs.has(Buffer.from(id, 'base64').toString().replace(/^Event:/, ''))).toBe(true);
    }
    const first = dataset.events[0].date;
    for (const body of timeline.bodies) {
      const { from, to } = JSON.parse(body).variables;
      expect(from >= first && from <= to).toBe(true);
    }
  });
});
