// core/dates.ts: the one check of an ISO date, used by the model's schemas, the store and the service.
import { isIsoDate, isoDate, ISODate, monthEnd } from '../core/dates';

test.each(['2024-09-30', '2024-02-29', '2000-02-29', '2024-12-31'])('%s is a calendar day', (text) => {
  expect(isIsoDate(text)).toBe(true);
  expect(ISODate.safeParse(text).success).toBe(true);
});

test.each(['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-9-30', '2024/09/30', ' 2024-09-30', '2024-09-30T00:00:00Z', '', '1900-02-29'])('%j is not', (text) => {
  expect(isIsoDate(text)).toBe(false);
  expect(ISODate.safeParse(text).success).toBe(false);
});

test('isoDate and monthEnd', () => {
  expect(isoDate(2024, 2, 29)).toBe('2024-02-29');
  expect(isoDate(2023, 2, 29)).toBeUndefined();
  expect(isoDate(2024, 1.5, 1)).toBeUndefined();
  expect(monthEnd(2024, 9)).toBe('2024-09-30');
  expect(() => monthEnd(2024, 0)).toThrow(RangeError);
});
