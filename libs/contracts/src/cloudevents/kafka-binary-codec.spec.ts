import fc from 'fast-check';
import { IdentityRegistered, PprAnchored, PprReorged, PprRequested } from '../events/catalogue';
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

describe('ppr.anchored.v1 and ppr.reorged.v1: the ledger deployment they refer to', () => {
  const ledger = '0x' + 'ef'.repeat(20);
  const anchored = {
    pprId: ppr.pprId,
    kind: 'add' as const,
    pprHash: ppr.pprHash,
    patient,
    blockNumber: 12,
    blockHash: '0x' + '33'.repeat(32),
    txHash: '0x' + '44'.repeat(32),
    batchRoot: '0x' + '55'.repeat(32),
    batchSize: 2,
    leafIndex: 1,
    inclusionProof: ['0x' + '66'.repeat(32)],
    confirmations: 3,
    anchoredAt: '2026-11-28T10:00:00.000Z',
  };
  const reorged = {
    pprId: ppr.pprId,
    kind: 'add' as const,
    pprHash: ppr.pprHash,
    patient,
    previousBlockNumber: 12,
    previousBlockHash: '0x' + '33'.repeat(32),
    previousTxHash: '0x' + '44'.repeat(32),
    detectedAt: '2026-11-28T10:00:00.000Z',
  };
  const roundTrip = <D extends typeof PprAnchored | typeof PprReorged>(definition: D, data: unknown) => {
    const record = encodeEvent(definition, data as never, { source: 'carechain://chain-relay', key: patient });
    return decodeEvent(definition, { key: Buffer.from(patient), value: record.value, headers: record.headers }).data;
  };

  it.each([
    ['ppr.anchored', PprAnchored, anchored],
    ['ppr.reorged', PprReorged, reorged],
  ] as const)('%s carries chainId and ledger, the address normalised to lower case', (_, definition, data) => {
    const checksummed = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';
    expect(roundTrip(definition, { ...data, chainId: 1337, ledger })).toEqual({ ...data, chainId: 1337, ledger });
    expect(roundTrip(definition, { ...data, chainId: 1337, ledger: checksummed })).toMatchObject({ ledger: checksummed.toLowerCase() });
  });

  it.each([
    ['ppr.anchored', PprAnchored, anchored],
    ['ppr.reorged', PprReorged, reorged],
  ] as const)('%s without them still decodes (v1 producers before the fields existed)', (_, definition, data) => {
    const decoded = roundTrip(definition, data);
    expect(decoded).toEqual(data);
    expect(decoded).not.toHaveProperty('chainId');
    expect(decoded).not.toHaveProperty('ledger');
  });

  it.each([
    ['a short address', { ledger: '0x' + 'ef'.repeat(19) }, /ledger/],
    ['an address without 0x', { ledger: 'ef'.repeat(20) }, /ledger/],
    ['a non-hex address', { ledger: '0x' + 'zz'.repeat(20) }, /ledger/],
    ['chain id 0', { chainId: 0 }, /chainId/],
    ['a fractional chain id', { chainId: 1.5 }, /chainId/],
    ['a chain id as a string', { chainId: '1337' }, /chainId/],
  ])('refuses %s on send, and on receipt as INVALID_DATA (what consumers dead-letter)', (_, bad, field) => {
    for (const [definition, data] of [
      [PprAnchored, anchored],
      [PprReorged, reorged],
    ] as const) {
      const value = { ...data, chainId: 1337, ledger, ...bad };
      expect(() => encodeEvent(definition, value as never, { source: 's', key: patient })).toThrow(field);
      const headers = { ...validHeaders(), ce_type: definition.type };
      try {
        decodeEvent(definition, { key: patient, value: Buffer.from(JSON.stringify(value)), headers });
        throw new Error('decoded invalid data');
      } catch (error) {
        expect((error as EventDecodingError).failure).toBe('INVALID_DATA');
        expect((error as Error).message).toMatch(field);
      }
    }
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
