import { describe, expect, it } from 'vitest';
import { safeNext } from '../account/AuthForms';
import { readSession } from './session';

const storage = (value: string | null) => ({ getItem: () => value });

describe('readSession', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads a live session', () => {
    expect(readSession(storage('{"token":"t","expiresAt":"2026-02-01T00:00:00Z"}'), now)).toEqual({
      token: 't',
      expiresAt: '2026-02-01T00:00:00Z',
    });
  });
  it('drops an expired, malformed or missing session', () => {
    expect(readSession(storage('{"token":"t","expiresAt":"2025-12-31T00:00:00Z"}'), now)).toBeNull();
    expect(readSession(storage('{"token":3}'), now)).toBeNull();
    expect(readSession(storage('not json'), now)).toBeNull();
    expect(readSession(storage(null), now)).toBeNull();
  });
});

describe('safeNext', () => {
  it('follows only paths of this app', () => {
    expect(safeNext('/orders/ord_1')).toBe('/orders/ord_1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
