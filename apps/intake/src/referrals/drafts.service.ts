import { Injectable, NotFoundException } from '@nestjs/common';
import { NotVisible } from '@nrm/auth';
import { randomUUID } from 'node:crypto';
import { Actor } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { IntakeDatabase } from '../persistence/intake-database.service';
import { ReferralDetails, ReferralSubmissionService, validateReferral } from './referral-submission.service';
import { invalidFields } from '@nrm/runtime';

export interface DraftView {
  id: string;
  referral: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Referrals being written: saved as they are (a case worker in the field may
 * stop half-way), encrypted whole, visible only to the account that wrote
 * them, and checked with every rule only when submitted.
 */
@Injectable()
export class DraftsService {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: IntakeDatabase,
    private readonly submissions: ReferralSubmissionService,
    settings: PlatformSettings,
  ) {
    this.cipher = fieldCipherOf(settings);
  }

  async create(referral: object, owner: Actor): Promise<DraftView> {
    const draft = await this.db.referralDraft.create({
      data: { id: randomUUID(), ownerId: owner.id, ciphertext: this.cipher.encrypt(referral) },
    });
    return this.show(draft);
  }

  async replace(id: string, referral: object, owner: Actor): Promise<DraftView> {
    await this.find(id, owner);
    const draft = await this.db.referralDraft.update({
      where: { id },
      data: { ciphertext: this.cipher.encrypt(referral) },
    });
    return this.show(draft);
  }

  /** The caller's drafts, most recently changed first; their contents only when one is opened (an audited read). */
  async list(owner: Actor): Promise<{ id: string; createdAt: Date; updatedAt: Date }[]> {
    return this.db.referralDraft.findMany({
      where: { ownerId: owner.id },
      select: { id: true, createdAt: true, updatedAt: true },
      orderBy: { updatedAt: 'desc' },
    });
  }

  async get(id: string, owner: Actor): Promise<DraftView> {
    return this.show(await this.find(id, owner));
  }

  async discard(id: string, owner: Actor): Promise<void> {
    await this.find(id, owner);
    await this.db.referralDraft.delete({ where: { id } });
  }

  /**
   * Submits the draft with every rule of `POST /referrals`. The draft's id is
   * the idempotency key, so a retried submit returns the same referral.
   */
  async submit(id: string, owner: Actor): Promise<{ referral: ReferralDetails; created: boolean }> {
    const done = await this.db.referral.findUnique({
      where: { idempotencyKey: `draft:${id}` },
      select: { id: true },
    });
    if (done) return { referral: await this.submissions.view(done.id), created: false };
    const draft = await this.find(id, owner);
    const checked = validateReferral(this.cipher.decrypt<unknown>(draft.ciphertext));
    if (!('referral' in checked)) {
      throw invalidFields(checked.problems);
    }
    const submitted = await this.submissions.submit(checked.referral, {
      idempotencyKey: `draft:${id}`,
      actor: owner,
    });
    await this.db.referralDraft.deleteMany({ where: { id } });
    return submitted;
  }

  /** Another account's draft is answered like a missing one: its existence is not disclosed. */
  private async find(id: string, owner: Actor) {
    const draft = await this.db.referralDraft.findUnique({ where: { id } });
    if (!draft) throw new NotFoundException('No such draft');
    if (draft.ownerId !== owner.id) throw new NotVisible('draft', id);
    return draft;
  }

  private show(draft: { id: string; ciphertext: string; createdAt: Date; updatedAt: Date }): DraftView {
    return {
      id: draft.id,
      referral: this.cipher.decrypt<unknown>(draft.ciphertext),
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
    };
  }
}
