import { describe, expect, it } from 'vitest';
import { formatMinorUnits, parseMinorUnits } from './SettingsForms';

describe('parseMinorUnits', () => {
  it.each([
    ['1000', 100000],
    ['12.5', 1250],
    ['12,05', 1205],
    [' 0.99 ', 99],
  ])('parses %j', (text, cents) => expect(parseMinorUnits(text)).toBe(cents));

  it.each(['', '-1', '1.234', 'abc', '1e3'])('rejects %j', (text) => expect(parseMinorUnits(text)).toBeNull());

  it('round-trips with formatMinorUnits', () => {
    expect(formatMinorUnits(100005)).toBe('1000.05');
    expect(parseMinorUnits(formatMinorUnits(100005))).toBe(100005);
  });
});
