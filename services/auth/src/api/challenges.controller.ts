import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetChallengeQuery } from '../application/get-challenge.query';
import { IssueChallengeUseCase } from '../application/issue-challenge.use-case';
import type { Challenge } from '../domain/challenge';
import { ChallengeResponseDto, IssueChallengeDto, NonceParamDto } from './challenge.dto';

@ApiTags('challenges')
@Controller('v1/challenges')
export class ChallengesController {
  constructor(
    private readonly issue: IssueChallengeUseCase,
    private readonly get: GetChallengeQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Issue a single-use nonce that an attribute proof must be bound to' })
  @ApiResponse({ status: 201, type: ChallengeResponseDto })
  @ApiResponse({ status: 503, description: 'DEPENDENCY_UNAVAILABLE (redis)' })
  async create(@Body() body: IssueChallengeDto): Promise<ChallengeResponseDto> {
    return toResponse(await this.issue.execute(body.audience));
  }

  @Get(':nonce')
  @ApiOperation({ summary: 'Read an outstanding challenge' })
  @ApiResponse({ status: 200, type: ChallengeResponseDto })
  @ApiResponse({ status: 410, description: 'CHALLENGE_EXPIRED: unknown, used or expired' })
  async read(@Param() params: NonceParamDto): Promise<ChallengeResponseDto> {
    return toResponse(await this.get.execute(params.nonce));
  }
}

function toResponse(c: Challenge): ChallengeResponseDto {
  return { nonce: c.nonce, audience: c.audience, issuedAt: c.issuedAt.toISOString(), expiresAt: c.expiresAt.toISOString() };
}
