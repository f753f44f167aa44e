import { belongsToIssuer } from './attribute-epoch';

describe('belongsToIssuer', () => {
  it('accepts only attributes named for this issuer', () => {
    expect(belongsToIssuer('doctor@issuer-a', 'issuer-a')).toBe(true);
    expect(belongsToIssuer('doctor@issuer-b', 'issuer-a')).toBe(false);
    expect(belongsToIssuer('doctor@issuer-a.evil', 'issuer-a')).toBe(false);
    expect(belongsToIssuer('@issuer-a', 'issuer-a')).toBe(false);
  });
});
