/**
 * What users read in errors and warnings: durations written as people write them, and the field of each
 * problem named as the user wrote it in the props of the construct they created.
 */
import { Duration } from 'cdk8s';
import { durationText } from '../src/errors';

describe('durations in messages', () => {
  test.each([
    [250, '250ms'],
    [0, '0ms'],
    [2.5, '2.5ms'],
    [1500, '1.5s'],
    [10_000, '10s'],
    [120_000, '2m'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [90_500, '1m30.5s'],
    [86_400_000, '24h'],
  ])('%d milliseconds are written %s', (ms, text) => {
    expect(durationText(Duration.millis(ms))).toBe(text);
  });
});
