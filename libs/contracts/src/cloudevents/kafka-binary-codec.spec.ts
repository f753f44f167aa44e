import fc from 'fast-check';
import { IdentityRegistered, PprRequested } from '../events/catalogue';
import { EventDecodingError, EventValidationError, decodeEvent, encodeEvent } from './kafka-binary-codec';

const patient = '0x' + 'ab'.repeat(20);
const ppr = {
  pprId: '0x' + '11'.repeat(32),
  kind: 'add' as const,
  patient,
  provider: '0x' + 'cd'.repeat(20),
  pprHash: '0x' + '22'.repeat(32),
  requestedAt: '2026-11-28T10:00:00.000Z',
};

describe('CloudEvents binary-mode codec', () => {
  it('round-trips data and context through ce_* headers, keyed by the patient', () => {
    const record = encodeEvent(PprRequested, ppr, { source: 'carechain://provider-storage', key: patient, subject: 'rec-1' });
    expect(record.key).toBe(patient);
    expect(record.headers['ce_type']).toBe('org.carechain.ppr.requested.v1');
    expect(record.headers['ce_specversion']).toBe('1.0');
    expect(record.headers['content-type']).toBe('application/json');
    const event = decodeEvent(PprRequested, { key: Buffer.from(patient), value: record.value, headers: record.headers });
    expect(event.data).toEqual(ppr);
    expect(event.subject).toBe('rec-1');
    expect(event.id).toBe(record.headers['ce_id']);
  });

  it('refuses to encode data that does not match the schema', () => {
    expect(() => encodeEvent(PprRequested, { ...ppr, kind: 'steal' as never }, { source: 's', key: patient })).toThrow(
      EventValidationError,
    );
    expect(() => encodeEvent(PprRequested, ppr, { source: 's' })).toThrow(/key/);
  });

  it('refuses to encode a context consumers would refuse (an id over 200 characters)', () => {
    expect(() => encodeEvent(PprRequested, ppr, { source: 's', key: patient, id: 'x'.repeat(201) })).toThrow(
      /invalid CloudEvents context: id/,
    );
    expect(() => encodeEvent(PprRequested, ppr, { source: 's', key: patient, id: 'x'.repeat(200) })).not.toThrow();
  });

  it.each([
    ['MISSING_CONTEXT', { key: 'k', value: Buffer.from('{}'), headers: {} }],
    ['NOT_JSON', { key: 'k', value: Buffer.from('{oops'), headers: validHeaders() }],
    ['MISSING_VALUE', { key: 'k', value: null, headers: validHeaders() }],
    ['INVALID_DATA', { key: 'k', value: Buffer.from('{"address":"nope"}'), headers: validHeaders() }],
    ['WRONG_TYPE', { key: 'k', value: Buffer.from('{}'), headers: { ...validHeaders(), ce_type: 'org.other' } }],
    ['INVALID_CONTEXT', { key: 'k', value: Buffer.from('{}'), headers: { ...validHeaders(), ce_time: 'yesterday' } }],
    ['WRONG_KEY', { key: null, value: Buffer.from('{}'), headers: validHeaders() }],
  ])('reports %s for a defective message', (failure, message) => {
    try {
      decodeEvent(IdentityRegistered, message);
      throw new Error('decoded a defective message');
    } catch (error) {
      expect(error).toBeInstanceOf(EventDecodingError);
      expect((error as EventDecodingError).failure).toBe(failure);
    }
  });

  it('never throws anything but EventDecodingError on arbitrary bytes and headers', () => {
    fc.assert(
      fc.property(
        fc.option(fc.uint8Array({ maxLength: 200 }), { nil: null }),
        fc.dictionary(fc.constantFrom('ce_id', 'ce_type', 'ce_specversion', 'ce_time', 'ce_source', 'content-type', 'x'), fc.string()),
        (value, headers) => {
          try {
            decodeEvent(IdentityRegistered, { key: 'k', value: value ? Buffer.from(value) : null, headers });
          } catch (error) {
            return error instanceof EventDecodingError;
          }
          return true;
        },
      ),
    );
  });
});

function validHeaders(): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: 'e-1',
    ce_source: 'carechain://test',
    ce_type: 'org.carechain.identity.registered.v1',
    ce_time: '2026-11-28T10:00:00Z',
    'content-type': 'application/json',
  };
}
