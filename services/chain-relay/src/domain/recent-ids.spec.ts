import { RecentIds } from './recent-ids';

describe('RecentIds', () => {
  it('holds at most `capacity` ids and forgets the oldest first', () => {
    const recent = new RecentIds(3);
    ['a', 'b', 'c', 'a', 'd'].forEach((id) => recent.add(id));
    expect(recent.size).toBe(3);
    expect(recent.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => recent.has(id))).toBe(true);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });
});
