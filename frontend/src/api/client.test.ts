import { describe, expect, it } from 'vitest';
import { endpointsFor, retryDelay } from './client';

describe('retryDelay', () => {
  it('backs off exponentially with jitter and stays under ten seconds', () => {
    expect(retryDelay(0, () => 0)).toBe(500);
    expect(retryDelay(0, () => 1)).toBe(1000);
    expect(retryDelay(2, () => 0)).toBe(2000);
    expect(retryDelay(30, () => 1)).toBe(10_000);
  });
});

describe('endpointsFor', () => {
  it('uses the page origin, ws for http and wss for https', () => {
    expect(endpointsFor({ protocol: 'http:', host: '127.0.0.1:8080' })).toEqual({
      httpUrl: 'http://127.0.0.1:8080/graphql',
      wsUrl: 'ws://127.0.0.1:8080/graphql',
    });
    expect(endpointsFor({ protocol: 'https:', host: 'shop.example' }).wsUrl).toBe('wss://shop.example/graphql');
  });
});
