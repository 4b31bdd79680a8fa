import { describe, expect, it } from 'vitest';
import { formatFields, formatTable } from './table';

describe('formatTable', () => {
  it('aligns every column to its widest cell, without trailing blanks', () => {
    const table = formatTable(
      ['ID', 'WEIGHT', 'STATE'],
      [
        ['a', '5', 'active'],
        ['kms-long-name', '10000', ''],
      ],
    );
    expect(table.split('\n')).toEqual([
      'ID             WEIGHT  STATE',
      'a              5       active',
      'kms-long-name  10000',
    ]);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(['ID', 'URI'], [])).toBe('ID  URI');
  });
});

describe('formatFields', () => {
  it('aligns the values', () => {
    expect(
      formatFields([
        ['id', 'a'],
        ['weight', '5'],
        ['region', ''],
      ]).split('\n'),
    ).toEqual(['id:      a', 'weight:  5', 'region:']);
  });
});
