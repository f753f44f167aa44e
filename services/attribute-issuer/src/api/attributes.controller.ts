import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SERVICE_CONFIG } from '@carechain/platform';
import { GetEpochQuery } from '../application/get-epoch.query';
import { RotateEpochUseCase } from '../application/rotate-epoch.use-case';
import type { IssuerConfig } from '../config';
import type { AttributeEpoch } from '../domain/attribute-epoch';
import { AdminTokenGuard } from './admin-token.guard';
import { AttributeParamDto, EpochResponseDto, RotateEpochDto } from './attribute.dto';

@ApiTags('attributes')
@Controller('v1')
export class AttributesController {
  constructor(
    private readonly rotate: RotateEpochUseCase,
    private readonly getEpoch: GetEpochQuery,
    @Inject(SERVICE_CONFIG) private readonly config: IssuerConfig,
  ) {}

  @Get('issuer')
  @ApiOperation({ summary: 'Who this issuer is' })
  issuer() {
    return { issuerId: this.config.ISSUER_ID };
  }

  @Get('attributes/:attribute/epoch')
  @ApiOperation({ summary: 'The current epoch of one of this issuer\'s attributes' })
  @ApiResponse({ status: 200, type: EpochResponseDto })
  async epoch(@Param() params: AttributeParamDto): Promise<EpochResponseDto> {
    return this.toResponse(await this.getEpoch.execute(params.attribute));
  }

  @Post('attributes/:attribute/epochs')
  @HttpCode(201)
  @UseGuards(AdminTokenGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Rotate an attribute to its next epoch (key update or revocation)' })
  @ApiResponse({ status: 201, type: EpochResponseDto })
  @ApiResponse({ status: 401, description: 'UNAUTHORIZED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: attribute of another issuer' })
  async rotateEpoch(@Param() params: AttributeParamDto, @Body() body: RotateEpochDto): Promise<EpochResponseDto> {
    return this.toResponse(await this.rotate.execute(params.attribute, body.reason));
  }

  private toResponse(epoch: AttributeEpoch): EpochResponseDto {
    return {
      issuerId: this.config.ISSUER_ID,
      attribute: epoch.attribute,
      epoch: epoch.epoch,
      rotatedAt: epoch.rotatedAt.toISOString(),
    };
  }
}
