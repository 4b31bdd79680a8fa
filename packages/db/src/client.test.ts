import { describe, expect, it } from 'vitest';
import { defineStatement, uniqueViolation } from './client';

describe('defineStatement', () => {
  it('numbers each distinct named parameter once, in order of first use', () => {
    const statement = defineStatement<'a' | 'b'>('SELECT :a, :b, :a');
    expect(statement({ a: 1, b: 'x' })).toEqual({ sql: 'SELECT ?1, ?2, ?1', params: [1, 'x'] });
  });

  it('refuses a missing parameter instead of binding undefined', () => {
    const statement = defineStatement<'a'>('SELECT :a');
    expect(() => statement({} as { a: number })).toThrow(':a is missing');
  });
});

describe('uniqueViolation', () => {
  it('names the column from SQLite’s message, whatever the driver wraps it in', () => {
    expect(uniqueViolation(new Error('UNIQUE constraint failed: nodes.uri'))).toBe('nodes.uri');
    expect(
      uniqueViolation(new Error('D1_ERROR: UNIQUE constraint failed: nodes.id: SQLITE_CONSTRAINT')),
    ).toBe('nodes.id');
    expect(uniqueViolation(new Error('no such table'))).toBeNull();
  });
});
