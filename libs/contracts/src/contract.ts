import { StreamDefinition } from './streams';

export type PayloadClass<P> = new () => P;

/** A named, versioned event type: which stream it travels on and the shape of its payload. */
export interface EventContract<P = unknown> {
  readonly type: string;
  readonly version: number;
  readonly stream: StreamDefinition;
  readonly payload: PayloadClass<P>;
}

export function defineEvent<P>(contract: EventContract<P>): EventContract<P> {
  return contract;
}

export function contractKey(type: string, version: number): string {
  return `${type}@${version}`;
}

export type PayloadOf<C> = C extends EventContract<infer P> ? P : never;
