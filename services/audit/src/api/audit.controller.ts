import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { QueryTrailQuery } from '../application/query-trail.query';
import type { AuditEntry } from '../domain/audit-entry';
import { AuditEntryResponseDto, EventIdParamDto, SubjectParamDto, TrailQueryDto } from './audit.dto';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly trail: QueryTrailQuery) {}

  @Get('events/:eventId')
  @ApiOperation({ summary: 'One recorded event by its CloudEvents id' })
  @ApiResponse({ status: 200, type: AuditEntryResponseDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async event(@Param() params: EventIdParamDto): Promise<AuditEntryResponseDto> {
    return toResponse(await this.trail.byEventId(params.eventId));
  }

  @Get('subjects/:subject/events')
  @ApiOperation({ summary: 'The trail of a subject (patient pseudonym, address or record id), oldest first' })
  @ApiResponse({ status: 200, type: [AuditEntryResponseDto] })
  async subject(@Param() params: SubjectParamDto, @Query() query: TrailQueryDto): Promise<AuditEntryResponseDto[]> {
    const entries = await this.trail.bySubject(params.subject, query.limit, query.after ? new Date(query.after) : undefined);
    return entries.map(toResponse);
  }
}

function toResponse(entry: AuditEntry): AuditEntryResponseDto {
  return {
    ...entry,
    time: new Date(entry.time).toISOString(),
    recordedAt: new Date(entry.recordedAt).toISOString(),
  };
}
