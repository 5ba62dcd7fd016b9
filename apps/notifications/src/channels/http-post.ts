import { DeliveryAttemptFailed } from './channel';

/** POSTs JSON; any 2xx is success, anything else or no answer in time fails the attempt. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  options: { permanentStatuses?: readonly number[]; acceptedStatuses?: readonly number[] } = {},
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryAttemptFailed(`no answer from ${new URL(url).host}: ${describe(error)}`);
  }
  await response.body?.cancel();
  if (response.ok || options.acceptedStatuses?.includes(response.status)) return response.status;
  throw new DeliveryAttemptFailed(
    `${new URL(url).host} answered ${response.status}`,
    response.status,
    options.permanentStatuses?.includes(response.status) ?? false,
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? error.cause.message : error.message;
  return String(error);
}
