import { BadRequestException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { NotVisible } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { IntakeDatabase } from '../persistence/intake-database.service';

export class DisclosureRequest {
  @ApiPropertyOptional({
    description: 'Why the identifying data is needed; required of supervisors, and kept in the audit trail',
    example: 'Embassy asked to confirm identity for repatriation, case conference 22 Nov',
  })
  @IsOptional()
  @IsString()
  @Length(15, 500)
  reason?: string;
}

/**
 * The person's identifying data (name, documents, contacts, narrative) is
 * masked everywhere. The case worker who referred may read it back; a
 * supervisor only with a stated reason. Each disclosure is audited with it.
 */
@Injectable()
export class IdentityDisclosure {
  private readonly cipher: FieldCipher;

  constructor(
    settings: PlatformSettings,
    private readonly db: IntakeDatabase,
  ) {
    this.cipher = fieldCipherOf(settings);
  }

  async disclose(referralId: string, actor: Actor, reason: string | undefined): Promise<unknown> {
    const referral = await this.db.referral.findUnique({
      where: { id: referralId },
      select: { submittedBy: true, identityCiphertext: true },
    });
    if (!referral) throw new NotFoundException('No such referral');
    if (actor.role === 'case-worker' && referral.submittedBy !== actor.id)
      throw new NotVisible('referral', referralId);
    if (actor.role === 'supervisor' && !reason)
      throw new BadRequestException('A supervisor must give the reason the identifying data is needed');
    const disclosed = this.cipher.decrypt<{ erased?: boolean }>(referral.identityCiphertext);
    if (disclosed.erased)
      throw new GoneException('The identifying data of this referral was erased under the retention policy');
    return disclosed;
  }
}
