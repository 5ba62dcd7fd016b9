import { invalidFields } from '@nrm/runtime';

export interface CursorPosition {
  openedAt: Date;
  id: string;
}

/** An opaque keyset cursor: stable under inserts, unlike offsets. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.openedAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [openedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(openedAt ?? '');
  if (!id || Number.isNaN(date.getTime())) {
    throw invalidFields([{ field: 'cursor', constraints: ['isCursor'] }]);
  }
  return { openedAt: date, id };
}
