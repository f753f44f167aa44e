import { enrolmentKindOf, planEnrolment, type EnrolmentCandidate } from './pseudonym-enrolment';

const settings = { maxPerTx: 2, resendAfterBlocks: 12 };
const candidate = (n: number, over: Partial<EnrolmentCandidate> = {}): EnrolmentCandidate => ({
  address: `0x${n.toString(16).padStart(40, '0')}`,
  kind: 'patient',
  confirmedIndex: 0,
  latestIndex: 0,
  ...over,
});

describe('enrolmentKindOf', () => {
  it('enrols patients and users, not parties', () => {
    expect(enrolmentKindOf('patient')).toBe('patient');
    expect(enrolmentKindOf('user')).toBe('user');
    for (const role of ['provider', 'issuer', 'relay', 'management'] as const) expect(enrolmentKindOf(role)).toBeUndefined();
  });
});

describe('planEnrolment', () => {
  it('enrols what is k deep, waits for what is only in the latest block, and registers the rest by kind in calls of at most maxPerTx', () => {
    const plan = planEnrolment(
      [
        candidate(1, { confirmedIndex: 7, latestIndex: 7 }),
        candidate(2, { latestIndex: 8 }),
        candidate(3),
        candidate(4, { kind: 'user' }),
        candidate(5),
        candidate(6),
      ],
      100,
      settings,
    );
    expect(plan.enrolled).toEqual([{ address: candidate(1).address, index: 7 }]);
    expect(plan.waiting).toEqual([candidate(2).address]);
    expect(plan.toRegister).toEqual([
      { kind: 'patient', addresses: [candidate(3).address, candidate(5).address] },
      { kind: 'patient', addresses: [candidate(6).address] },
      { kind: 'user', addresses: [candidate(4).address] },
    ]);
  });

  it('waits for a recent registration that is not visible yet, and sends it again once it counts as lost', () => {
    expect(planEnrolment([candidate(3, { sentAtBlock: 95 })], 100, settings)).toMatchObject({ waiting: [candidate(3).address], toRegister: [] });
    expect(planEnrolment([candidate(3, { sentAtBlock: 88 })], 100, settings)).toMatchObject({ waiting: [], toRegister: [{ addresses: [candidate(3).address] }] });
  });

  it('never sends an address the Registrar already has (the whole call would revert)', () => {
    const plan = planEnrolment([candidate(3, { latestIndex: 9, sentAtBlock: 1 })], 100, settings);
    expect(plan.toRegister).toEqual([]);
    expect(plan.waiting).toEqual([candidate(3).address]);
  });
});
