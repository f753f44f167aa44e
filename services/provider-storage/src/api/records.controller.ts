import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetRecordQuery } from '../application/get-record.query';
import { UploadRecordUseCase } from '../application/upload-record.use-case';
import type { StoredRecord } from '../domain/stored-record';
import { RecordParamDto, RecordQueryDto, RecordResponseDto, UploadRecordDto } from './record.dto';

@ApiTags('records')
@Controller('v1/records')
export class RecordsController {
  constructor(
    private readonly upload: UploadRecordUseCase,
    private readonly getRecord: GetRecordQuery,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Upload a sealed record version; it is committed once its PPR is anchored' })
  @ApiResponse({ status: 202, type: RecordResponseDto })
  @ApiResponse({ status: 409, description: 'CONFLICT: that version exists (other than the same bytes of a failed version, which are asked for again), or the previous version does not' })
  @ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE' })
  async create(@Body() body: UploadRecordDto): Promise<RecordResponseDto> {
    const record = await this.upload.execute({ ...body, sealed: Buffer.from(body.sealed, 'base64') });
    return toResponse(record, false);
  }

  @Get(':recordId')
  @ApiOperation({
    summary:
      'A record version: without ?version the newest committed one; with ?version that version in any state (sealed bytes only once committed)',
  })
  @ApiResponse({ status: 200, type: RecordResponseDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async get(@Param() params: RecordParamDto, @Query() query: RecordQueryDto): Promise<RecordResponseDto> {
    const record = await this.getRecord.execute(params.recordId, query.version);
    return toResponse(record, record.state === 'committed');
  }
}

function toResponse(record: StoredRecord, withSealed: boolean): RecordResponseDto {
  return {
    recordId: record.recordId,
    patient: record.patient,
    version: record.version,
    state: record.state,
    pprId: record.pprId,
    pprHash: record.pprHash,
    receivedAt: record.receivedAt.toISOString(),
    ...(record.anchor ? { anchor: { ...record.anchor, anchoredAt: record.anchor.anchoredAt.toISOString() } } : {}),
    ...(record.failure ? { failure: { ...record.failure, failedAt: record.failure.failedAt.toISOString() } } : {}),
    ...(withSealed ? { sealed: record.sealed.toString('base64') } : {}),
  };
}
