import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DEMO_USERS } from './demo-users';
import { LoginRoute } from '../http/rate-limit';
import { Public } from './decorators';
import { DevIssuer, UnknownDemoUser } from './dev-issuer';

class DevTokenRequest {
  @ApiProperty({ example: 'hub.coordinator' })
  @IsString()
  @Length(1, 64)
  userId!: string;
}

/** Standalone only: sign in as a demo user. The module that holds it is never loaded in production. */
@ApiTags('development sign-in')
@Public()
@Controller('auth/dev')
export class DevAuthController {
  constructor(@Inject(DevIssuer) private readonly issuer: DevIssuer) {}

  @Get('users')
  @ApiOperation({ summary: 'The demo users, one or more per role' })
  users() {
    return DEMO_USERS.map(({ userId, role, organisation, displayName }) => ({ userId, role, organisation, displayName }));
  }

  @Post('token')
  @LoginRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'A bearer token for a demo user' })
  async token(@Body() request: DevTokenRequest) {
    try {
      const { accessToken, user, expiresIn } = await this.issuer.issue(request.userId);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, user };
    } catch (error) {
      if (error instanceof UnknownDemoUser) throw new NotFoundException({ code: 'UNKNOWN_DEMO_USER', message: error.message });
      throw error;
    }
  }

  @Get('jwks.json')
  jwks() {
    return this.issuer.publicJwks;
  }
}
