import { isStatementFresh, registrationStatement } from './identity';

describe('registration statement', () => {
  it('normalises the address and names role and time', () => {
    const text = registrationStatement('0xABCDEF0000000000000000000000000000000001', 'patient', new Date('2026-11-28T10:00:00Z'));
    expect(text).toBe(
      'Carechain registration\naddress: 0xabcdef0000000000000000000000000000000001\nrole: patient\nissued-at: 2026-11-28T10:00:00.000Z',
    );
  });

  it('accepts fresh statements and refuses stale or future ones', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    expect(isStatementFresh(new Date('2026-11-28T09:58:00Z'), now)).toBe(true);
    expect(isStatementFresh(new Date('2026-11-28T09:50:00Z'), now)).toBe(false);
    expect(isStatementFresh(new Date('2026-11-28T10:05:00Z'), now)).toBe(false);
  });
});
