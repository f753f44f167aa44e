import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetIdentityQuery } from '../application/get-identity.query';
import { RegisterIdentityUseCase } from '../application/register-identity.use-case';
import type { Identity } from '../domain/identity';
import { AddressParamDto, IdentityResponseDto, RegisterIdentityDto } from './identity.dto';

@ApiTags('identities')
@Controller('v1/identities')
export class IdentitiesController {
  constructor(
    private readonly register: RegisterIdentityUseCase,
    private readonly getIdentity: GetIdentityQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a pseudonymous address, proven by its own signature' })
  @ApiResponse({ status: 201, type: IdentityResponseDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 401, description: 'INVALID_SIGNATURE' })
  @ApiResponse({ status: 409, description: 'CONFLICT: already registered' })
  async create(@Body() body: RegisterIdentityDto): Promise<IdentityResponseDto> {
    return toResponse(await this.register.execute({ ...body, issuedAt: new Date(body.issuedAt) }));
  }

  @Get(':address')
  @ApiOperation({ summary: 'Look up a registered address' })
  @ApiResponse({ status: 200, type: IdentityResponseDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  async get(@Param() params: AddressParamDto): Promise<IdentityResponseDto> {
    return toResponse(await this.getIdentity.execute(params.address));
  }
}

function toResponse(identity: Identity): IdentityResponseDto {
  return { address: identity.address, role: identity.role, registeredAt: identity.registeredAt.toISOString(), ...(identity.chain ? { chain: identity.chain } : {}) };
}
