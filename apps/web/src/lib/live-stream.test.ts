// The pure parts of the live-stream hook: the stream URL with its scope, messages checked against the contract,
// and what an EventSource error means for the "live" indicator.
import { describe, expect, it } from 'vitest';
import { connectionAfterError, liveStreamUrl, parseLiveEventMessage } from './live-stream.ts';

const workOrderMessage = {
  id: '42',
  type: 'work-order',
  atMs: 1_764_000_000_000,
  scope: {
    siteId: '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    areaId: '7a1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    machineId: null,
  },
  payload: {
    workOrderId: '3d7c2e1a-5b4f-4c6d-9e8f-0a1b2c3d4e5f',
    number: 'WO-9001',
    status: 'PAUSED',
    lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    version: 6,
  },
};

describe('liveStreamUrl', () => {
  it('is the stream under the API base, unfiltered by default', () => {
    expect(liveStreamUrl('/api/v1')).toBe('/api/v1/stream');
  });

  it('filters by the scope ids given, and only those', () => {
    expect(liveStreamUrl('https://mes.example/api/v1', { siteId: 'a', lineId: 'b' })).toBe(
      'https://mes.example/api/v1/stream?siteId=a&lineId=b',
    );
  });
});

describe('parseLiveEventMessage', () => {
  it('reads a message that matches the contract', () => {
    expect(parseLiveEventMessage('work-order', JSON.stringify(workOrderMessage))).toEqual(workOrderMessage);
  });

  it('reads an ephemeral message without an id (reload, kpi-tick)', () => {
    const reload = { ...workOrderMessage, id: null, type: 'reload', payload: { reason: 'resume too old' } };
    expect(parseLiveEventMessage('reload', JSON.stringify(reload))?.payload).toEqual({ reason: 'resume too old' });
  });

  it.each([
    ['not JSON', '{"id":'],
    ['JSON that is no live event', '{"hello":"world"}'],
    ['an unknown event type', JSON.stringify({ ...workOrderMessage, type: 'gossip' })],
  ])('ignores %s', (_case, data) => {
    expect(parseLiveEventMessage('work-order', data)).toBeNull();
  });

  it('ignores a message whose type disagrees with its SSE event name', () => {
    expect(parseLiveEventMessage('count', JSON.stringify(workOrderMessage))).toBeNull();
  });
});

describe('connectionAfterError', () => {
  it('is reconnecting while the browser retries (CONNECTING = 0)', () => {
    expect(connectionAfterError(0)).toBe('connecting');
  });

  it('is closed when the browser gave up (CLOSED = 2: 401 after sign-out, 503 without a hub)', () => {
    expect(connectionAfterError(2)).toBe('closed');
  });
});
