import { describe, expect, it } from 'vitest';
import { partly } from './shipmentsChange';

describe('partly', () => {
  it.each([
    [null, ''],
    [{ changed: [], dispatched: [] }, ''],
    [{ changed: ['shp_1', 'shp_2'], dispatched: [] }, ''],
    [{ changed: ['shp_2'], dispatched: ['shp_1'] }, ' 1 parcel cancelled; 1 parcel had already left.'],
    [{ changed: ['shp_2', 'shp_3'], dispatched: ['shp_1'] }, ' 2 parcels cancelled; 1 parcel had already left.'],
  ])('%j → %j', (change, want) => {
    expect(partly(change, 'cancelled')).toBe(want);
  });
});
