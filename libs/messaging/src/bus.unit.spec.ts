import type { RecordedEvent } from '@app/event-sourcing';
import { aggregateIdOf, backoffDelay, toBusMessage, topicFor } from './bus';

describe('bus messages', () => {
  const event: RecordedEvent = {
    id: '6f1c2d9e-0000-4000-8000-000000000001',
    type: 'PathwayAssigned',
    schemaVersion: 2,
    streamId: 'dischargeCase-0b1d7c3a-5d7e-4a59-9c1e-3f2a1b0c9d8e',
    revision: 3,
    position: 12345678901234567890n,
    occurredAt: '2026-03-01T10:00:00.000Z',
    recordedAt: '2026-03-01T10:00:01.000Z',
    data: { pathway: 'P2' },
    metadata: {
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { userId: 'u1', role: 'ward', organisation: 'RXX' },
    },
  };

  it('given a recorded event, makes a JSON-safe message keyed by the aggregate id on its context topic', () => {
    const message = toBusMessage('discharge', event);

    expect(message.topic).toBe('discharge.events.v1');
    expect(message.key).toBe('0b1d7c3a-5d7e-4a59-9c1e-3f2a1b0c9d8e');
    expect(message.value.position).toBe('12345678901234567890');
    expect(JSON.parse(JSON.stringify(message.value))).toEqual({ ...event, position: '12345678901234567890' });
    expect(message.headers).toMatchObject({
      'event-id': event.id,
      'event-type': 'PathwayAssigned',
      'schema-version': '2',
      'correlation-id': 'corr-1',
    });
  });

  it('names topics after contexts and refuses anything else', () => {
    expect(topicFor('bed-base')).toBe('bed-base.events.v1');
    expect(() => topicFor('Bed Base')).toThrow();
    expect(aggregateIdOf('patient-abc-def')).toBe('abc-def');
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 800, 1_000]);
  });
});
