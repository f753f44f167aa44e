import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { pprKindName } from '@carechain/chain';
import { GetPatientSummaryQuery, type ServedSummary } from '../application/get-patient-summary.query';
import type { OperationAnchor } from '../domain/patient-summary';
import { PseudonymParamDto, SummaryResponseDto } from './summary.dto';

@ApiTags('summaries')
@Controller('v1/patients')
export class SummaryController {
  constructor(private readonly getSummary: GetPatientSummaryQuery) {}

  @Get(':pseudonym/summary')
  @ApiOperation({
    summary: "A patient's Summary: live PPR links across providers, history, and proofs verifiable from chain data alone (docs/summary.md)",
  })
  @ApiResponse({ status: 200, type: SummaryResponseDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: not a 20-byte hex pseudonym' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND: not a registered patient pseudonym' })
  @ApiResponse({ status: 503, description: 'DEPENDENCY_UNAVAILABLE: the index has not read the chain yet' })
  async get(@Param() params: PseudonymParamDto): Promise<SummaryResponseDto> {
    return toResponse(await this.getSummary.execute(params.pseudonym));
  }
}

/** The wire shape of a served Summary. */
export function toResponse(served: ServedSummary): SummaryResponseDto {
  const { summary } = served;
  return {
    patient: { pseudonym: summary.pseudonym, index: summary.patientIndex },
    ledger: { address: served.ledgerAddress, deployBlock: served.ledgerDeployBlock },
    atBlock: served.atBlock,
    head: summary.head,
    operations: summary.operations.map(({ operation: op, anchor }) => ({
      kind: pprKindName(op.kind),
      pprId: op.pprId,
      provider: op.provider,
      pprHash: op.pprHash,
      ...(op.replacedPprId === undefined ? {} : { replacedPprId: op.replacedPprId }),
      anchor: toAnchor(anchor),
    })),
    live: summary.live.map((link) => ({
      pprId: link.pprId,
      provider: link.provider,
      pprHash: link.pprHash,
      ...(link.policyHash === undefined ? {} : { policyHash: link.policyHash }),
      history: [...link.history],
      linkedBy: toAnchor(link.linkedBy),
      ...(link.policyBy ? { policyBy: toAnchor(link.policyBy) } : {}),
    })),
  };
}

function toAnchor(a: OperationAnchor) {
  return {
    blockNumber: a.blockNumber,
    blockHash: a.blockHash,
    txHash: a.txHash,
    batchId: a.batchId,
    batchRoot: a.batchRoot,
    batchSize: a.batchSize,
    leafIndex: a.leafIndex,
    inclusionProof: [...a.inclusionProof],
    patientHeadAfter: a.headAfter,
  };
}
