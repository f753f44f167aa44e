import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import { emptyPatientSummary, isPseudonym, type PatientSummary } from '../domain/patient-summary';
import { SummaryIndexer } from './summary-indexer';
import { LEDGER_READER, SUMMARY_STORE, type LedgerReader, type SummaryStore } from './summary-ports';

/** A Summary together with the chain position it is consistent with. */
export interface ServedSummary {
  readonly summary: PatientSummary;
  readonly ledgerAddress: string;
  readonly ledgerDeployBlock: number;
  /** `summary.head` equals the ledger's `patientHead(patient)` at this block. */
  readonly atBlock: { readonly number: number; readonly hash: string };
}

/**
 * Serves a patient's Summary, checked against the chain before it leaves: the stored head is
 * compared with `patientHead` at the index's cursor, and rebuilt from chain data if they
 * differ. A registered patient with no operations yet gets the empty Summary.
 */
@Injectable()
export class GetPatientSummaryQuery {
  constructor(
    private readonly indexer: SummaryIndexer,
    @Inject(SUMMARY_STORE) private readonly store: SummaryStore,
    @Inject(LEDGER_READER) private readonly ledger: LedgerReader,
  ) {}

  async execute(pseudonym: string): Promise<ServedSummary> {
    if (!isPseudonym(pseudonym)) throw new DomainError(ErrorCode.ValidationFailed, `pseudonym must be a 0x-prefixed 20-byte hex address`);
    const address = pseudonym.toLowerCase();
    const checked = await this.indexer.checkedAtCursor(async () => {
      const stored = await this.store.findByPseudonym(address);
      if (stored) return stored;
      const index = await this.ledger.patientIndexOf(address);
      if (index === undefined) throw new DomainError(ErrorCode.NotFound, `pseudonym ${address} is not a registered patient`);
      return emptyPatientSummary(index, address);
    });
    if (!checked) throw new DomainError(ErrorCode.DependencyUnavailable, 'the Summary index has not read the chain yet');
    const hash = await this.ledger.blockHash(checked.atBlock);
    if (!hash) throw new DomainError(ErrorCode.DependencyUnavailable, `block ${checked.atBlock} is not on the chain the registry reads`);
    return {
      summary: checked.summary,
      ledgerAddress: this.ledger.ledgerAddress,
      ledgerDeployBlock: this.ledger.deployBlock,
      atBlock: { number: checked.atBlock, hash },
    };
  }
}
