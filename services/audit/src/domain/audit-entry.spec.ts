import { auditSubject } from './audit-entry';

describe('auditSubject', () => {
  it('prefers the CloudEvents subject, then patient, then address, then the key', () => {
    expect(auditSubject('Rec-1', { patient: '0xA' }, 'k')).toBe('rec-1');
    expect(auditSubject(undefined, { patient: '0xA', address: '0xB' }, 'k')).toBe('0xa');
    expect(auditSubject(undefined, { address: '0xB' }, 'k')).toBe('0xb');
    expect(auditSubject(undefined, {}, 'K')).toBe('k');
    expect(auditSubject(undefined, { patient: 7 }, undefined)).toBe('(none)');
  });
});
